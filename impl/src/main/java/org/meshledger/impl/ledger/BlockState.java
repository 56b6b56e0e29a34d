package org.meshledger.impl.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.meshledger.AccountId;
import org.meshledger.AccountState;
import org.meshledger.DataEntry;
import org.meshledger.StateView;
import org.meshledger.spi.StateChanges;

/** The state while a block executes: the committed state plus what its earlier transactions changed. */
final class BlockState implements StateView {
  private final StateView base;
  private final Map<AccountId, AccountState> accounts = new HashMap<>();
  private final Map<String, DataEntry> latest = new HashMap<>();
  private final List<DataEntry> writes = new ArrayList<>();

  BlockState(StateView base) {
    this.base = base;
  }

  @Override
  public AccountState account(AccountId account) {
    AccountState s = accounts.get(account);
    return s != null ? s : base.account(account);
  }

  @Override
  public Optional<DataEntry> current(String key) {
    DataEntry e = latest.get(key);
    return e != null ? Optional.of(e) : base.current(key);
  }

  void put(AccountId account, AccountState state) {
    accounts.put(account, state);
  }

  void write(DataEntry entry) {
    latest.put(entry.key(), entry);
    writes.add(entry);
  }

  /** The changes so far, in the shape {@code BlockStore.append} takes (StateChanges sorts the accounts). */
  StateChanges changes(java.util.SortedMap<Integer, org.meshledger.TransactionResult> rejected) {
    return new StateChanges(writes, accounts, rejected, null);
  }
}
