package org.meshledger.impl.node;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import org.meshledger.Block;
import org.meshledger.Genesis;
import org.meshledger.Hash;
import org.meshledger.KeyPair;
import org.meshledger.NodeId;
import org.meshledger.Verification;
import org.meshledger.codec.DecodeException;
import org.meshledger.impl.consensus.Candidate;
import org.meshledger.impl.consensus.ConsensusConfig;
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

/**
 * Runs {@link Tendermint} on a node's Vert.x context: Vert.x timers, flooding over the {@link Network}
 * ({@link ConsensusFlood}), the {@link BlockStore} and the {@link SafetyFile}.
 *
 * <p><b>Writes before sends.</b> Disk writes (safety records, committed blocks) run off the event loop, one
 * after another in the order the machine asked for them. Every message the machine sends waits in an outbox
 * until all writes asked for before it are durable, so no signed message leaves before its safety record is
 * on disk, and nothing of height h+1 leaves before block h is stored. A failed write halts consensus (the
 * node keeps serving what it stored) and is logged as an error.
 *
 * <p><b>Idle blocks.</b> After a commit the machine waits {@code blockInterval}; while the
 * {@link ConsensusApp} has no work this node stretches that wait to {@code heartbeat}, and ends it early
 * (but not before {@code blockInterval}) when work arrives or a peer's proposal or vote for the new height
 * comes in, so all nodes start the round together.
 *
 * <p><b>A record ahead of the chain.</b> If the safety record is for a height above the next one (the store
 * lost blocks, e.g. a memory store), the node follows without signing until it reaches that height, then
 * resumes as a validator from the record. All methods run on the context.
 */
final class VertxConsensus implements ConsensusHost {
  private static final Logger LOG = System.getLogger("org.meshledger.consensus");
  private static final int RECENT_BLOCKS = 256;

  private final Vertx vertx;
  /**
   * One thread of its own for safety records and blocks: in Vert.x's shared worker pool they would queue behind
   * the signature checks of transaction batches, and every vote waits for the writes before it.
   */
  private final io.vertx.core.WorkerExecutor writer;
  private final Context context;
  private final Genesis genesis;
  private final BlockStore store;
  private final SafetyFile safetyFile;
  private final ConsensusApp app;
  private final ConsensusFlood flood;
  private final LongConsumer onHeight;
  private final ConsensusConfig config;
  private final CachingVerifier verifier = new CachingVerifier(16_384);
  private final TreeMap<Long, Block> recent = new TreeMap<>();
  private final ArrayDeque<Runnable> outbox = new ArrayDeque<>();

  private Tendermint machine;
  private int generation;
  private SafetyRecord resumeAt;
  private Future<Void> writes = Future.succeededFuture();
  private int pendingWrites;
  private Timeout pendingNewHeight;
  private long waitingSince;
  private boolean halted;
  private volatile String fault = "";

  VertxConsensus(Vertx vertx, Context context, Genesis genesis, KeyPair key, BlockStore store, SafetyFile safetyFile,
      ConsensusApp app, Network network, LongConsumer onHeight) {
    this.vertx = vertx;
    this.context = context;
    this.genesis = genesis;
    this.store = store;
    this.safetyFile = safetyFile;
    this.app = app;
    this.onHeight = onHeight;
    this.config = new ConsensusConfig(genesis.chainId(), genesis.validators(), genesis.consensus(), key, verifier);
    this.flood = new ConsensusFlood(network, config, verifier);
    this.writer = vertx.createSharedWorkerExecutor("meshledger-writes-" + key.nodeId().toHex().substring(0, 12), 1);
  }

  /**
   * Starts after the stored block {@code height} with the loaded {@code record} (or null). Loading and the
   * last block come from the caller, who read them off the event loop.
   */
  void start(long height, Hash lastHash, SafetyRecord record) {
    app.onWork(this::wake); // the app calls it on the context
    boolean validator = config.isValidator();
    if (validator && record != null && record.height() > height + 1) {
      LOG.log(Level.WARNING, "the safety record " + safetyFile.path().getFileName() + " is for height " + record.height()
          + " but the chain ends at " + height + ": following without signing until height " + record.height());
      resumeAt = record;
      machine = new Tendermint(followerConfig(), this, height, lastHash, null);
    } else {
      machine = new Tendermint(config, this, height, lastHash, validator ? record : null);
    }
    machine.start();
  }

  /** Completes once every write asked for so far is done (or failed): the store may close then. */
  Future<Void> drained() {
    return writes.transform(ar -> Future.<Void>succeededFuture()).eventually(writer::close);
  }

  void stop() {
    halted = true;
    outbox.clear();
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
    if (pendingNewHeight != null && (m instanceof Proposal || m instanceof Vote) && m.height() == machine.height()) {
      wake();
    }
    machine.onMessage(peer.id(), m);
  }

  /** Why this node stopped committing, or the empty string. Any thread. */
  String fault() {
    return fault;
  }

