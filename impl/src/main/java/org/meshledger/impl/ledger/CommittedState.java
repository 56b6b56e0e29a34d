package org.meshledger.impl.ledger;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Amount;
import org.meshledger.chain.DataEntry;
import org.meshledger.genesis.Genesis;
import org.meshledger.spi.BlockStore;

/**
 * The committed state: what a {@link BlockStore} holds, with the genesis balances laid over the accounts no
 * block has touched (ADR 003: the store does not keep initial balances).
 *
 * <p>An account the store reports as {@link AccountState#EMPTY} is read from the genesis. That is sound even
 * for an account a block did touch: a balance only falls through the account's own transactions, which raise
 * its nonce above 0, so a touched account with balance 0 and nonce 0 never spent and had a genesis balance of 0.
 *
 * <p>Every read is a store read: it blocks, so a node calls it on a worker, never on its event loop.
 */
public final class CommittedState implements LedgerView {
  private final BlockStore store;
  private final Map<AccountId, Amount> genesisBalances;

  public CommittedState(BlockStore store, Map<AccountId, Amount> genesisBalances) {
    this.store = Objects.requireNonNull(store, "store");
    this.genesisBalances = Map.copyOf(genesisBalances);
  }

  public CommittedState(BlockStore store, Genesis genesis) {
    this(store, genesis.balances());
  }

  @Override
  public AccountState account(AccountId account) {
    AccountState stored = store.account(account);
    if (stored.equals(AccountState.EMPTY)) {
      Amount initial = genesisBalances.get(account);
      if (initial != null) {
        return new AccountState(initial, 0);
      }
    }
    return stored;
  }

  @Override
  public Optional<DataEntry> current(String key) {
    return store.current(key);
  }

  @Override
  public Optional<byte[]> record(String key) {
    return store.record(key);
  }
}
