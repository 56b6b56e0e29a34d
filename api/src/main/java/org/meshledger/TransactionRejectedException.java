package org.meshledger;

import java.util.Objects;
import java.util.Optional;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Receipt;

/**
 * A submitted transaction will not apply. Either the node refused it on admission (bad signature, wrong
 * chain, used nonce, fee below the minimum, mempool full, ...): then it never reached a block and
 * {@link #receipt()} is empty. Or it was final in a block but did not apply (a stale write, an overdraft, the
 * host validator's rejection: the fee is paid; or invalid in the block: nothing happened): then the receipt
 * says where, and its result why.
 */
public class TransactionRejectedException extends MeshledgerException {
  private static final long serialVersionUID = 1L;

  private final transient Hash transactionId;
  private final String reason;
  private final transient Receipt receipt;

  /** Refused on admission. */
  public TransactionRejectedException(Hash transactionId, String reason) {
    super("transaction " + Objects.requireNonNull(transactionId, "transactionId") + " rejected: " + reason);
    this.transactionId = transactionId;
    this.reason = Objects.requireNonNull(reason, "reason");
    this.receipt = null;
  }

  /** Final in a block without applying. */
  public TransactionRejectedException(Receipt receipt) {
    super("transaction " + receipt.transactionId() + " " + receipt.result().outcome().name().toLowerCase(java.util.Locale.ROOT)
        + " in block " + receipt.height() + " at index " + receipt.index() + ": " + receipt.result().reason());
    this.transactionId = receipt.transactionId();
    this.reason = receipt.result().reason();
    this.receipt = receipt;
  }

  public Hash transactionId() {
    return transactionId;
  }

  /** Why, in words a person can act on. */
  public String reason() {
    return reason;
  }

  /** Where the transaction was final, if it reached a block. */
  public Optional<Receipt> receipt() {
    return Optional.ofNullable(receipt);
  }
}
