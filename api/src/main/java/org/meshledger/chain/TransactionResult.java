package org.meshledger.chain;

import java.util.Objects;

/**
 * What executing one transaction of a block did. Every transaction of a block gets one, in block order.
 *
 * @param outcome whether it applied, failed after paying its fee, or had no effect at all
 * @param reason why it did not apply; empty when {@link Outcome#ACCEPTED}; cut to {@link #MAX_REASON_CHARS}
 */
public record TransactionResult(Outcome outcome, String reason) {
  /** The longest reason kept: a longer one (a host validator's, say) is cut, so a stored result stays small. */
  public static final int MAX_REASON_CHARS = 500;
  private static final TransactionResult ACCEPTED = new TransactionResult(Outcome.ACCEPTED, "");

  /** The three ways a transaction can end; stores keep the ordinal, so the order is fixed (see {@code docs/adr/006-execution.md} in the project repository). */
  public enum Outcome {
    /** Applied: fee paid, nonce used, payload executed. */
    ACCEPTED,
    /** Rejected after its fee was paid and its nonce used (stale write, overdraft, host rejection). */
    FAILED,
    /** Rejected before anything happened (wrong chain, bad signature, wrong nonce, fee too low or unpayable): no state change. */
    INVALID
  }

  public TransactionResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    if ((outcome == Outcome.ACCEPTED) != reason.isEmpty()) {
      throw new IllegalArgumentException("an accepted transaction has no reason; a rejected one needs one");
    }
    if (reason.length() > MAX_REASON_CHARS) {
      reason = reason.substring(0, MAX_REASON_CHARS - 3) + "...";
    }
  }

  public static TransactionResult accepted() {
    return ACCEPTED;
  }

  public static TransactionResult failed(String reason) {
    return new TransactionResult(Outcome.FAILED, reason);
  }

  public static TransactionResult invalid(String reason) {
    return new TransactionResult(Outcome.INVALID, reason);
  }

  public boolean isAccepted() {
    return outcome == Outcome.ACCEPTED;
  }
}
