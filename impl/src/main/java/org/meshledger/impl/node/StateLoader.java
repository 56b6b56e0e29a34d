package org.meshledger.impl.node;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Block;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.impl.incentives.Challenges;
import org.meshledger.impl.ledger.CommittedState;
import org.meshledger.spi.BlockStore;

/**
 * Reads from the store what the node's {@link CommittedView} lacks, one batch at a time. {@link #needs} says,
 * from transactions alone, what executing or admitting them reads; {@link #load} reads it and runs on a worker
 * thread (it blocks on the store), never on the event loop.
 *
 * <p><b>Records</b> (the ledger's own state, {@link org.meshledger.spi.StateChanges#records()}) are read by key,
 * like DATA keys: transactions do not say which ones a block's rules read, so {@link #needs} names none and
 * execution finds them as misses of the view, which come back here as a set of keys to read. The ledger reads
 * a few keys per block and the view keeps them (and every record a block sets) until it trims, so after the
 * first block that reads a key no block waits for it again. Prefetching a whole prefix was the alternative:
 * it needs no first miss but loads records no rule reads (per-epoch payouts accumulate) and ties the node to a
 * naming convention of the rules.
 */
final class StateLoader {
  private final CommittedState committed;
  private final BlockStore store;
  private final Set<AccountId> everyBlock;
  private final Set<String> everyBlockRecords;

  /**
   * @param everyBlock accounts every block's incentive step reads (treasury, validators, pools): read with the
   *     first block that lacks them rather than found as misses one pass at a time
   * @param everyBlockRecords records every block reads
   */
  StateLoader(CommittedState committed, BlockStore store, Set<AccountId> everyBlock, Set<String> everyBlockRecords) {
    this.committed = committed;
    this.store = store;
    this.everyBlock = Set.copyOf(everyBlock);
    this.everyBlockRecords = Set.copyOf(everyBlockRecords);
  }

  /** Accounts, DATA keys, record keys and the heights of blocks whose challenge material to read. */
  record Needs(Set<AccountId> accounts, Set<String> keys, Set<String> records, Set<Long> materials) {
    static final Needs NONE = new Needs(Set.of(), Set.of());

    /** Accounts and DATA keys, no records. */
    Needs(Set<AccountId> accounts, Set<String> keys) {
      this(accounts, keys, Set.of(), Set.of());
    }

    Needs(Set<AccountId> accounts, Set<String> keys, Set<String> records) {
      this(accounts, keys, records, Set.of());
    }

    boolean isEmpty() {
      return accounts.isEmpty() && keys.isEmpty() && records.isEmpty() && materials.isEmpty();
    }

    /** These needs and {@code materials}. */
    Needs withMaterials(Set<Long> heights) {
      return heights.isEmpty() ? this : new Needs(accounts, keys, records, Set.copyOf(heights));
    }
  }

  /**
   * What a load read: account states (genesis balances included), each key's latest write, if any, and each
   * record's value, if set.
   */
  record Loaded(Map<AccountId, AccountState> accounts, Map<String, Optional<DataEntry>> keys, Map<String, Optional<byte[]>> records,
      Map<Long, Hash> materials) {
    /** Accounts and DATA keys, no records. */
    Loaded(Map<AccountId, AccountState> accounts, Map<String, Optional<DataEntry>> keys) {
      this(accounts, keys, Map.of(), Map.of());
    }
  }

  /**
   * What executing {@code txs} reads that {@code view} does not hold: senders, recipients of transfers, the
   * keys written and what every block's incentive step reads. A host validator may read more, and the rules more
   * at an epoch's end; execution finds that out as misses.
   */
  Needs needs(List<Transaction> txs, CommittedView view) {
    Set<AccountId> accounts = new HashSet<>();
    Set<String> keys = new HashSet<>();
    Set<String> records = new HashSet<>();
    for (AccountId a : everyBlock) {
      if (!view.holds(a)) {
        accounts.add(a);
      }
    }
    for (String r : everyBlockRecords) {
      if (!view.holdsRecord(r)) {
        records.add(r);
      }
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
    return accounts.isEmpty() && keys.isEmpty() && records.isEmpty() ? Needs.NONE : new Needs(accounts, keys, records);
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
    Map<String, Optional<byte[]>> records = new HashMap<>();
    for (String k : needs.records()) {
      records.put(k, committed.record(k));
    }
    Map<Long, Hash> materials = new HashMap<>();
    for (long h : needs.materials()) {
      Block b = store.block(h).orElseThrow(() -> new org.meshledger.StorageException("block " + h + " is not in the store; a service"
          + " challenge's proof is over it"));
      materials.put(h, Challenges.material(b));
    }
    return new Loaded(accounts, keys, records, materials);
  }
}
