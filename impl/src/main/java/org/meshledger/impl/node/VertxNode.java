package org.meshledger.impl.node;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.meshledger.Genesis;
import org.meshledger.Member;
import org.meshledger.Node;
import org.meshledger.NodeId;
import org.meshledger.NodeOptions;
import org.meshledger.NodeStatus;
import org.meshledger.NodeStatus.PeerInfo;
import org.meshledger.NodeStatus.State;
import org.meshledger.Propagator;
import org.meshledger.Role;
import org.meshledger.Spreading;
import org.meshledger.StorageException;
import org.meshledger.SyncProgress;
import org.meshledger.codec.DecodeException;
import org.meshledger.impl.consensus.ConsensusHealth;
import org.meshledger.impl.net.Network;
import org.meshledger.impl.net.NetworkConfig;
import org.meshledger.impl.net.NetworkListener;
import org.meshledger.PeerAddress;
import org.meshledger.impl.net.PeerConnection;
import org.meshledger.impl.spreading.Relay;
import org.meshledger.impl.spreading.RelayPropagator;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.Peer;
import org.meshledger.spi.SpreadFrame;
import org.meshledger.spi.SpreadingProtocols;
import org.meshledger.spi.StoreContext;

/**
 * A node on Vert.x: its store, its network and its spreading, all driven from one context. The protocol
 * code is the simulator's; this class only wires it to sockets and manages the node's life.
 */
final class VertxNode implements Node, NetworkListener {
  private static final Logger LOG = System.getLogger("org.meshledger.node");
  /** Penalty for a spreading frame that does not decode: a few are noise, a stream of them a ban. */
  private static final int BAD_FRAME_POINTS = 20;

  private final NodeOptions options;
  private final Genesis genesis;
  private final org.meshledger.KeyPair identity;
  private final Spreading spreading;
  private final org.meshledger.TransactionValidator validator;
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final BlockStore givenStore;
  private final Object meterRegistry;
  private final Context context;
  private final Set<Role> roles;
  private final RelayPropagator propagator;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final Promise<Void> stopped = Promise.promise();
  private final java.util.List<Consumer<SyncProgress>> progressListeners =
      new CopyOnWriteArrayList<>();

  // Touched on the context only.
  private BlockStore store;
  private Network network;
  private VertxSpreadingRuntime runtime;
  private Relay relay;
  private volatile VertxConsensus consensus;
  private volatile NodeLedger ledger;
  private AutoCloseable metrics;
  private volatile long height;

  VertxNode(Node.Builder b) {
    this.options = b.options();
    this.genesis = b.genesis();
    this.identity = b.identity();
    this.spreading = SpreadingProtocols.validate(b.spreading());
    this.validator = b.validator();
    this.ownsVertx = b.vertx() == null;
    this.vertx = ownsVertx ? Vertx.vertx() : b.vertx();
    this.givenStore = b.plugin(BlockStore.class);
    this.meterRegistry = Metrics.registry(b);
    this.context = newEventLoopContext(vertx);
    this.roles = genesis.member(identity.nodeId()).map(Member::roles).orElse(Set.of());
    if (genesis.permissioned() && roles.isEmpty()) {
      if (ownsVertx) {
        vertx.close();
      }
      throw new org.meshledger.ConfigurationException("node " + identity.nodeId() + " is not a member of permissioned chain '"
          + genesis.chainId() + "': add it to the genesis or use an open network");
    }
    this.propagator = new RelayPropagator(spreading, task -> context.runOnContext(v -> task.run()));
  }

  /**
   * A context of its own on one of the Vert.x event loops. {@code getOrCreateContext()} called from a thread that
   * is not Vert.x's returns that thread's one sticky context, so every node a host builds from its main thread on
   * a shared Vert.x would share one event loop; {@code createEventLoopContext()} (Vert.x's internal API, exported
   * by vertx-core) takes the next event loop instead. Another Vert.x implementation falls back to the sticky one.
   */
  static Context newEventLoopContext(Vertx vertx) {
    return vertx instanceof io.vertx.core.internal.VertxInternal internal ? internal.createEventLoopContext() : vertx.getOrCreateContext();
  }

  /** The node's context, for tests that check threading. */
  Context context() {
    return context;
  }

