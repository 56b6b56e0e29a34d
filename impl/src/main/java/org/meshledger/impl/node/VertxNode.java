package org.meshledger.impl.node;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.lang.System.Logger;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.meshledger.ConfigurationException;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.NodeStatus.PeerInfo;
import org.meshledger.NodeStatus.State;
import org.meshledger.NodeStatus;
import org.meshledger.PeerAddress;
import org.meshledger.Propagator;
import org.meshledger.Spreading;
import org.meshledger.StorageException;
import org.meshledger.SyncProgress;
import org.meshledger.chain.NodeId;
import org.meshledger.codec.DecodeException;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;
import org.meshledger.impl.consensus.ConsensusHealth;
import org.meshledger.impl.host.HostCallbacks;
import org.meshledger.impl.net.Network;
import org.meshledger.impl.net.NetworkConfig;
import org.meshledger.impl.net.NetworkListener;
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
 * code is the simulator's; this class only wires it to sockets. Its life is a Vert.x deployment
 * ({@link NodeLifecycle}): this class says what the deployment opens and releases on its context.
 */
final class VertxNode implements Node, NetworkListener {
  private static final Logger LOG = System.getLogger("org.meshledger.node");
  /** Penalty for a spreading frame that does not decode: a few are noise, a stream of them a ban. */
  private static final int BAD_FRAME_POINTS = 20;

  private final NodeOptions options;
  private final Genesis genesis;
  private final org.meshledger.crypto.KeyPair identity;
  private final Spreading spreading;
  private final org.meshledger.TransactionValidator validator;
  private final BlockStore givenStore;
  private final Object meterRegistry;
  private final org.meshledger.spi.RewardRule rewardRule;
  /** Test hooks given as plug-ins, or null: which peers may link, and who watches spreading frames. */
  private final org.meshledger.testing.LinkFilter linkFilter;
  private final org.meshledger.testing.SpreadTrace spreadTrace;
  private AutoCloseable linkFilterRegistration;
  private final Set<Role> roles;
  private final RelayPropagator propagator;
  /** Every call into the host's code (handlers, listeners, the validator) goes through this. */
  private final HostCallbacks callbacks;
  private final NodeLifecycle lifecycle;
  private final java.util.List<Consumer<SyncProgress>> progressListeners =
      new CopyOnWriteArrayList<>();
  private Promise<Void> released; // guarded by this

