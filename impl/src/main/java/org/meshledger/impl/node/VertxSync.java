package org.meshledger.impl.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.lang.System.Logger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import org.meshledger.SyncProgress;
import org.meshledger.Verification;
import org.meshledger.chain.Block;
import org.meshledger.chain.NodeId;
import org.meshledger.genesis.Genesis;
import org.meshledger.impl.consensus.ConsensusFlood;
import org.meshledger.impl.consensus.ConsensusMessage;
import org.meshledger.impl.net.Network;
import org.meshledger.impl.net.PeerConnection;
import org.meshledger.impl.sync.BlockSync;
import org.meshledger.spi.BlockStore;

/**
 * Runs {@link BlockSync} on a node's context: a Vert.x timer for its ticks, block verification on worker
 * threads (several blocks at once, unordered), reads of the store for serving on worker threads, and the
 * consensus flood's point-to-point sends. Progress goes to the log (at most every few seconds), to the node's
 * listeners and to the ledger. All methods but the worker bodies run on the context.
 */
final class VertxSync implements BlockSync.Host {
  private static final Logger LOG = System.getLogger("org.meshledger.sync");
  private static final long LOG_EVERY_MILLIS = 5_000;

  private final Vertx vertx;
  private final Genesis genesis;
  private final Network network;
  private final ConsensusFlood<PeerConnection> flood;
  private final BlockStore store;
  private final LongFunction<Block> recent;
  private final Predicate<Block> deliver;
  private final java.util.function.Function<Block, Future<Void>> prepare;
  private final Consumer<SyncProgress> listener;
  private final BlockSync sync;
  /** The progress as of the last tick, for other threads ({@code Node.status()}). */
  private volatile SyncProgress snapshot;
  private long timer = -1;
  private long lastLog = Long.MIN_VALUE;
  private boolean stopped;

  VertxSync(Vertx vertx, Genesis genesis, Network network, ConsensusFlood<PeerConnection> flood, BlockStore store, LongFunction<Block> recent,
      java.util.function.Function<Block, Future<Void>> prepare, Predicate<Block> deliver, Consumer<SyncProgress> listener, long height) {
    this.vertx = vertx;
    this.genesis = genesis;
    this.network = network;
    this.flood = flood;
    this.store = store;
    this.recent = recent;
    this.deliver = deliver;
    this.prepare = prepare;
    this.listener = listener;
    this.sync = new BlockSync(BlockSync.Settings.DEFAULT, this, height);
  }

  BlockSync core() {
    return sync;
  }

  /** Progress as of the last tick (null before the first); any thread. */
  SyncProgress snapshot() {
    return snapshot;
  }

  void start() {
    timer = vertx.setPeriodic(BlockSync.Settings.DEFAULT.tickMillis(), id -> {
      if (!stopped) {
        sync.onTick();
        snapshot = sync.progress();
      }
    });
    network.peers().forEach(p -> {
      if (p.id() != null) {
        sync.onConnected(p.id(), p.height());
      }
    });
  }

  void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** A sync message (status, request or decision) from {@code peer}. */
  void onMessage(PeerConnection peer, ConsensusMessage m) {
    if (stopped || peer.id() == null) {
      return;
    }
    if (m instanceof ConsensusMessage.Status s) {
      sync.onStatus(peer.id(), s.height());
    } else if (m instanceof ConsensusMessage.SyncRequest r) {
      sync.onRequest(peer.id(), r.height(), r.count());
    } else if (m instanceof ConsensusMessage.Decision d) {
      sync.onBlock(peer.id(), d.block());
    }
  }

  void onConnected(PeerConnection peer) {
    if (!stopped && peer.id() != null) {
      sync.onConnected(peer.id(), peer.height());
    }
  }

  void onDisconnected(PeerConnection peer) {
    if (!stopped && peer.id() != null && network.peers().stream().noneMatch(p -> p != peer && peer.id().equals(p.id()))) {
      sync.onDisconnected(peer.id());
    }
  }

  // ---- BlockSync.Host

  @Override
  public long now() {
    return System.currentTimeMillis();
  }

  @Override
  public void send(NodeId to, ConsensusMessage message) {
    if (!stopped) {
      flood.send(to, message);
    }
  }

