package org.meshledger.impl.node;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.DataEntry;
import org.meshledger.impl.ledger.LedgerView;
import org.meshledger.spi.StateChanges;

/**
 * The state after the last executed block, held in memory so that the event loop never reads the store: the
 * accounts, keys and records loaded from the store (on a worker, by {@link StateLoader}) with the changes of
 * every executed block written through. Blocks being written are part of it, so the next block executes, and the
 * mempool checks, against this view while the store catches up.
 *
 * <p><b>Misses.</b> An account, key or record this view does not hold is not read: it answers as if absent
 * ({@link AccountState#EMPTY}, no entry, no record) and records the miss. A caller that may have missed (block execution,
 * admission) checks {@link #takeMisses()}: if any, it loads them on a worker and runs again, so what it keeps is
 * always computed on complete state. Execution is deterministic, so the run that keeps its result is the one
 * every node computes.
 *
 * <p><b>Loads and races.</b> A load reads the store while blocks are being appended, so a value it returns may
 * be older than an executed block's. {@link #loaded} therefore never replaces what the view holds: every value
 * changed by a block executed before the load returns is in the view already (written through, and
 * {@link #trim} does not run while a load is out). On the node's context only.
 */
final class CommittedView implements LedgerView {
  private final Map<AccountId, AccountState> accounts = new HashMap<>();
  private final Map<String, Optional<DataEntry>> keys = new HashMap<>();
  private final Map<String, Optional<byte[]>> records = new HashMap<>(); // the view's own arrays, copied out
  private final ArrayDeque<StateChanges> unwritten = new ArrayDeque<>();
  private final Set<AccountId> missedAccounts = new LinkedHashSet<>();
  private final Set<String> missedKeys = new LinkedHashSet<>();
  private final Set<String> missedRecords = new LinkedHashSet<>();
  private int loading;

  @Override
  public AccountState account(AccountId account) {
    AccountState s = accounts.get(account);
    if (s == null) {
      missedAccounts.add(account);
      return AccountState.EMPTY;
    }
    return s;
  }

  @Override
  public Optional<DataEntry> current(String key) {
    Optional<DataEntry> e = keys.get(key);
    if (e == null) {
      missedKeys.add(key);
      return Optional.empty();
    }
    return e;
  }

  @Override
  public Optional<byte[]> record(String key) {
    Optional<byte[]> v = records.get(StateChanges.checkRecordKey(key));
    if (v == null) {
      missedRecords.add(key);
      return Optional.empty();
    }
    return v.map(byte[]::clone);
  }

  boolean holds(AccountId account) {
    return accounts.containsKey(account);
  }

  boolean holds(String key) {
    return keys.containsKey(key);
  }

  boolean holdsRecord(String key) {
    return records.containsKey(key);
  }

  /** What was asked for and not held since the last call; clears the record. */
  StateLoader.Needs takeMisses() {
    StateLoader.Needs n = new StateLoader.Needs(Set.copyOf(missedAccounts), Set.copyOf(missedKeys), Set.copyOf(missedRecords));
    missedAccounts.clear();
    missedKeys.clear();
    missedRecords.clear();
    return n;
  }

  /** A load leaves for a worker: until {@link #loaded} or {@link #loadFailed}, nothing is trimmed. */
  void loading() {
    loading++;
  }

  /** A load came back: adds what the view does not hold yet (what it holds is as new or newer). */
  void loaded(StateLoader.Loaded values) {
    loading--;
    values.accounts().forEach(accounts::putIfAbsent);
    values.keys().forEach(keys::putIfAbsent);
    values.records().forEach(records::putIfAbsent);
  }

  void loadFailed() {
    loading--;
  }

  /** A block's changes, executed and on their way to the store. */
  void executed(StateChanges changes) {
    accounts.putAll(changes.accounts());
    changes.writes().forEach(w -> keys.put(w.key(), Optional.of(w)));
    putRecords(changes);
    unwritten.add(changes);
  }

  private void putRecords(StateChanges changes) {
    changes.records().forEach((k, v) -> records.put(k, v.length == 0 ? Optional.empty() : Optional.of(v))); // a copy
  }

  /** The oldest executed block is durable. */
  void written() {
    if (unwritten.poll() == null) {
      throw new IllegalStateException("no executed block is waiting to be written");
    }
  }

  /**
   * Bounds memory: once the view holds more than {@code max} entries and no load is out, forgets every entry but
   * the accounts {@code pinned} names (those with transactions in the mempool, whose admission relies on them)
   * and the changes of blocks not yet durable (the store does not have them). What it forgets is loaded again
   * when needed.
   */
  void trim(int max, Predicate<AccountId> pinned) {
    if (loading > 0 || size() <= max) {
      return;
    }
    accounts.keySet().removeIf(pinned.negate());
    keys.clear();
    records.clear();
    for (StateChanges c : unwritten) {
      accounts.putAll(c.accounts());
      c.writes().forEach(w -> keys.put(w.key(), Optional.of(w)));
      putRecords(c);
    }
  }

  /** Entries held, for tests and the bound. */
  int size() {
    return accounts.size() + keys.size() + records.size();
  }
}