  @Override
  public NodeId id() {
    return identity.nodeId();
  }

  @Override
  public Genesis genesis() {
    return genesis;
  }

  @Override
  public Propagator propagator() {
    return propagator;
  }

  @Override
  public org.meshledger.Ledger ledger() {
    NodeLedger l = ledger;
    if (l == null) {
      throw new IllegalStateException("node " + id() + " has no ledger yet: start it first (it is " + state.get() + ")");
    }
    return l;
  }

  @Override
  public Future<Void> start() {
    if (!state.compareAndSet(State.NEW, State.STARTING)) {
      return Future.failedFuture(new IllegalStateException("node " + id() + " cannot start: it is " + state.get()
          + " (a node starts once; build a new one to restart)"));
    }
    Promise<Void> started = Promise.promise();
    SafetyFile safetyFile = new SafetyFile(options.getDataDir());
    Resume[] resume = new Resume[1];
    context.runOnContext(v -> vertx.executeBlocking(this::openStore).compose(s -> {
      store = s;
      return vertx.executeBlocking(() -> resume[0] = Resume.load(s, genesis, safetyFile));
    }).compose(r -> {
      height = r.height();
      runtime = new VertxSpreadingRuntime(id(), context, new SplittableRandom(new SecureRandom().nextLong()),
          this::spreadingPeers, this::send);
      relay = new Relay(runtime, SpreadingProtocols.provider(spreading.protocol()).create(spreading.parameters()),
          Relay.Settings.DEFAULT, propagator);
      propagator.bind(relay);
      network = new Network(vertx, networkConfig(), this);
      network.setHeight(height);
      NodeLedger l = new NodeLedger(context, genesis, store, options, validator, propagator,
          () -> state.get() == State.RUNNING || state.get() == State.STARTING);
      checkHealable(r);
      consensus = new VertxConsensus(vertx, genesis, identity, store, safetyFile, l, network, this::committed, this::progress);
      l.start(r.height(), r.digest(), r.lastTime());
      ledger = l;
      return network.start();
    }).onComplete(ar -> {
      if (ar.succeeded()) {
        consensus.start(resume[0].height(), resume[0].lastHash(), resume[0].record());
        metrics = Metrics.bind(meterRegistry, this);
        state.set(State.RUNNING);
        LOG.log(Level.INFO, "node " + id() + " of chain " + genesis.chainId() + " runs at height " + height + " on port "
            + network.port() + " with " + spreading);
        HealthReport.logTolerance(genesis.chainId(), genesis.validators());
        started.complete();
      } else {
        LOG.log(Level.ERROR, "node " + id() + " failed to start: " + ar.cause().getMessage());
        state.set(State.STOPPING);
        release().onComplete(r -> started.fail(ar.cause()));
      }
    }));
    return started.future();
  }

  /**
   * A validator whose store is behind the height it signed at (a lost tail, a restored backup, a wiped store)
   * heals from its peers; a lone validator with no peer to ask cannot, and refuses to start rather than sign
   * on a chain it does not hold.
   */
  private void checkHealable(Resume r) {
    if (r.record() != null && r.record().height() > r.height() + 1 && genesis.validators().size() == 1
        && genesis.validators().contains(id()) && options.getPeers().isEmpty()) {
      throw new StorageException("the store in " + options.getDataDir() + " holds " + r.height()
          + " blocks, but this validator signed at height " + r.record().height() + ": blocks " + (r.height() + 1) + ".."
          + (r.record().height() - 1) + " are missing, and as the only validator with no peer configured it cannot fetch them. Restore"
          + " the data directory from a backup, or add a peer that holds the chain (NodeOptions.addPeer)");
    }
  }

  /** Block sync's progress, on the context: to the ledger and the host's listeners. */
  private void progress(SyncProgress p) {
    NodeLedger l = ledger;
    if (l != null) {
      l.syncProgress(p.height(), p.target());
    }
    for (var listener : progressListeners) {
      try {
        listener.accept(p);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a sync progress listener of node " + id() + " failed: " + e, e);
      }
    }
  }

  @Override
  public Registration onSyncProgress(Consumer<SyncProgress> listener) {
    java.util.Objects.requireNonNull(listener, "listener");
    progressListeners.add(listener);
    return () -> progressListeners.remove(listener);
  }

