package org.meshledger.impl.ledger;

import java.util.ArrayList;
import java.util.List;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.StateView;
import org.meshledger.spi.StateChanges;

/** The state while a block executes: the committed state plus what its earlier transactions changed. */
final class BlockState extends StateOverlay {
  private final List<DataEntry> writes = new ArrayList<>();

  BlockState(StateView base) {
    super(base);
  }

  void put(AccountId account, AccountState state) {
    accounts.put(account, state);
  }

  void write(DataEntry entry) {
    latest.put(entry.key(), entry);
    writes.add(entry);
  }

  /** The changes so far, in the shape {@code BlockStore.append} takes (StateChanges sorts the accounts). */
  StateChanges changes(java.util.SortedMap<Integer, org.meshledger.chain.TransactionResult> rejected) {
    return new StateChanges(writes, accounts, rejected, null);
  }
}
