package org.meshledger;

import java.util.Objects;

/**
 * The outcome of checking something (a block, a certificate, a proof): valid, or invalid with a reason a
 * person can act on. Verification never throws for bad input; it returns this.
 *
 * @param valid true if every check passed
 * @param reason why not, or the empty string when valid
 */
public record Verification(boolean valid, String reason) {
  private static final Verification OK = new Verification(true, "");

  public Verification {
    Objects.requireNonNull(reason, "reason");
    if (valid != reason.isEmpty()) {
      throw new IllegalArgumentException("a valid verification has no reason; an invalid one needs one");
    }
  }

  public static Verification ok() {
    return OK;
  }

  public static Verification failed(String reason) {
    return new Verification(false, reason);
  }

  /** This if it failed, else {@code next}: chains checks, keeping the first failure. */
  public Verification and(java.util.function.Supplier<Verification> next) {
    return valid ? next.get() : this;
  }
}
