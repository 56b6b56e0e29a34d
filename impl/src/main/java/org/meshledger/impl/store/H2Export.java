package org.meshledger.impl.store;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Block;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.TransactionResult;
import org.meshledger.spi.StateChanges;

/**
 * Reads back from H2 the state changes a block was appended with, to write the block log of a store of the
 * layout before the log. Writes: each DATA write of the block not rejected, with the version whose index entry
 * points at it (versions of a key grow with positions, so a binary search finds it). Accounts: the state stored
 * at the block's height of each sender and transfer recipient of the block, which are all the accounts the
 * bundled executor touches. Records: none. H2 keeps only their latest values, so it cannot say which a block
 * set; {@link LogRecovery} exports only blocks above the last that changed records ({@link H2Index#recordsAt}),
 * whose changes hold none.
 */
final class H2Export {
  private H2Export() {}

  static StateChanges changes(H2Index index, Block block) {
    long h = block.height();
    SortedMap<Integer, TransactionResult> rejected = index.rejected(h);
    List<DataEntry> writes = new ArrayList<>();
    Set<AccountId> candidates = new LinkedHashSet<>();
    List<Transaction> txs = block.transactions();
    for (int i = 0; i < txs.size(); i++) {
      Transaction tx = txs.get(i);
      candidates.add(tx.sender());
      if (tx.payload() instanceof Payload.Transfer t) {
        candidates.add(t.to());
      }
      if (tx.payload() instanceof Payload.DataWrite d && !rejected.containsKey(i)) {
        long version = version(index, d.key(), h << H2Index.INDEX_BITS | i);
        if (version > 0) {
          writes.add(new DataEntry(d.key(), d.value(), version, tx.sender(), h, i, tx.id()));
        }
      }
    }
    Map<AccountId, AccountState> accounts = new TreeMap<>();
    for (AccountId a : candidates) {
      byte[] state = index.accounts.get(Keys.account(a, h));
      if (state != null) {
        accounts.put(a, Keys.state(state, index.file()));
      }
    }
    return new StateChanges(writes, accounts, rejected, index.stateDigest(h).orElse(null));
  }

  /** The version of {@code key} written by the transaction at {@code position}, 0 if none. */
  private static long version(H2Index index, String key, long position) {
    long lo = 1;
    long hi = index.storedVersion(key);
    while (lo <= hi) {
      long mid = (lo + hi) >>> 1;
      Long p = index.writes.get(Keys.write(key, mid));
      if (p == null) {
        return 0;
      }
      if (p == position) {
        return mid;
      }
      if (p < position) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return 0;
  }
}
