package org.meshledger.impl.ledger;

import java.util.Objects;

/**
 * What executing one transaction of a block did. Every transaction of a block gets one, in block order.
 *
 * @param outcome whether it applied, failed after paying its fee, or had no effect at all
 * @param reason why it did not apply; empty when {@link Outcome#ACCEPTED}
 */
public record TransactionResult(Outcome outcome, String reason) {
  private static final TransactionResult ACCEPTED = new TransactionResult(Outcome.ACCEPTED, "");

  /** The three ways a transaction can end (see {@code docs/adr/006-execution.md}). */
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
