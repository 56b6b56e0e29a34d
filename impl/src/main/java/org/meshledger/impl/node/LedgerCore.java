package org.meshledger.impl.node;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.impl.consensus.Candidate;
import org.meshledger.impl.ledger.BlockExecution;
import org.meshledger.impl.ledger.Executor;
import org.meshledger.impl.ledger.Mempool;

/**
 * The ledger's decisions, sans-IO: what this node proposes, whether a proposal is one this node's state agrees
 * with, and what a committed block does to the state, against the in-memory {@link CommittedView}. It never reads
 * the store, waits or schedules: when a block needs state the view lacks, {@link #attempt} says so and its driver
 * ({@link NodeLedger} on a node) loads it and tries again. Time comes from the clock it is given. Every honest node
 * that feeds it the same blocks computes the same digests: that is what {@link #accept} relies on.
 *
 * <p>Not thread-safe: owned by the node's context (or a simulator's one thread).
 */
final class LedgerCore {
  private static final Logger LOG = System.getLogger("org.meshledger.ledger");

  private final CommittedView view;
  private final BlockMaterials materials;
  private final StateLoader loader;
  private final Mempool mempool;
  private final Executor executor;
  private final LongSupplier clock;
  private final int maxBlockTransactions;
  private final long maxBlockBytes;
  private final long mempoolMaxAgeMillis;

  private long executedHeight;
  private Hash lastDigest;
  private long lastBlockTime;
  /** The certificate of the last executed block, which this node's next proposal carries; empty before block 1. */
  private Optional<CommitCertificate> lastCommit = Optional.empty();
  private long lastWarnedHeight;
  private long lastExpiry;
  private StateLoader.Needs missed = StateLoader.Needs.NONE; // of the last pass of execution
  /** Transactions of executed blocks that are not durable yet. */
  private final Set<Hash> inFlight = new HashSet<>();

  LedgerCore(CommittedView view, BlockMaterials materials, StateLoader loader, Mempool mempool, Executor executor, LongSupplier clock,
      int maxBlockTransactions, long maxBlockBytes, long mempoolMaxAgeMillis) {
    this.view = view;
    this.materials = materials;
    this.loader = loader;
    this.mempool = mempool;
    this.executor = executor;
    this.clock = clock;
    this.maxBlockTransactions = maxBlockTransactions;
    this.maxBlockBytes = maxBlockBytes;
    this.mempoolMaxAgeMillis = mempoolMaxAgeMillis;
  }

  /** Continues after the executed block {@code height}, with its state digest, time and certificate (none at 0). */
  void resume(long height, Hash digest, long blockTime, Optional<CommitCertificate> commit) {
    if (commit.isPresent() != height > 0 || commit.isPresent() && commit.get().height() != height) {
      throw new IllegalArgumentException("resuming after block " + height + " needs its certificate, got " + commit);
    }
    this.executedHeight = height;
    this.lastDigest = digest;
    this.lastBlockTime = blockTime;
    this.lastCommit = commit;
  }

  long executedHeight() {
    return executedHeight;
  }

  Hash lastDigest() {
    return lastDigest;
  }

  /** True if {@code id} is in an executed block that is not durable yet. */
  boolean inFlight(Hash id) {
    return inFlight.contains(id);
  }

  /**
   * A block of what the mempool holds, on the state digest this node computed, carrying the certificate this node
   * holds for the previous block (in memory: no store read).
   */
  Candidate propose(String chainId, ValidatorSet validators, NodeId proposer, long height, Hash previousHash, long nowMillis) {
    if (height != executedHeight + 1) {
      throw new IllegalStateException("asked to propose block " + height + " but block " + executedHeight + " is the last executed");
    }
    if (lastCommit.isPresent() && !lastCommit.get().blockHash().equals(previousHash)) {
      throw new IllegalStateException("asked to propose block " + height + " on " + previousHash + " but the last executed block is "
          + lastCommit.get().blockHash());
    }
    List<Transaction> txs = mempool.reap(maxBlockTransactions, maxBlockBytes);
    long time = Math.max(nowMillis, lastBlockTime); // block times never go back, even if this clock is behind
    BlockHeader header = new BlockHeader(chainId, height, previousHash, lastCommit.map(CommitCertificate::hash).orElse(Hash.ZERO), time,
        proposer, MerkleTree.rootOf(txs), txs.size(), lastDigest, validators.hash());
    return Candidate.of(header, txs, lastCommit);
  }

