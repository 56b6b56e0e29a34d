package org.meshledger.impl.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.lang.System.Logger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.meshledger.SyncProgress;
import org.meshledger.Verification;
import org.meshledger.chain.Block;
import org.meshledger.chain.Hash;
import org.meshledger.chain.NodeId;
import org.meshledger.codec.DecodeException;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.impl.consensus.ConsensusFlood;
import org.meshledger.impl.consensus.Candidate;
import org.meshledger.impl.consensus.ConsensusConfig;
import org.meshledger.impl.consensus.ConsensusHealth;
import org.meshledger.impl.consensus.ConsensusHost;
import org.meshledger.impl.consensus.ConsensusMessage;
import org.meshledger.impl.consensus.Proposal;
import org.meshledger.impl.consensus.SafetyRecord;
import org.meshledger.impl.consensus.Tendermint;
import org.meshledger.impl.consensus.Timeout;
import org.meshledger.impl.consensus.Vote;
import org.meshledger.impl.ledger.BlockExecution;
import org.meshledger.impl.net.Network;
import org.meshledger.impl.net.PeerConnection;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.StateChanges;

/**
 * Runs {@link Tendermint} on a node's Vert.x context: Vert.x timers, flooding over the {@link Network}
 * ({@link ConsensusFlood}), the {@link BlockStore} and the {@link SafetyFile}; and beside it block sync
 * ({@link VertxSync}), which hands certified blocks to the machine in order.
 *
 * <p><b>Writes before sends.</b> Disk writes (safety records, committed blocks) run off the event loop, one
 * after another in the order the machine asked for them; each completed write is reported to the machine
 * ({@link Tendermint#onDurable}), which holds every message it sends until the writes asked before it are durable
 * (the rule is the machine's, see {@link ConsensusHost#persist}). A failed write halts consensus (the node keeps
 * serving what it stored) and is logged as an error.
 *
 * <p><b>Idle blocks.</b> The machine decides when the next height starts (after {@code blockInterval} with work
 * or a peer at the new height, else at {@code heartbeat}); this driver tells it when the {@link ConsensusApp} gets
 * work ({@link Tendermint#onWork}) and answers {@link #hasWork}.
 *
 * <p><b>A record ahead of the chain.</b> If the safety record is for a height above the next one (the store
 * lost blocks, was restored from a backup or rebuilt), the machine itself follows without signing until the
 * chain reaches that height, then signs from the record on ({@link Tendermint#signing()}), whatever the order
 * in which sync and consensus bring the blocks.
 *
 * <p><b>Health.</b> A {@link ConsensusHealth} follows connections, fresh messages and the machine's height and
 * round, so the node's status can say when no quorum is reachable or a height stalls ({@link #health}); a
 * {@link HealthReport} logs a change of verdict, checked on every timer the machine fires (at least once per
 * {@code voteTimeout}).
 *
 * <p>All methods run on the context, except {@link #fault}, {@link #progress} and {@link #health}.
 */
final class VertxConsensus implements ConsensusHost {
  private static final Logger LOG = System.getLogger("org.meshledger.consensus");
  private static final int RECENT_BLOCKS = 256;
  /** Blocks appended as one durable group at most. */
  private static final int MAX_GROUP = 64;

  private final Vertx vertx;
  /**
   * One thread of its own for safety records and blocks: in Vert.x's shared worker pool they would queue behind
   * the signature checks of transaction batches, and every vote waits for the writes before it.
   */
  private final io.vertx.core.WorkerExecutor writer;
  private final Genesis genesis;
  private final BlockStore store;
  private final SafetyFile safetyFile;
  private final ConsensusApp app;
  private final ConsensusFlood<PeerConnection> flood;
  private final LongConsumer onHeight;
  private final ConsensusConfig config;
  private final Network network;
  private final Consumer<SyncProgress> progress;
  private final CachingVerifier verifier = new CachingVerifier(16_384);
  private final ConsensusHealth health;
  private final TreeMap<Long, Block> recent = new TreeMap<>();
  private final ConcurrentLinkedQueue<Unwritten> unwritten = new ConcurrentLinkedQueue<>();

