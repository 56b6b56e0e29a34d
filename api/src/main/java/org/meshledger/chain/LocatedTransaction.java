package org.meshledger.chain;

import java.util.Objects;

/**
 * A committed transaction with its place in the chain.
 *
 * @param transaction the transaction
 * @param height the height of the block that holds it
 * @param index its position in that block, from 0
 * @param blockHash the hash of that block
 */
public record LocatedTransaction(Transaction transaction, long height, int index, Hash blockHash) {
  public LocatedTransaction {
    Objects.requireNonNull(transaction, "transaction");
    if (height < 1 || index < 0) {
      throw new IllegalArgumentException("transaction position " + height + "/" + index + " out of range");
    }
    Objects.requireNonNull(blockHash, "blockHash");
  }
}
