package org.meshledger.impl.node;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.impl.ledger.CommittedState;

/**
 * Reads from the store what the node's {@link CommittedView} lacks, one batch at a time. {@link #needs} says,
 * from transactions alone, what executing or admitting them reads; {@link #load} reads it and runs on a worker
 * thread (it blocks on the store), never on the event loop.
 */
final class StateLoader {
  private final CommittedState committed;
  private final AccountId treasury;

  StateLoader(CommittedState committed, AccountId treasury) {
    this.committed = committed;
    this.treasury = treasury;
  }

  /** Accounts and keys to read. */
  record Needs(Set<AccountId> accounts, Set<String> keys) {
    static final Needs NONE = new Needs(Set.of(), Set.of());

    boolean isEmpty() {
      return accounts.isEmpty() && keys.isEmpty();
    }
  }

  /** What a load read: account states (genesis balances included) and each key's latest write, if any. */
  record Loaded(Map<AccountId, AccountState> accounts, Map<String, Optional<DataEntry>> keys) {}

  /**
   * What executing {@code txs} reads that {@code view} does not hold: senders, recipients of transfers, the
   * treasury and the keys written. A host validator may read more; execution finds that out as misses.
   */
  Needs needs(List<Transaction> txs, CommittedView view) {
    Set<AccountId> accounts = new HashSet<>();
    Set<String> keys = new HashSet<>();
    if (!txs.isEmpty() && !view.holds(treasury)) {
      accounts.add(treasury);
    }
    for (Transaction tx : txs) {
      if (!view.holds(tx.sender())) {
        accounts.add(tx.sender());
      }
      if (tx.payload() instanceof Payload.Transfer t && !view.holds(t.to())) {
        accounts.add(t.to());
      } else if (tx.payload() instanceof Payload.DataWrite w && !view.holds(w.key())) {
        keys.add(w.key());
      }
    }
    return accounts.isEmpty() && keys.isEmpty() ? Needs.NONE : new Needs(accounts, keys);
  }

  /** Reads {@code needs} from the store. Blocks: on a worker thread only. */
  Loaded load(Needs needs) {
    Map<AccountId, AccountState> accounts = new HashMap<>();
    for (AccountId a : needs.accounts()) {
      accounts.put(a, committed.account(a));
    }
    Map<String, Optional<DataEntry>> keys = new HashMap<>();
    for (String k : needs.keys()) {
      keys.put(k, committed.current(k));
    }
    return new Loaded(accounts, keys);
  }
}