  private Tendermint machine;
  private volatile VertxSync sync;
  private Future<Void> writes = Future.succeededFuture();
  private boolean halted;
  private boolean paused; // a committed block waits for its state: machine inputs are held
  private final ArrayDeque<Runnable> held = new ArrayDeque<>();
  private volatile String fault = "";
  private HealthReport report;

  VertxConsensus(Vertx vertx, Genesis genesis, KeyPair key, BlockStore store, SafetyFile safetyFile,
      ConsensusApp app, Network network, LongConsumer onHeight, Consumer<SyncProgress> progress) {
    this.vertx = vertx;
    this.genesis = genesis;
    this.store = store;
    this.safetyFile = safetyFile;
    this.app = app;
    this.onHeight = onHeight;
    this.network = network;
    this.progress = progress;
    this.config = new ConsensusConfig(genesis.chainId(), genesis.validators(), genesis.consensus(), key, verifier);
    this.health = new ConsensusHealth(config);
    this.flood = NetworkFlood.over(network, config, verifier, this::fresh);
    this.writer = vertx.createSharedWorkerExecutor("meshledger-writes-" + key.nodeId().toHex().substring(0, 12), 1);
  }

  /**
   * Starts after the stored block {@code height} with the loaded {@code record} (or null). Loading and the
   * last block come from the caller, who read them off the event loop.
   */
  void start(long height, Hash lastHash, SafetyRecord record) {
    app.onWork(this::work); // the app calls it on the context
    boolean validator = config.isValidator();
    if (validator && record != null && record.height() > height + 1) {
      LOG.log(Level.WARNING, "the safety record " + safetyFile.path().getFileName() + " is for height " + record.height()
          + " but the chain ends at " + height + ": fetching the missing blocks from peers, and following without signing until height "
          + record.height());
    }
    machine = new Tendermint(config, this, height, lastHash, validator ? record : null);
    sync = new VertxSync(vertx, genesis, network, flood, store, this::committed, app::prepare, b -> {
      if (paused) {
        return false; // sync asks again (rare: it read the block's state before handing it over)
      }
      boolean committed = machine.onCertifiedBlock(b);
      observe();
      return committed;
    }, progress, height);
    report = new HealthReport(config.key().nodeId(), now(), health.stallMillis());
    machine.start();
    observe();
    sync.start();
  }

  /** How consensus stands as this node sees it; any thread. */
  ConsensusHealth.Assessment health() {
    return health.assess(now());
  }

  /** A proposal or vote new to this node: its signer is alive and reaches this node, if it is recent. */
  private void fresh(ConsensusMessage m) {
    if (machine != null && m.height() >= machine.height() - 1) {
      health.heard(m instanceof Proposal p ? p.proposer() : ((Vote) m).validator(), now());
    }
  }

  /** Tells the health watch where the machine is; after every input the machine takes. */
  private void observe() {
    health.observe(machine.height(), machine.round(), machine.waitingForHeight(), now());
  }

  /** Where block sync stood at its last tick, or null; any thread. */
  SyncProgress progress() {
    VertxSync s = sync;
    return s == null ? null : s.snapshot();
  }

  void onConnected(PeerConnection peer) {
    health.connected(peer.id(), now());
    if (sync != null && !halted) {
      sync.onConnected(peer);
    }
  }

  void onDisconnected(PeerConnection peer) {
    health.disconnected(peer.id());
    if (sync != null) {
      sync.onDisconnected(peer);
    }
  }

  /** Completes once every write asked for so far is done (or failed): the store may close then. */
  Future<Void> drained() {
    return writes.transform(ar -> Future.<Void>succeededFuture()).eventually(writer::close);
  }

  void stop() {
    halted = true;
    if (sync != null) {
      sync.stop();
    }
  }

