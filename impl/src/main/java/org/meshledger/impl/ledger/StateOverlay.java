package org.meshledger.impl.ledger;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.StateView;

/**
 * A state view that lays changes over another: the accounts and latest key values it holds win, the rest is
 * read from the base. {@link BlockState} lays a block's earlier transactions over the committed state; a node
 * lays the blocks it executed but has not yet stored over its store.
 */
public class StateOverlay implements StateView {
  private final StateView base;
  /** Accounts changed over the base. */
  protected final Map<AccountId, AccountState> accounts = new HashMap<>();
  /** The latest write of each key changed over the base. */
  protected final Map<String, DataEntry> latest = new HashMap<>();

  public StateOverlay(StateView base) {
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
}
