package org.meshledger.spi;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.chain.TransactionResult;

/**
 * What executing one block changed, stored atomically with it: the DATA writes it applied (rejected writes
 * are absent), the new state of every account it touched, and the results of the transactions that did not
 * apply (so a receipt can say why, also after a restart).
 *
 * @param writes the applied writes, in block order; each has the block's height
 * @param accounts the state after the block of each account the block touched, sorted by account
 * @param rejected the result of each transaction of the block that was not accepted, by its index in the
 *     block, sorted; a transaction absent here was accepted
 * @param stateDigest the state digest after the block (the next block's header carries it), or null where
 *     the caller did not execute the block (tools, tests): the store then keeps none
 */
public record StateChanges(List<DataEntry> writes, Map<AccountId, AccountState> accounts, SortedMap<Integer, TransactionResult> rejected,
    Hash stateDigest) {
  /** A block that changed nothing. */
  public static final StateChanges NONE = new StateChanges(List.of(), Map.of());

  public StateChanges {
    writes = List.copyOf(writes);
    TreeMap<AccountId, AccountState> sorted = new TreeMap<>(accounts);
    sorted.values().forEach(v -> Objects.requireNonNull(v, "account state"));
    accounts = Collections.unmodifiableMap(sorted);
    TreeMap<Integer, TransactionResult> results = new TreeMap<>(rejected);
    results.forEach((i, r) -> {
      if (i < 0 || r.isAccepted()) {
        throw new IllegalArgumentException("rejected results need an index from 0 and a rejection, got " + i + " " + r.outcome());
      }
    });
    rejected = Collections.unmodifiableSortedMap(results);
  }

  /** Changes of a block whose transactions were all accepted, without a state digest. */
  public StateChanges(List<DataEntry> writes, Map<AccountId, AccountState> accounts) {
    this(writes, accounts, new TreeMap<>(), null);
  }

  /** These changes with the state digest they lead to. */
  public StateChanges withDigest(Hash digest) {
    return new StateChanges(writes, accounts, rejected, Objects.requireNonNull(digest, "digest"));
  }
}