  /** A consensus frame from {@code peer}. */
  void onFrame(PeerConnection peer, byte[] body) {
    if (halted || machine == null) {
      return;
    }
    ConsensusMessage m;
    try {
      m = flood.receive(peer, body);
    } catch (DecodeException e) {
      return; // already penalized
    }
    if (m == null) {
      return;
    }
    if (!(m instanceof Proposal) && !(m instanceof Vote)) {
      sync.onMessage(peer, m);
      return;
    }
    if (held(() -> onMessage(peer, m))) {
      return;
    }
    onMessage(peer, m);
  }

  private void onMessage(PeerConnection peer, ConsensusMessage m) {
    if (halted) {
      return;
    }
    machine.onMessage(peer.id(), m);
    observe();
  }

  /** Why this node stopped committing, or the empty string. Any thread. */
  String fault() {
    return fault;
  }

  /** The machine's state, for logs and test failures. */
  String describe() {
    return machine == null ? "not started" : machine.describe();
  }

  // ---- ConsensusHost (called by the machine, on the context)

  @Override
  public long now() {
    return System.currentTimeMillis();
  }

  @Override
  public void schedule(Timeout timeout, long delayMillis) {
    vertx.setTimer(Math.max(1, delayMillis), id -> fire(timeout));
  }

  private void fire(Timeout timeout) {
    if (halted || held(() -> fire(timeout))) {
      return;
    }
    machine.onTimeout(timeout);
    observe();
    report.check(health.assess(now()), now());
  }

  /** Transactions arrived: the machine may start the next height before the idle heartbeat. */
  private void work() {
    if (halted || held(this::work)) {
      return;
    }
    machine.onWork();
    observe();
  }

  @Override
  public boolean hasWork() {
    return app.hasWork();
  }

  @Override
  public void broadcast(ConsensusMessage message) {
    if (!halted) {
      flood.broadcast(message);
    }
  }

  @Override
  public Candidate propose(long height, Hash previousHash) {
    return app.propose(config.chainId(), config.validators(), config.key().nodeId(), height, previousHash, now());
  }

  @Override
  public boolean accept(Candidate candidate) {
    return app.accept(candidate);
  }

  @Override
  public boolean verified(org.meshledger.chain.Transaction tx) {
    return app.verified(tx);
  }

  @Override
  public boolean commit(Block block) {
    recent.put(block.height(), block);
    while (recent.size() > RECENT_BLOCKS) {
      recent.pollFirstEntry();
    }
    Future<BlockExecution> execution = app.execute(block);
    Unwritten[] mine = new Unwritten[1];
    // Queued for the writer before pause's listener replays the held inputs: a replay that commits the next block
    // (a lone validator decides it at once) must find this one ahead of it in the queue.
    Future<Void> executed = execution.map(ex -> {
      mine[0] = new Unwritten(block, ex.changes(), new AtomicBoolean());
      unwritten.add(mine[0]);
      return null;
    });
    if (!execution.isComplete()) {
      pause(execution);
    }
    write(executed, () -> {
      appendFrom(mine[0]);
      return null;
    }, "block " + block.height()).onSuccess(v -> {
      app.stored(block, execution.result());
      onHeight.accept(block.height());
      if (!halted) {
        sync.core().onStored(block.height());
      }
    });
    sync.core().onCommitted(block.height(), block.transactions().size());
    return false; // durable once the write completes: write() reports it to the machine
  }

  /** A committed block waiting for the store; {@code written} once a group that held it is durable. */
  private record Unwritten(Block block, StateChanges changes, AtomicBoolean written) {}

