package org.meshledger.impl.ledger;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.DataEntry;
import org.meshledger.spi.StateChanges;

/**
 * A state view that lays changes over another: the accounts, latest key values and records it holds win, the
 * rest is read from the base. {@link BlockState} lays a block's earlier transactions over the committed state.
 */
public class StateOverlay implements LedgerView {
  private final LedgerView base;
  /** Accounts changed over the base. */
  protected final Map<AccountId, AccountState> accounts = new HashMap<>();
  /** The latest write of each key changed over the base. */
  protected final Map<String, DataEntry> latest = new HashMap<>();
  /** Records set over the base, by key: the overlay's own arrays; an empty one is a removal. */
  protected final Map<String, byte[]> records = new HashMap<>();

  public StateOverlay(LedgerView base) {
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

  @Override
  public Optional<byte[]> record(String key) {
    byte[] v = records.get(StateChanges.checkRecordKey(key));
    if (v == null) {
      return base.record(key);
    }
    return v.length == 0 ? Optional.empty() : Optional.of(v.clone());
  }
}
