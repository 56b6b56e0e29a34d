package org.meshledger;

import java.time.Duration;
import java.util.Objects;
import org.meshledger.chain.Hash;

/**
 * A submitted transaction was not final within {@link NodeOptions#getSubmitTimeout()}. Not a rejection: the
 * node keeps it in its mempool and it may still become final. {@link #reason()} says what held it up, as far
 * as this node can tell: no quorum (no block committed meanwhile), the node catching up with its peers, the
 * transaction not yet proposed, or the node halted.
 *
 * <p>To learn its fate, look it up by {@link #transactionId()} with {@link Ledger#receipt}, or submit the same
 * transaction again: a transaction already waiting is waited for again, and one already final answers with its
 * receipt; it is never applied twice.
 */
public class SubmitTimeoutException extends MeshledgerException {
  private static final long serialVersionUID = 1L;

  private final transient Hash transactionId;
  private final transient Duration timeout;
  private final String reason;

  /**
   * @param transactionId the submitted transaction
   * @param timeout how long the submit waited
   * @param reason what held the transaction up, in words a person can act on
   */
  public SubmitTimeoutException(Hash transactionId, Duration timeout, String reason) {
    super("timed out after " + Objects.requireNonNull(timeout, "timeout").toMillis() + " ms (NodeOptions.submitTimeout) waiting for"
        + " transaction " + Objects.requireNonNull(transactionId, "transactionId") + " to be final: " + Objects.requireNonNull(reason, "reason")
        + ". It is not withdrawn and may still become final: look it up with Ledger.receipt(" + transactionId
        + "), or submit it again to wait again");
    this.transactionId = transactionId;
    this.timeout = timeout;
    this.reason = reason;
  }

  public Hash transactionId() {
    return transactionId;
  }

  /** How long the submit waited. */
  public Duration timeout() {
    return timeout;
  }

  /** What held the transaction up. */
  public String reason() {
    return reason;
  }
}
