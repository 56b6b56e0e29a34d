package org.meshledger.chain;

import java.util.Objects;
import org.meshledger.Verification;

/**
 * Proof that a transaction is final: where it stands in the chain, what executing it did, and a Merkle proof
 * that ties it to its block's header. With the header (and its {@link CommitCertificate}) and the genesis, anyone
 * can check a receipt offline: {@link #verify(BlockHeader)}.
 *
 * @param transaction the transaction
 * @param height the height of its block
 * @param index its position in the block, from 0
 * @param blockHash the hash of its block's header
 * @param result what executing it did: accepted, or failed or invalid with a reason
 * @param proof the inclusion proof of its id under the block's transaction root
 */
public record Receipt(Transaction transaction, long height, int index, Hash blockHash, TransactionResult result, MerkleProof proof) {
  public Receipt {
    Objects.requireNonNull(transaction, "transaction");
    if (height < 1 || index < 0) {
      throw new IllegalArgumentException("transaction position " + height + "/" + index + " out of range");
    }
    Objects.requireNonNull(blockHash, "blockHash");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(proof, "proof");
    if (proof.index() != index) {
      throw new IllegalArgumentException("the proof is for index " + proof.index() + ", not " + index);
    }
  }

  /** The transaction's id. */
  public Hash transactionId() {
    return transaction.id();
  }

  /** True if the transaction applied; false if it failed (fee paid) or was invalid (no effect). */
  public boolean accepted() {
    return result.isAccepted();
  }

  /**
   * Checks this receipt against {@code header}: the header is the one named (hash and height) and the proof
   * leads from the transaction's id to its transaction root. The header's own finality is its certificate's to
   * show ({@link Block#verify(ValidatorSet)}).
   */
  public Verification verify(BlockHeader header) {
    Objects.requireNonNull(header, "header");
    if (header.height() != height || !header.hash().equals(blockHash)) {
      return Verification.failed("the receipt names block " + height + " " + blockHash + ", not block " + header.height() + " " + header.hash());
    }
    if (!proof.verify(transaction.id(), header)) {
      return Verification.failed("the Merkle proof does not lead from transaction " + transaction.id() + " to block " + height + "'s root");
    }
    return Verification.ok();
  }
}