  private BlockStore openStore() throws Exception {
    if (givenStore != null) {
      return givenStore;
    }
    Files.createDirectories(options.getDataDir());
    return BlockStores.open(options.getStorage(), new StoreContext(options.getDataDir(), genesis.chainId(), genesis.hash()));
  }

  /** The network settings the options give; package-private for the test that checks the mapping. */
  NetworkConfig networkConfig() {
    return new NetworkConfig().setDataDir(options.getDataDir()).setGenesis(genesis).setKey(identity)
        .setListenHost(options.getListenHost()).setListenPort(options.getListenPort())
        .setBootstrapPeers(options.getPeers().stream().map(PeerAddress::parse).toList())
        .setTargetOutbound(options.getTargetOutbound()).setMaxInbound(options.getMaxInbound())
        .setHandshakeTimeout(options.getHandshakeTimeout()).setKeepaliveInterval(options.getKeepAliveInterval())
        .setIdleTimeout(options.getIdleTimeout()).setReconnectMin(options.getReconnectMin())
        .setReconnectMax(options.getReconnectMax()).setMaxFrameBytes(options.getMaxFrameBytes())
        .setAdvertisedHost(options.getAdvertisedHost()).setPeerExchangeInterval(options.getPeerExchangeInterval())
        .setBanThreshold(options.getBanThreshold()).setBanDuration(options.getBanDuration())
        .setRoles(roles.isEmpty() ? Set.of(Role.OBSERVER) : roles);
  }

  @Override
  public Future<Void> stop() {
    State s = state.get();
    if (s == State.NEW && state.compareAndSet(State.NEW, State.STOPPING)) {
      context.runOnContext(v -> release());
    } else if (s == State.STARTING || s == State.RUNNING) {
      if (state.compareAndSet(s, State.STOPPING)) {
        context.runOnContext(v -> release());
      } else {
        return stop();
      }
    }
    return stopped.future();
  }

  /** Closes, in order, spreading, network, store and our own Vert.x; completes {@link #stopped}. On the context. */
  private Future<Void> release() {
    if (metrics != null) {
      Metrics.close(metrics);
    }
    if (runtime != null) {
      runtime.stop();
    }
    if (consensus != null) {
      consensus.stop();
    }
    if (ledger != null) {
      ledger.stop();
    }
    Future<Void> writes = consensus == null ? Future.succeededFuture() : consensus.drained();
    Future<Void> net = network == null ? Future.succeededFuture() : network.stop();
    return net.eventually(() -> writes).eventually(() -> vertx.executeBlocking(() -> {
      if (store != null && givenStore == null) {
        store.close();
      }
      return null;
    })).eventually(() -> ownsVertx ? vertx.close() : Future.succeededFuture()).onComplete(ar -> {
      state.set(State.STOPPED);
      LOG.log(Level.INFO, "node " + id() + " stopped");
      stopped.tryComplete();
    }).mapEmpty();
  }

  @Override
  public void close() {
    try {
      stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while closing node " + id(), e);
    } catch (Exception e) {
      throw new IllegalStateException("node " + id() + " did not close within 30 s: " + e.getMessage(), e);
    }
  }

  @Override
  public NodeStatus status() {
    Network n = network;
    List<PeerConnection> peers = n == null ? List.of() : n.peers();
    List<PeerInfo> infos = peers.stream().map(p -> new PeerInfo(p.id(), p.remoteAddress(), p.isOutbound(),
        p.latency().orElse(Duration.ZERO), p.height())).toList();
    long h = height;
    VertxConsensus c = consensus;
    String halt = c == null ? "" : c.fault();
    NodeLedger l = ledger;
    // sync's figures as of its last tick, with the height as of now
    SyncProgress last = c == null ? null : c.progress();
    long target = last != null ? last.target() : peers.stream().mapToLong(PeerConnection::height).max().orElse(h);
    SyncProgress progress = new SyncProgress(h, Math.max(h, target),
        last == null ? 0 : last.blocksPerSecond(), last == null ? 0 : last.transactionsPerSecond());
    State life = state.get();
    // consensus is judged only while the node runs: before start and after stop it reaches no one
    ConsensusHealth.Assessment health = c == null || life != State.RUNNING ? null : c.health();
    NodeStatus.Quorum quorum = new NodeStatus.Quorum(health == null ? 0 : health.reachable(), genesis.validators().quorum(),
        genesis.validators().size());
    NodeStatus.SyncState sync = HealthReport.sync(halt, progress.catchingUp(), health);
    return new NodeStatus(id(), roles, life, n == null ? 0 : n.port(), h, infos, sync, l == null ? 0 : l.mempoolSize(),
        HealthReport.fault(sync, halt, health), progress, quorum);
  }