  boolean hasWork() {
    return mempool.size() > 0;
  }

  /**
   * A candidate must follow the last executed block, carry the state digest this node computed after it, and not go
   * back in time. All three are facts every honest node shares, so the answer is deterministic. Its previous commit
   * is not this node's to compare with its own: any certificate of more than two thirds for the previous block is
   * valid, and which one the proposer put in is its choice; consensus verifies it (signatures and quorum) as part of
   * valid(v), beside the transactions' signatures.
   */
  boolean accept(Candidate candidate) {
    BlockHeader h = candidate.header();
    if (candidate.height() != executedHeight + 1 || h.timeMillis() < lastBlockTime) {
      return false;
    }
    if (!h.stateDigest().equals(lastDigest)) {
      if (lastWarnedHeight != candidate.height()) {
        lastWarnedHeight = candidate.height();
        LOG.log(Level.WARNING, "block " + candidate.height() + " proposed by " + h.proposer() + " carries state digest " + h.stateDigest()
            + " but this node computed " + lastDigest + " after block " + executedHeight + ": a node with another state (a host"
            + " validator that is not deterministic, or other rules) proposed it");
      }
      return false;
    }
    return true;
  }

  /** True if {@code tx}'s signature verifies; one in the mempool was checked on admission. */
  boolean verified(Transaction tx) {
    return mempool.holds(tx) || tx.verifySignature();
  }

  /** What executing {@code txs} would read that the view does not hold. */
  StateLoader.Needs needs(List<Transaction> txs) {
    return loader.needs(txs, view);
  }

  /** A read of state the view lacks begins (its driver reads it off the context); see {@link CommittedView#loading}. */
  void loading() {
    view.loading();
  }

  /** The read finished: the view and the block materials take what it found. */
  void loaded(StateLoader.Loaded loaded) {
    view.loaded(loaded);
    materials.loaded(loaded.materials());
  }

  /** The read failed: the view forgets it was loading. */
  void loadFailed() {
    view.loadFailed();
  }

  /** What the last pass of {@link #attempt} missed. */
  StateLoader.Needs missed() {
    return missed;
  }

  /**
   * One pass of execution of the next block: its result if the view held everything it read (the view, digest and
   * mempool then move to after the block), else null with the misses in {@link #missed}, for the driver to load.
   */
  BlockExecution attempt(Block block) {
    if (block.height() != executedHeight + 1) {
      throw new IllegalStateException("block " + block.height() + " cannot execute after block " + executedHeight);
    }
    view.takeMisses();
    materials.takeMisses();
    BlockExecution ex = executor.execute(view, Executor.BlockInfo.of(block), block.transactions(), lastDigest, materials);
    missed = view.takeMisses().withMaterials(materials.takeMisses());
    if (!missed.isEmpty()) {
      return null;
    }
    materials.executed(block);
    view.executed(ex.changes());
    executedHeight = block.height();
    lastDigest = ex.stateDigest();
    lastBlockTime = block.header().timeMillis();
    lastCommit = Optional.of(block.certificate());
    block.transactions().forEach(t -> inFlight.add(t.id()));
    mempool.recheck(block.transactions(), view); // the block's senders: in the view, executed just now
    long now = clock.getAsLong();
    if (now - lastExpiry >= 1_000) { // a pass over the pool, so at most once a second
      lastExpiry = now;
      mempool.expire(mempoolMaxAgeMillis);
    }
    return ex;
  }

  /** Block {@code block} is durable: the view forgets what it can load again, its transactions are no longer in flight. */
  void stored(Block block, int viewEntries) {
    view.written();
    materials.stored(block.height());
    view.trim(viewEntries, mempool::hasSender);
    block.transactions().forEach(t -> inFlight.remove(t.id()));
  }
}