  /** The machine's state, for logs and test failures. */
  String describe() {
    return machine == null ? "not started" : machine.describe();
  }

  private ConsensusConfig followerConfig() {
    return new ConsensusConfig(config.chainId(), config.validators(), config.parameters(), null, verifier);
  }

  // ---- ConsensusHost (called by the machine, on the context)

  @Override
  public long now() {
    return System.currentTimeMillis();
  }

  @Override
  public void schedule(Timeout timeout, long delayMillis) {
    long delay = delayMillis;
    if (timeout.kind() == Timeout.Kind.NEW_HEIGHT) {
      pendingNewHeight = timeout;
      waitingSince = now();
      if (!app.hasWork()) {
        delay = Math.max(delayMillis, config.parameters().heartbeat().toMillis());
      }
    }
    int gen = generation;
    vertx.setTimer(Math.max(1, delay), id -> fire(gen, timeout));
  }

  private void fire(int gen, Timeout timeout) {
    if (halted || gen != generation) {
      return;
    }
    if (timeout.kind() == Timeout.Kind.NEW_HEIGHT) {
      if (!timeout.equals(pendingNewHeight)) {
        return; // woken early already
      }
      pendingNewHeight = null;
    }
    machine.onTimeout(timeout);
  }

  /** Ends the wait for the next height now, or once {@code blockInterval} has passed since the commit. */
  private void wake() {
    Timeout t = pendingNewHeight;
    if (t == null || halted) {
      return;
    }
    long due = waitingSince + config.parameters().blockInterval().toMillis() - now();
    if (due <= 0) {
      pendingNewHeight = null;
      machine.onTimeout(t);
    } else {
      int gen = generation;
      vertx.setTimer(due, id -> fire(gen, t));
    }
  }

  @Override
  public void broadcast(ConsensusMessage message) {
    afterWrites(() -> flood.broadcast(message));
  }

  @Override
  public void send(NodeId to, ConsensusMessage message) {
    afterWrites(() -> flood.send(to, message));
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
  public boolean verified(org.meshledger.Transaction tx) {
    return app.verified(tx);
  }

  @Override
  public void commit(Block block) {
    recent.put(block.height(), block);
    while (recent.size() > RECENT_BLOCKS) {
      recent.pollFirstEntry();
    }
    BlockExecution execution = app.execute(block);
    write(() -> {
      store.append(block, execution.changes());
      return null;
    }, "block " + block.height()).onSuccess(v -> {
      app.stored(block, execution);
      onHeight.accept(block.height());
    });
    if (resumeAt != null && block.height() + 1 == resumeAt.height()) {
      SafetyRecord record = resumeAt;
      resumeAt = null;
      context.runOnContext(v -> resume(block, record));
    }
  }

  /** Replaces the follower machine with a validator one, restored from {@code record}. */
  private void resume(Block last, SafetyRecord record) {
    if (halted || machine.height() != last.height() + 1) {
      LOG.log(Level.WARNING, "cannot resume signing at height " + record.height() + ": the node is at " + machine.height()
          + "; it keeps following");
      return;
    }
    LOG.log(Level.INFO, "resuming as validator at height " + record.height() + " round " + record.round());
    generation++;
    pendingNewHeight = null;
    machine = new Tendermint(config, this, last.height(), last.hash(), record);
    machine.start();
  }

  @Override
  public Block committed(long height) {
    Block b = recent.get(height);
    if (b != null || height > store.height()) {
      return b;
    }
    return store.block(height).orElse(null); // rare: a peer far behind; a short read
  }

  @Override
  public void persist(SafetyRecord record) {
    write(() -> {
      safetyFile.save(record);
      return null;
    }, "safety record for height " + record.height());
  }

  // ---- writes before sends

  private Future<Void> write(Callable<Void> work, String what) {
    pendingWrites++;
    writes = writes.compose(v -> writer.executeBlocking(work));
    return writes.andThen(ar -> {
      pendingWrites--;
      if (ar.failed()) {
        if (!halted) {
          fault = "consensus halted: cannot write " + what + ": " + ar.cause().getMessage();
          LOG.log(Level.ERROR, fault, ar.cause());
          app.halted(fault);
        }
        stop();
      } else if (pendingWrites == 0) {
        while (!outbox.isEmpty() && !halted) {
          outbox.poll().run();
        }
      }
    });
  }

  private void afterWrites(Runnable send) {
    if (halted) {
      return;
    }
    if (pendingWrites == 0) {
      send.run();
    } else {
      outbox.add(send);
    }
  }

  /** Checks a block offered by a peer on its own (certificate, transactions); the link is the machine's to check. */
  static Verification verify(Block block, Genesis genesis) {
    if (!block.header().chainId().equals(genesis.chainId())) {
      return Verification.failed("block " + block.height() + " is for chain " + block.header().chainId());
    }
    return block.verify(genesis.validators());
  }
}