  /** Connected peers: index 0 inbound, 1 outbound. */
  int[] peerCounts() {
    Network n = network;
    int[] counts = new int[2];
    if (n != null) {
      n.peers().forEach(p -> counts[p.isOutbound() ? 1 : 0]++);
    }
    return counts;
  }

  /** The ledger's figures: height, mempool size, transactions stored since start (accepted, failed, invalid). */
  long[] ledgerCounts() {
    NodeLedger l = ledger;
    return l == null ? new long[5] : l.counts();
  }

  /** The network's counters: handshake failures, bans, frames in and out, bytes in and out. */
  long[] networkCounts() {
    Network n = network;
    if (n == null) {
      return new long[6];
    }
    var s = n.stats().snapshot();
    return new long[] {n.handshakeFailures(), n.banCount(), s.framesIn(), s.framesOut(), s.bytesIn(), s.bytesOut()};
  }

  /** Block {@code h} is stored: the status and future handshakes announce it. On the context. */
  private void committed(long h) {
    height = h;
    if (network != null) {
      network.setHeight(h);
    }
  }

  /** Where consensus resumes: the stored chain's end and the validator's safety record. */
  private record Resume(long height, org.meshledger.Hash lastHash, long lastTime, org.meshledger.Hash digest,
      org.meshledger.impl.consensus.SafetyRecord record) {
    static Resume load(BlockStore store, Genesis genesis, SafetyFile file) throws java.io.IOException {
      Files.createDirectories(file.path().toAbsolutePath().getParent());
      long h = store.height();
      org.meshledger.BlockHeader header = h == 0 ? null : store.header(h).orElseThrow();
      org.meshledger.Hash last = h == 0 ? genesis.hash() : header.hash();
      long time = h == 0 ? genesis.genesisTime().toEpochMilli() : header.timeMillis();
      return new Resume(h, last, time, NodeLedger.resumeDigest(store, genesis, h), file.load());
    }
  }

  // ---- the spreading runtime's view of the network (on the context)

  private List<Peer> spreadingPeers() {
    Network n = network;
    return n == null ? List.of() : List.copyOf(n.peers());
  }

  private void send(Peer peer, SpreadFrame frame) {
    ((PeerConnection) peer).send(SpreadFrameCodec.typeOf(frame), SpreadFrameCodec.encode(frame));
  }

  // ---- NetworkListener (on the context)

  @Override
  public void onConnected(PeerConnection peer) {
    if (relay != null) {
      relay.onPeerConnected(peer);
    }
    VertxConsensus c = consensus;
    if (c != null) {
      c.onConnected(peer);
    }
  }

  @Override
  public void onDisconnected(PeerConnection peer, String reason) {
    if (relay != null) {
      relay.onPeerDisconnected(peer);
    }
    VertxConsensus c = consensus;
    if (c != null) {
      c.onDisconnected(peer);
    }
  }

  @Override
  public void onMessage(PeerConnection peer, int type, byte[] body) {
    if (relay == null || state.get() != State.RUNNING && state.get() != State.STARTING) {
      return;
    }
    if (type == ConsensusFlood.TYPE) {
      consensus.onFrame(peer, body);
      return;
    }
    if (!SpreadFrameCodec.handles(type)) {
      network.penalize(peer, BAD_FRAME_POINTS, "unknown message type 0x" + Integer.toHexString(type));
      return;
    }
    SpreadFrame frame;
    try {
      frame = SpreadFrameCodec.decode(type, body);
    } catch (DecodeException e) {
      network.penalize(peer, BAD_FRAME_POINTS, "bad spreading frame: " + e.getMessage());
      return;
    }
    relay.onFrame(peer, frame);
  }
}
