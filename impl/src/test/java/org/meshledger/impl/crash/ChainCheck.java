package org.meshledger.impl.crash;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.meshledger.Verification;
import org.meshledger.chain.Block;
import org.meshledger.chain.Hash;
import org.meshledger.chain.LocatedTransaction;
import org.meshledger.chain.TransactionResult.Outcome;
import org.meshledger.chain.TransactionResult;
import org.meshledger.genesis.Genesis;
import org.meshledger.spi.BlockStore;

/**
 * What must hold after the run, checked on every node's store (opened after the node stopped): one chain
 * (identical blocks, each linked and with a certificate that verifies against the genesis validators), every
 * node within one block of the highest, no transaction twice, every receipt reported final at its height and
 * index on every node that reaches that height and always on the node that reported it (the nodes stop one
 * after another while the chain goes on, so one may stop a block short), the stored results and state equal to
 * a {@link Replay} of the chain.
 */
final class ChainCheck {
  private static final int MAX_LISTED = 40;

  private final Genesis genesis;
  private final Map<String, BlockStore> stores;
  private final List<String> problems = new ArrayList<>();
  private int more;
  long tip;
  long transactions;
  long lost;
  private Map<Hash, long[]> located = Map.of();

  /** {@code stores} by node name, in the order to report them. */
  ChainCheck(Genesis genesis, Map<String, BlockStore> stores) {
    this.genesis = genesis;
    this.stores = new LinkedHashMap<>(stores);
  }

  /** Runs every check; the problems found, each naming the node, the height and the transaction. */
  List<String> run(Collection<Submission.Final> receipts) {
    located = blocksAndState();
    receipts(receipts, located);
    if (more > 0) {
      problems.add("... and " + more + " more problems");
    }
    return problems;
  }

  /** How many of {@code ids} are in the chain (after {@link #run}). */
  long committed(Collection<Hash> ids) {
    return ids.stream().filter(located::containsKey).count();
  }

  private Map<Hash, long[]> blocksAndState() {
    Map<String, Long> heights = new LinkedHashMap<>();
    stores.forEach((n, s) -> heights.put(n, s.height()));
    tip = heights.values().stream().mapToLong(Long::longValue).max().orElse(0);
    String reference = heights.entrySet().stream().filter(e -> e.getValue() == tip).findFirst().map(Map.Entry::getKey).orElseThrow();
    heights.forEach((n, h) -> {
      if (h < tip - 1) {
        problem(n + " holds " + h + " blocks; the highest node (" + reference + ") holds " + tip + ": more than one block behind");
      }
    });
    Replay replay = new Replay(genesis);
    Map<Hash, long[]> located = new HashMap<>(); // tx id -> height, index
    Hash previous = genesis.hash();
    for (long h = 1; h <= tip; h++) {
      Block ref = stores.get(reference).block(h).orElse(null);
      if (ref == null) {
        problem(reference + " reports height " + tip + " but has no block " + h);
        return located;
      }
      if (!ref.header().previousHash().equals(previous)) {
        problem(reference + " block " + h + " does not link to block " + (h - 1));
      }
      previous = ref.hash();
      for (Map.Entry<String, BlockStore> e : stores.entrySet()) {
        if (heights.get(e.getKey()) >= h) {
          checkBlock(e.getKey(), e.getValue(), h, ref);
        }
      }
      for (int i = 0; i < ref.transactions().size(); i++) {
        long[] before = located.put(ref.transactions().get(i).id(), new long[] {h, i});
        if (before != null) {
          problem("transaction " + ref.transactions().get(i).id().toHex().substring(0, 16) + " is in the chain twice: height " + before[0]
              + " index " + before[1] + " and height " + h + " index " + i);
          located.put(ref.transactions().get(i).id(), before);
        }
      }
      transactions += ref.transactions().size();
      Outcome[] outcomes = replay.apply(ref);
      for (Map.Entry<String, BlockStore> e : stores.entrySet()) {
        if (heights.get(e.getKey()) >= h) {
          checkResults(e.getKey(), e.getValue(), h, outcomes);
        }
        if (heights.get(e.getKey()) == h) {
          replay.differences(e.getKey(), e.getValue(), h).forEach(this::problem);
        }
      }
    }
    return located;
  }

  private void checkBlock(String node, BlockStore store, long h, Block ref) {
    Optional<Block> b = store.block(h);
    if (b.isEmpty()) {
      problem(node + " reports height " + store.height() + " but has no block " + h);
      return;
    }
    if (!b.get().hash().equals(ref.hash())) {
      problem(node + " block " + h + " is " + b.get().hash().toHex().substring(0, 16) + ", the reference node's is "
          + ref.hash().toHex().substring(0, 16) + ": the chains diverge");
      return;
    }
    Verification v = b.get().verify(genesis.validators());
    if (!v.valid()) {
      problem(node + " block " + h + " does not verify: " + v.reason());
    }
  }

  private void checkResults(String node, BlockStore store, long h, Outcome[] outcomes) {
    Map<Integer, TransactionResult> rejected = store.rejected(h);
    for (int i = 0; i < outcomes.length; i++) {
      TransactionResult r = rejected.get(i);
      Outcome stored = r == null ? Outcome.ACCEPTED : r.outcome();
      if (stored != outcomes[i]) {
        problem(node + " block " + h + " index " + i + " stored outcome " + stored + (r == null ? "" : " (" + r.reason() + ")")
            + "; replaying the chain gives " + outcomes[i]);
      }
    }
  }

  private void receipts(Collection<Submission.Final> receipts, Map<Hash, long[]> located) {
    Set<Hash> lostIds = new HashSet<>();
    for (Submission.Final r : receipts) {
      long[] at = located.get(r.txId());
      if (at == null || at[0] != r.height() || at[1] != r.index()) {
        problem("LOST: " + r.where() + (at == null ? " is in no block of the chain" : " is at height " + at[0] + " index " + at[1]));
        lostIds.add(r.txId());
        continue;
      }
      for (Map.Entry<String, BlockStore> e : stores.entrySet()) {
        BlockStore s = e.getValue();
        if (s.height() < r.height() && !e.getKey().equals(r.node())) {
          // a node stopped within one block of the tip (checked above) may lack the last block; the node that
          // reported the receipt final must hold it whatever happened since
          continue;
        }
        Optional<LocatedTransaction> l = s.height() >= r.height() ? s.transaction(r.txId()) : Optional.empty();
        if (l.isEmpty() || l.get().height() != r.height() || l.get().index() != r.index() || !l.get().blockHash().equals(r.blockHash())) {
          problem(e.getKey() + " (height " + s.height() + ") does not hold " + r.where() + ": "
              + l.map(x -> "its index puts it at height " + x.height() + " index " + x.index()).orElse("not found"));
          lostIds.add(r.txId());
        }
      }
    }
    lost = lostIds.size();
  }

  private void problem(String p) {
    if (problems.size() < MAX_LISTED) {
      problems.add(p);
    } else {
      more++;
    }
  }
}
