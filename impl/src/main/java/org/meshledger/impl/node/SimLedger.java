package org.meshledger.impl.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.meshledger.TransactionValidator;
import org.meshledger.chain.Block;
import org.meshledger.chain.Hash;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.genesis.Genesis;
import org.meshledger.impl.consensus.Candidate;
import org.meshledger.impl.incentives.DefaultRewardRule;
import org.meshledger.impl.incentives.IncentiveState;
import org.meshledger.impl.ledger.BlockExecution;
import org.meshledger.impl.ledger.CommittedState;
import org.meshledger.impl.ledger.Executor;
import org.meshledger.impl.ledger.Mempool;
import org.meshledger.impl.ledger.StateDigest;
import org.meshledger.impl.store.InMemoryBlockStore;
import org.meshledger.spi.StateChanges;
import org.meshledger.spi.StoreContext;

/**
 * A node's ledger in a simulation: the same {@link LedgerCore} a node runs (mempool, propose, accept, execute), over
 * an in-memory store that holds only what the simulated disk made durable, with reads answered at once. One per
 * incarnation of a simulated node; the store and the blocks' changes outlive it ({@link Disk}), so a restarted node
 * resumes from what was durable, and a store that loses its tail is rebuilt from the blocks it kept.
 */
public final class SimLedger {
  /** What survives a crash: the blocks appended durably, with their changes, and the store holding them. */
  public static final class Disk {
    private final Genesis genesis;
    private final List<Block> blocks = new ArrayList<>();
    private final List<StateChanges> changes = new ArrayList<>();
    private InMemoryBlockStore store;

    public Disk(Genesis genesis) {
      this.genesis = genesis;
      this.store = open(genesis);
    }

    private static InMemoryBlockStore open(Genesis genesis) {
      return new InMemoryBlockStore(new StoreContext(Path.of("sim"), genesis.chainId(), genesis.hash()));
    }

    public long height() {
      return store.height();
    }

    /** Where the store says transaction {@code id} is (as a node answers a receipt lookup by id). */
    public Optional<org.meshledger.chain.LocatedTransaction> transaction(Hash id) {
      return store.transaction(id);
    }

    /** Keeps only the first {@code height} blocks: a store that came back short (a lost tail, a restored backup). */
    public void truncate(long height) {
      while (blocks.size() > height) {
        blocks.remove(blocks.size() - 1);
        changes.remove(changes.size() - 1);
      }
      store = open(genesis);
      for (int i = 0; i < blocks.size(); i++) {
        store.append(blocks.get(i), changes.get(i));
      }
    }

    void append(Block block, StateChanges c) {
      store.append(block, c);
      blocks.add(block);
      changes.add(c);
    }
  }

  private final Disk disk;
  private final StateLoader loader;
  private final Mempool mempool;
  private final LedgerCore core;
  private final Executor executor;
  private final List<BlockExecution> executed = new ArrayList<>();

  /** The ledger of a node that starts (or restarts) on {@code disk}, resuming after its last durable block. */
  public SimLedger(Genesis genesis, Disk disk, LongSupplier clock) {
    this.disk = disk;
    CommittedView view = new CommittedView();
    this.loader = new StateLoader(new CommittedState(disk.store, genesis), disk.store, Set.of(), Set.of(IncentiveState.KEY));
    this.mempool = new Mempool(genesis.chainId(), Mempool.Config.DEFAULTS, view, clock);
    this.executor = Executor.of(genesis, new DefaultRewardRule(), TransactionValidator.ACCEPT_ALL);
    this.core = new LedgerCore(view, new BlockMaterials(), loader, mempool, executor, clock, genesis.consensus().maxBlockTransactions(), 1 << 20, 600_000);
    long h = disk.height();
    if (h == 0) {
      core.resume(0, StateDigest.initial(genesis), genesis.genesisTime().toEpochMilli(), Optional.empty());
    } else {
      Block last = disk.blocks.get((int) h - 1);
      core.resume(h, disk.store.stateDigest(h).orElseThrow(), last.header().timeMillis(), Optional.of(last.certificate()));
    }
  }

  /** The executor this ledger runs blocks with: the simulator's tests switch deliberate bugs on in it. */
  public Executor executor() {
    return executor;
  }

  /** Admits a transaction from a client or a peer (its sender's state read at once); false if the mempool refused it. */
  public boolean admit(Transaction tx) {
    load(List.of(tx));
    return mempool.add(tx).valid();
  }

  public Candidate propose(String chainId, ValidatorSet validators, NodeId proposer, long height, Hash previousHash, long nowMillis) {
    return core.propose(chainId, validators, proposer, height, previousHash, nowMillis);
  }

  public boolean accept(Candidate candidate) {
    return core.accept(candidate);
  }

  public boolean hasWork() {
    return core.hasWork();
  }

  public boolean verified(Transaction tx) {
    return core.verified(tx);
  }

  /** Executes the next committed block against the view (reading what it lacks at once); its execution. */
  public BlockExecution execute(Block block) {
    load(block.transactions());
    BlockExecution ex = core.attempt(block);
    while (ex == null) {
      core.loading();
      core.loaded(loader.load(core.missed()));
      ex = core.attempt(block);
    }
    executed.add(ex);
    return ex;
  }

  /** The oldest executed block not yet durable is now on the disk (the simulated disk's write completed). */
  public void durable(Block block) {
    BlockExecution ex = executed.remove(0);
    disk.append(block, ex.changes());
    core.stored(block, 10_000);
  }

  /** The state digest after the last executed block. */
  public Hash digest() {
    return core.lastDigest();
  }

  private void load(List<Transaction> txs) {
    StateLoader.Needs needs = core.needs(txs);
    if (!needs.isEmpty()) {
      core.loading();
      core.loaded(loader.load(needs));
    }
  }
}