  /**
   * On the writer thread, in the write of {@code mine}: appends it with every committed block queued behind it
   * (up to {@value #MAX_GROUP}) as one durable group, so a node that commits faster than single appends reach the
   * disk (catching up) syncs once per group. The writes of the blocks taken along find them written and do
   * nothing; each still completes in order, so what waits for a block's write still waits for it.
   */
  private void appendFrom(Unwritten mine) {
    if (mine.written().get()) {
      return;
    }
    List<Unwritten> group = new ArrayList<>();
    Unwritten u;
    while (group.size() < MAX_GROUP && (u = unwritten.poll()) != null) {
      group.add(u);
    }
    if (group.isEmpty() || group.get(0) != mine) {
      throw new IllegalStateException("block " + mine.block().height() + " is not the next to write"); // writes run in order
    }
    store.appendAll(group.stream().map(Unwritten::block).toList(), group.stream().map(Unwritten::changes).toList());
    group.forEach(x -> x.written().set(true));
  }

  /** A recently committed block (the last {@value #RECENT_BLOCKS}), or null: sync reads older ones from the store. */
  Block committed(long height) {
    return recent.get(height);
  }

  @Override
  public boolean persist(SafetyRecord record) {
    write(() -> {
      safetyFile.save(record);
      return null;
    }, "safety record for height " + record.height());
    return false; // durable once the write completes: write() reports it to the machine
  }

  // ---- a pause while a block's state is read

  /**
   * Holds every input to the machine (messages, timers, wake-ups, blocks from sync) until {@code execution}
   * completes, then replays them in order: the machine sees the commit as synchronous, and asks nothing of the
   * application (propose, accept) before the block it committed is executed.
   */
  private void pause(Future<BlockExecution> execution) {
    paused = true;
    execution.onComplete(ar -> {
      paused = false;
      while (!paused && !held.isEmpty()) {
        held.poll().run();
      }
    });
  }

  /** True if {@code input} was held for after the pause; else the caller runs it now. */
  private boolean held(Runnable input) {
    if (!paused) {
      return false;
    }
    held.add(input);
    return true;
  }

  // ---- writes before sends

  private Future<Void> write(Callable<Void> work, String what) {
    return write(Future.succeededFuture(), work, what);
  }

  /**
   * Writes {@code work} after every write asked for before it, once {@code ready} (an execution) completed, and
   * tells the machine when it is durable: each write the machine asked for reports exactly once, in order.
   */
  private Future<Void> write(Future<Void> ready, Callable<Void> work, String what) {
    writes = writes.compose(v -> ready).compose(v -> writer.executeBlocking(work));
    return writes.andThen(ar -> {
      if (ar.failed()) {
        if (!halted) {
          fault = "consensus halted: cannot write " + what + ": " + ar.cause().getMessage();
          LOG.log(Level.ERROR, fault, ar.cause());
          app.halted(fault);
        }
        stop();
      } else {
        // Reported in a task of its own: a write can complete while the machine is still inside the call that asked
        // for it (its future's listeners may run at once), and the machine counts a write only once that call returns.
        vertx.runOnContext(v -> {
          if (!halted) {
            machine.onDurable();
          }
        });
      }
    });
  }

  /** Checks a block offered by a peer on its own (certificate, transactions); the link is the machine's to check. */
  static Verification verify(Block block, Genesis genesis) {
    return verifyAll(List.of(block), genesis).get(0);
  }

  /**
   * Each block of this chain, checked on its own ({@link Block#verify}) but with the transactions' signatures of
   * all of them as one batch ({@link Block#verifyAll}); a block of another chain is refused as such.
   */
  static List<Verification> verifyAll(List<Block> blocks, Genesis genesis) {
    List<Verification> verdicts = new ArrayList<>(blocks.size());
    List<Block> ofChain = new ArrayList<>(blocks.size());
    for (Block b : blocks) {
      boolean right = b.header().chainId().equals(genesis.chainId());
      verdicts.add(right ? null : Verification.failed("block " + b.height() + " is for chain " + b.header().chainId()));
      if (right) {
        ofChain.add(b);
      }
    }
    List<Verification> checked = Block.verifyAll(ofChain, genesis.validators());
    for (int i = 0, j = 0; i < verdicts.size(); i++) {
      if (verdicts.get(i) == null) {
        verdicts.set(i, checked.get(j++));
      }
    }
    return verdicts;
  }
}