  @Override
  public void serve(NodeId to, long from, long upTo) {
    if (recent.apply(from) != null) {
      sendFrom(to, List.of(), from, upTo); // recent blocks are contiguous up to the last committed one
      return;
    }
    vertx.executeBlocking(() -> {
      List<Block> read = new ArrayList<>();
      for (long h = from; h <= upTo; h++) {
        Block b = store.block(h).orElse(null);
        if (b == null) {
          break; // committed, not yet stored: it is in memory
        }
        read.add(b);
      }
      return read;
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        LOG.log(Level.WARNING, "cannot read blocks " + from + ".." + upTo + " for " + to + ": " + ar.cause());
      }
      List<Block> read = ar.succeeded() ? ar.result() : List.of();
      sendFrom(to, read, from + read.size(), upTo);
    });
  }

  /** Sends {@code first}, then the blocks from {@code next} to {@code upTo} that are in memory. */
  private void sendFrom(NodeId to, List<Block> first, long next, long upTo) {
    List<Block> all = new ArrayList<>(first);
    for (long h = next; h <= upTo; h++) {
      Block b = recent.apply(h);
      if (b == null) {
        break;
      }
      all.add(b);
    }
    sendAll(to, all);
  }

  private void sendAll(NodeId to, List<Block> blocks) {
    if (!stopped) {
      blocks.forEach(b -> flood.send(to, new ConsensusMessage.Decision(b)));
    }
    sync.served(to);
  }

  /** A block waiting for verification, and the peer that served it. */
  private record Unverified(NodeId from, Block block) {}

  /**
   * Verification jobs at once: one per core. Blocks that arrive while they are all busy wait and go together in
   * the next job, so the busier the node, the larger the batch of signatures (ADR 021).
   */
  static final int VERIFY_JOBS = Math.max(1, Runtime.getRuntime().availableProcessors());
  /** Blocks in one verification job, at most: 32 blocks of 100 transactions are a batch of 3,200 signatures. */
  static final int VERIFY_BLOCKS = 32;

  private final ArrayDeque<Unverified> unverified = new ArrayDeque<>();
  private int verifyJobs;

  @Override
  public void verify(NodeId from, Block block) {
    unverified.add(new Unverified(from, block));
    if (verifyJobs < VERIFY_JOBS) {
      startVerifying();
    }
  }

  /** Verifies the blocks waiting (up to {@link #VERIFY_BLOCKS}) on a worker thread, their signatures as one batch. */
  private void startVerifying() {
    List<Unverified> job = new ArrayList<>(Math.min(unverified.size(), VERIFY_BLOCKS));
    while (!unverified.isEmpty() && job.size() < VERIFY_BLOCKS) {
      job.add(unverified.poll());
    }
    List<Block> blocks = job.stream().map(Unverified::block).toList();
    verifyJobs++;
    vertx.executeBlocking(() -> VertxConsensus.verifyAll(blocks, genesis), false).onComplete(ar -> {
      verifyJobs--;
      if (stopped) {
        return;
      }
      if (!unverified.isEmpty()) {
        startVerifying();
      }
      for (int i = 0; i < job.size(); i++) {
        Unverified u = job.get(i);
        Verification v = ar.succeeded() ? ar.result().get(i) : Verification.failed("verification failed: " + ar.cause());
        if (!v.valid()) {
          sync.onVerified(u.from(), u.block(), v);
          continue;
        }
        prepare.apply(u.block()).onComplete(read -> { // its state, read before consensus executes it
          if (!stopped) {
            sync.onVerified(u.from(), u.block(), v); // a failed read only means execution reads it again
          }
        });
      }
    });
  }

  @Override
  public boolean deliver(Block block) {
    return !stopped && deliver.test(block);
  }

  @Override
  public void penalize(NodeId peer, int points, String reason) {
    for (PeerConnection p : network.peers()) {
      if (peer.equals(p.id())) {
        network.penalize(p, points, reason);
        return;
      }
    }
  }

  @Override
  public void progress(SyncProgress progress, boolean started, boolean finished) {
    long now = now();
    if (started) {
      LOG.log(Level.INFO, "catching up: " + progress);
      lastLog = now;
    } else if (finished) {
      LOG.log(Level.INFO, "caught up at height " + progress.height());
      lastLog = now;
    } else if (now - lastLog >= LOG_EVERY_MILLIS) {
      LOG.log(Level.INFO, "catching up: " + progress);
      lastLog = now;
    }
    listener.accept(progress);
  }
}