  // Set when the deployment opens the node, then touched on its context only.
  private volatile Vertx vertx;
  private volatile Context context;
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
    Plugins plugins = Plugins.of(b.plugins());
    this.givenStore = plugins.store();
    this.meterRegistry = plugins.meterRegistry();
    this.rewardRule = plugins.rewardRule(genesis.incentives());
    this.linkFilter = plugins.linkFilter();
    this.spreadTrace = plugins.spreadTrace();
    this.roles = genesis.member(identity.nodeId()).map(Member::roles).orElse(Set.of());
    if (genesis.permissioned() && roles.isEmpty()) {
      throw new ConfigurationException("node " + identity.nodeId() + " is not a member of permissioned chain '"
          + genesis.chainId() + "': add it to the genesis or use an open network");
    }
    this.callbacks = new HostCallbacks("node " + identity.nodeId().toHex().substring(0, 16));
    this.propagator = new RelayPropagator(spreading, this::onContextForPublish, callbacks);
    this.lifecycle = new NodeLifecycle(identity.nodeId(), b.vertx(), new Parts());
  }

  /**
   * Runs a publication on the node's context: refused with the node's state unless it serves and its spreading
   * is up, and refused the same way (not with Vert.x's {@link RejectedExecutionException}) if its Vert.x has closed.
   */
  private void onContextForPublish(Runnable task) {
    Context c = context;
    if (c == null || !lifecycle.serving() || !propagator.bound()) {
      throw lifecycle.refusal("publish");
    }
    try {
      c.runOnContext(v -> task.run());
    } catch (RejectedExecutionException e) {
      throw lifecycle.refusal("publish");
    }
  }

  /** The node's way into host code: its failure counts feed the metrics. */
  HostCallbacks callbacks() {
    return callbacks;
  }

  /** The deployment's context, null before start; for tests that check threading. */
  Context context() {
    return context;
  }

  /** Every state the node has been in, in order; for tests. */
  List<State> history() {
    return lifecycle.history();
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
      throw lifecycle.refusal("use its ledger");
    }
    return l;
  }

  @Override
  public Future<Void> start() {
    return lifecycle.start();
  }

  /**
   * Opens the node on the deployment's context: the store and the consensus record off the event loop, then the
   * spreading, ledger and consensus, then the network; consensus starts once the node listens. Between steps,
   * {@code checkStarting} throws if a stop came meanwhile; each part is kept in a field as soon as it exists, so
   * that {@link #release} closes it whatever step failed.
   */
  private Future<Void> open(Context ctx, Runnable checkStarting) {
    context = ctx;
    vertx = ctx.owner();
    SafetyFile safetyFile = new SafetyFile(options.getDataDir());
    Resume[] resume = new Resume[1];
    return vertx.executeBlocking(this::openStore).compose(s -> {
      store = s;
      checkStarting.run();
      return vertx.executeBlocking(() -> resume[0] = Resume.load(s, genesis, safetyFile));
    }).compose(r -> {
      checkStarting.run();
      height = r.height();
      runtime = new VertxSpreadingRuntime(id(), context, new SplittableRandom(new SecureRandom().nextLong()),
          this::spreadingPeers, this::send);
      relay = new Relay(runtime, SpreadingProtocols.provider(spreading.protocol()).create(spreading.parameters()),
          Relay.Settings.DEFAULT, propagator);
      propagator.bind(relay);
      network = new Network(vertx, networkConfig(), this);
      if (linkFilter != null) {
        Network n = network;
        linkFilterRegistration = linkFilter.onChange(n::recheckLinks);
      }
      network.setHeight(height);
      NodeLedger l = new NodeLedger(context, genesis, store, options, validator, propagator, lifecycle, callbacks, rewardRule);
      l.serveAs(identity, org.meshledger.chain.Amount.of(options.getMinimumFee()));
      checkHealable(r);
      consensus = new VertxConsensus(vertx, genesis, identity, store, safetyFile, l, network, this::committed, this::progress);
      l.incentiveFigures().resume(r.height(), r.incentives());
      l.start(r.height(), r.digest(), r.lastTime(), r.lastCommit());
      ledger = l;
      return network.start();
    }).map(listening -> {
      checkStarting.run(); // the last chance to stop before consensus signs anything
      consensus.start(resume[0].height(), resume[0].lastHash(), resume[0].record());
      metrics = Metrics.bind(meterRegistry, this);
      LOG.log(Level.INFO, "node " + id() + " of chain " + genesis.chainId() + " runs at height " + height + " on port "
          + network.port() + " with " + spreading);
      HealthReport.logTolerance(genesis.chainId(), genesis.validators());
      HealthReport.logIncentives(genesis);
      return null;
    });
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
      callbacks.run(HostCallbacks.Kind.SYNC_PROGRESS, p::toString, "the listener stays registered", () -> listener.accept(p));
    }
  }

  @Override
  public Registration onSyncProgress(Consumer<SyncProgress> listener) {
    java.util.Objects.requireNonNull(listener, "listener");
    progressListeners.add(listener);
    return () -> progressListeners.remove(listener);
  }

  /** Makes the data dir, then opens the store in it (unless the host gave one). On a worker. */
  private BlockStore openStore() {
    DataDir.create(options.getDataDir());
    if (givenStore != null) {
      return givenStore;
    }
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
        .setRoles(roles.isEmpty() ? Set.of(Role.OBSERVER) : roles)
        .setLinkAllowed(linkFilter == null ? id -> true : linkFilter::allows);
  }

  @Override
  public Future<Void> stop() {
    return lifecycle.stop();
  }

  /** Releases what {@link #open} opened, once; any thread. See {@link NodeLifecycle.Parts#release()}. */
  private Future<Void> release() {
    Promise<Void> p;
    synchronized (this) {
      if (released != null) {
        return released.future();
      }
      p = released = Promise.promise();
    }
    Context c = context;
    if (c == null) {
      p.complete(); // nothing was opened
      return p.future();
    }
    try {
      c.runOnContext(v -> releaseOnContext().onComplete(p));
    } catch (RejectedExecutionException e) {
      p.fail(new IllegalStateException("node " + id() + " could not release its store and sockets: its Vert.x closed while it"
          + " started (stop the node before closing the Vert.x it runs on)", e));
    }
    return p.future();
  }

  /**
   * Closes, in order, the meters, spreading, consensus and ledger, the network (listener and sockets), the
   * consensus writes in flight, and the store. Every step runs even if one before failed; the result is the first
   * failure. On the context.
   */
  private Future<Void> releaseOnContext() {
    if (metrics != null) {
      Metrics.close(metrics);
    }
    if (runtime != null) {
      runtime.stop();
    }
    if (linkFilterRegistration != null) {
      try {
        linkFilterRegistration.close();
      } catch (Exception e) {
        throw new IllegalStateException("removing a listener cannot fail", e);
      }
    }
    if (consensus != null) {
      consensus.stop();
    }
    if (ledger != null) {
      ledger.stop();
    }
    Future<Void> writes = consensus == null ? Future.succeededFuture() : consensus.drained();
    Future<Void> net = network == null ? Future.succeededFuture() : network.stop();
    Future<Void> closed = Future.join(net, writes).transform(ar -> vertx.<Void>executeBlocking(() -> {
      if (store != null && givenStore == null) {
        store.close();
      }
      return null;
    }));
    return Future.join(net, writes, closed).transform(ar -> {
      for (Future<Void> f : List.of(net, writes, closed)) {
        if (f.failed()) {
          return Future.failedFuture(f.cause());
        }
      }
      return Future.succeededFuture();
    });
  }

  @Override
  public void close() {
    lifecycle.close();
  }

  @Override
  public NodeStatus status() {
    State state = lifecycle.state();
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
    // consensus is judged only while the node runs: before start and after stop it reaches no one
    ConsensusHealth.Assessment health = c == null || state != State.RUNNING ? null : c.health();
    NodeStatus.Quorum quorum = new NodeStatus.Quorum(health == null ? 0 : health.reachable(), genesis.validators().quorum(),
        genesis.validators().size());
    NodeStatus.SyncState sync = HealthReport.sync(halt, progress.catchingUp(), health);
    return new NodeStatus(id(), roles, state, n == null || state == State.STOPPED ? 0 : n.port(), h, infos, sync,
        l == null ? 0 : l.mempoolSize(), HealthReport.fault(sync, halt, health), progress, quorum,
        l == null ? java.util.Optional.empty() : l.serviceStatus());
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

  /** The incentive figures of the last stored block, or null before start; any thread. */
  IncentiveFigures incentiveFigures() {
    NodeLedger l = ledger;
    return l == null ? null : l.incentiveFigures();
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

  /** The network's counters, connections closed by reason included, or null before start; any thread. */
  org.meshledger.impl.net.NetworkStats.Snapshot networkSnapshot() {
    Network n = network;
    return n == null ? null : n.stats().snapshot();
  }

  /** Block {@code h} is stored: the status and future handshakes announce it. On the context. */
  private void committed(long h) {
    height = h;
    if (network != null) {
      network.setHeight(h);
    }
  }

  /**
   * Where consensus resumes: the stored chain's end (with the certificate of its last block, which the node's next
   * proposal carries) and the validator's safety record; and the ledger's incentive record there, which the meters
   * start from.
   */
  private record Resume(long height, org.meshledger.chain.Hash lastHash, long lastTime, org.meshledger.chain.Hash digest,
      java.util.Optional<org.meshledger.chain.CommitCertificate> lastCommit, org.meshledger.impl.consensus.SafetyRecord record,
      java.util.Optional<byte[]> incentives) {
    static Resume load(BlockStore store, Genesis genesis, SafetyFile file) throws java.io.IOException {
      Files.createDirectories(file.path().toAbsolutePath().getParent());
      long h = store.height();
      org.meshledger.chain.Block block = h == 0 ? null : store.block(h).orElseThrow();
      org.meshledger.chain.Hash last = h == 0 ? genesis.hash() : block.hash();
      long time = h == 0 ? genesis.genesisTime().toEpochMilli() : block.header().timeMillis();
      return new Resume(h, last, time, NodeLedger.resumeDigest(store, genesis, h), java.util.Optional.ofNullable(block).map(
          org.meshledger.chain.Block::certificate), file.load(), store.record(org.meshledger.impl.incentives.IncentiveState.KEY));
    }
  }

  // ---- the spreading runtime's view of the network (on the context)

  private List<Peer> spreadingPeers() {
    Network n = network;
    return n == null ? List.of() : List.copyOf(n.peers());
  }

  private void send(Peer peer, SpreadFrame frame) {
    ((PeerConnection) peer).send(SpreadFrameCodec.typeOf(frame), SpreadFrameCodec.encode(frame));
    trace(frame, id(), peer.id(), org.meshledger.testing.SpreadTrace.Direction.SENT);
  }

  /** Tells the host's {@link org.meshledger.testing.SpreadTrace}, if any, of a frame; what it throws stays here. */
  private void trace(SpreadFrame frame, NodeId from, NodeId to, org.meshledger.testing.SpreadTrace.Direction direction) {
    org.meshledger.testing.SpreadTrace t = spreadTrace;
    if (t == null || from == null || to == null) {
      return;
    }
    var f = new org.meshledger.testing.SpreadTrace.Frame(frame.id(), from, to, frame.kind(), direction);
    callbacks.run(HostCallbacks.Kind.SPREAD_TRACE, f::toString, "the frame goes on untraced", () -> t.onFrame(f));
  }

  /** What the deployment opens and releases; see {@link NodeLifecycle}. */
  private final class Parts implements NodeLifecycle.Parts {
    @Override
    public Future<Void> open(Context ctx, Runnable checkStarting) {
      return VertxNode.this.open(ctx, checkStarting);
    }

    @Override
    public Future<Void> release() {
      return VertxNode.this.release();
    }
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
    if (relay == null || !lifecycle.serving()) {
      return;
    }
    if (type == NetworkFlood.TYPE) {
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
    trace(frame, peer.id(), id(), org.meshledger.testing.SpreadTrace.Direction.RECEIVED);
    relay.onFrame(peer, frame);
  }
}
