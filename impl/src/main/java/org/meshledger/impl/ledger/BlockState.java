package org.meshledger.impl.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.TransactionResult;
import org.meshledger.spi.StateChanges;

/**
 * The state while a block executes: the committed state plus what its earlier transactions changed. Reads see
 * the block's own writes, account changes and records; single-threaded, as execution is.
 */
final class BlockState extends StateOverlay {
  private final List<DataEntry> writes = new ArrayList<>();

  BlockState(LedgerView base) {
    super(base);
  }

  void put(AccountId account, AccountState state) {
    accounts.put(account, state);
  }

  void write(DataEntry entry) {
    latest.put(entry.key(), entry);
    writes.add(entry);
  }

  /**
   * Sets the ledger's record {@code key} to {@code value} (copied) for the rest of the block and in its changes;
   * an empty value removes it. Setting a key again replaces the value: the block stores the last.
   *
   * @throws IllegalArgumentException if the key or value is out of bounds ({@link StateChanges#checkRecord})
   */
  void putRecord(String key, byte[] value) {
    StateChanges.checkRecord(key, value);
    records.put(key, value.clone());
  }

  /** Removes the ledger's record {@code key}: {@code putRecord(key, new byte[0])}. */
  void removeRecord(String key) {
    putRecord(key, new byte[0]);
  }

  /** The changes so far, in the shape {@code BlockStore.append} takes (StateChanges sorts accounts and records). */
  StateChanges changes(SortedMap<Integer, TransactionResult> rejected) {
    return new StateChanges(writes, accounts, rejected, null, new TreeMap<>(records));
  }
}
