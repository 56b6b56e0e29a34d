package org.meshledger.impl.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToLongFunction;
import org.meshledger.StorageException;
import org.meshledger.chain.Block;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.spi.StateChanges;
import org.meshledger.spi.StoreContext;

/** The checks every store makes before an append touches anything, so a rejected append changes nothing. */
final class AppendRules {
  private AppendRules() {}

  /**
   * Fails with a {@link StorageException} naming the rule if {@code block} cannot follow the block at
   * {@code height} (hash {@code lastHash}, the genesis hash at 0) or if {@code changes} does not belong to it.
   *
   * @param currentVersion the stored version of a key, 0 if never written
   */
  static void check(StoreContext context, long height, Hash lastHash, Block block, StateChanges changes, ToLongFunction<String> currentVersion) {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(changes, "changes");
    if (!block.header().chainId().equals(context.chainId())) {
      throw new StorageException("block " + block.height() + " is of chain '" + block.header().chainId() + "', this store holds chain '"
          + context.chainId() + "'");
    }
    if (block.height() != height + 1) {
      throw new StorageException("block at height " + block.height() + " cannot follow height " + height + "; the next block is " + (height + 1));
    }
    if (!block.header().previousHash().equals(lastHash)) {
      throw new StorageException("block " + block.height() + " names previous hash " + block.header().previousHash() + " but the block at height "
          + height + " is " + lastHash + (height == 0 ? " (the genesis hash)" : ""));
    }
    List<Transaction> txs = block.transactions();
    Map<String, Long> versions = new HashMap<>();
    for (DataEntry w : changes.writes()) {
      String at = "write of '" + w.key() + "' version " + w.version() + " at " + w.height() + "/" + w.index();
      if (w.height() != block.height() || w.index() >= txs.size()) {
        throw new StorageException(at + " is not in block " + block.height() + " of " + txs.size() + " transactions");
      }
      Transaction tx = txs.get(w.index());
      if (!(tx.payload() instanceof Payload.DataWrite d) || !tx.id().equals(w.transactionId()) || !d.key().equals(w.key())
          || !tx.sender().equals(w.writer()) || !java.util.Arrays.equals(d.value(), w.value())) {
        throw new StorageException(at + " is not what transaction " + tx.id() + " at that index writes");
      }
      long previous = versions.computeIfAbsent(w.key(), currentVersion::applyAsLong);
      if (w.version() != previous + 1) {
        throw new StorageException(at + " does not follow version " + previous + " of the key");
      }
      versions.put(w.key(), w.version());
      if (changes.rejected().containsKey(w.index())) {
        throw new StorageException(at + " comes from a transaction the changes mark rejected");
      }
    }
    if (!changes.rejected().isEmpty() && changes.rejected().lastKey() >= txs.size()) {
      throw new StorageException("a rejected result names transaction " + changes.rejected().lastKey() + " but block " + block.height()
          + " holds " + txs.size());
    }
  }
}
