package org.meshledger.impl.net;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.lang.System.Logger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.meshledger.PeerAddress;
import org.meshledger.chain.NodeId;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;
import org.meshledger.impl.net.Handshake.Refusal;
import org.meshledger.impl.net.Messages.KnownPeer;
import org.meshledger.spi.Peer.Direction;

/**
 * A node's network: a TLS listener, outbound dialing toward a target number of peers, the handshake, peer
 * exchange, keepalive, misbehaviour scores and bans. All of its state lives on one Vert.x context (taken when
 * it is constructed: the caller's, or a new event-loop context) and is touched only there, so it takes no
 * locks. Public methods may be called from any thread: they hop onto the context where needed.
 *
 * <p>The policies are sans-IO and tested alone: {@link Handshake} (what to accept), {@link PeerBook} (whom to
 * dial, when), {@link Bans} (scores), {@link FrameDecoder} (framing). This class wires them to sockets.
 */
public final class Network {
  static final Logger LOG = System.getLogger("org.meshledger.net");
  private static final SecureRandom NONCES = new SecureRandom();

  private final Vertx vertx;
  private final NetworkConfig config;
  private final NetworkListener listener;
  private final Context context;
  private final long seed;
  private final RandomGenerator random;
  private final Handshake handshake;
  private final PeerBook book;
  private final Bans bans;
  private final LogLimiter limited = new LogLimiter(LOG, 20);
  private final Set<PeerConnection> connections = new LinkedHashSet<>();
  private final Map<NodeId, PeerConnection> open = new HashMap<>();
  private final long tickMillis;
  private final int maxQueuedBytes;

  private volatile Thread loopThread;
  private volatile List<PeerConnection> snapshot = List.of();
  private volatile long height;
  private volatile int port;
  private volatile int sockets;
  private final Endpoint endpoint;
  private final NetworkStats stats = new NetworkStats();
  private final Overlay overlay;
  private final Admission admission;
  private PeerAddress advertised;
  private long timerId = -1;
  private boolean started;
  private boolean stopping;
  private boolean goodbyesSent;
  private Promise<Void> stopped;

  public Network(Vertx vertx, NetworkConfig config, NetworkListener listener) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.config = new NetworkConfig(config).validate();
    this.listener = Objects.requireNonNull(listener, "listener");
    this.context = vertx.getOrCreateContext();
    this.seed = config.getRandomSeed() != null ? config.getRandomSeed() : NONCES.nextLong();
    this.random = new SplittableRandom(seed);
    Set<Role> roles = this.config.permissioned()
        ? this.config.getGenesis().member(this.config.getKey().nodeId()).map(Member::roles).orElse(Set.of())
        : this.config.getRoles();
    this.handshake = new Handshake(this.config.getGenesis(), this.config.getKey(), roles);
    this.book = new PeerBook(this.config.getKey().nodeId(), 1000, this.config.getReconnectMin().toMillis(),
        this.config.getReconnectMax().toMillis(), random);
    this.bans = new Bans(this.config.getBanThreshold(), this.config.getBanDuration().toMillis(), 10_000);
    long shortest = List.of(this.config.getHandshakeTimeout(), this.config.getKeepaliveInterval(), this.config.getFrameTimeout(),
        this.config.getReconnectMin()).stream().mapToLong(java.time.Duration::toMillis).min().orElse(1000);
    this.tickMillis = Math.max(5, Math.min(1000, shortest / 4));
    this.maxQueuedBytes = Math.max(4 << 20, 2 * this.config.getMaxFrameBytes());
    this.endpoint = new Endpoint(this, vertx);
    this.overlay = new Overlay(this);
    this.admission = new Admission(this);
  }

  /** Listens, then dials the bootstrap peers. Fails if the port is taken or the data dir's certificate is bad. */
  public Future<Void> start() {
    Promise<Void> result = Promise.promise();
    context.runOnContext(v -> {
      loopThread = Thread.currentThread();
      if (started) {
        result.fail(new IllegalStateException("network already started"));
        return;
      }
      started = true;
      Future<TlsIdentity> identity = config.isInsecurePlainTcp()
          ? Future.succeededFuture(null)
          : vertx.executeBlocking(() -> {
            TlsIdentity id = TlsIdentity.loadOrCreate(config.getDataDir(), config.getKey());
            id.warmUp(); // the JVM's first TLS costs seconds: paid here, not on an event loop at the first connection
            return id;
          });
      Future<List<KnownPeer>> remembered = config.getDataDir() == null
          ? Future.succeededFuture(List.of())
          : vertx.executeBlocking(() -> PeerFile.load(config.getDataDir()));
      identity.compose(id -> {
        if (id == null) {
          LOG.log(Level.WARNING, "network of " + self() + " runs on plain TCP without TLS: for measurements only");
        }
        return remembered.compose(known -> {
          overlay.learned(known);
          return endpoint.listen(id);
        });
      }).onComplete(ar -> {
        if (ar.failed()) {
          result.fail(ar.cause());
          return;
        }
        port = ar.result();
        String host = config.getAdvertisedHost() != null ? config.getAdvertisedHost() : config.getListenHost();
        advertised = new PeerAddress(host, port);
        config.getBootstrapPeers().forEach(book::addBootstrap);
        LOG.log(Level.INFO, "node " + self() + " listens on " + advertised + " (seed " + seed + ", "
            + (config.permissioned() ? "permissioned" : "open") + ")");
        timerId = vertx.setPeriodic(tickMillis, t -> tick());
        tick();
        result.complete();
      });
    });
    return result.future();
  }

  /** Closes every connection, the listener, the client and the timer. Idempotent. */
  public Future<Void> stop() {
    synchronized (this) {
      if (stopped != null) {
        return stopped.future();
      }
      stopped = Promise.promise();
    }
    context.runOnContext(v -> {
      Future<Void> saved = started && !stopping ? overlay.savePeers() : Future.succeededFuture();
      stopping = true;
      if (timerId >= 0) {
        vertx.cancelTimer(timerId);
      }
      // The listener closes before any peer hears SHUTDOWN (see Endpoint.stopListening): the goodbyes go out from
      // listenerClosed, called by the first accepted socket's shutdown handler or, with none, here.
      Promise<Void> listener = Promise.promise();
      endpoint.stopListening().onComplete(ar -> runOnLoop(() -> {
        listenerClosed(null);
        listener.complete();
      }));
      Future<Void> client = listener.future().transform(ar -> endpoint.closeClient());
      Future.join(saved, listener.future(), client).onComplete(ar -> stopped.complete());
    });
    return stopped.future();
  }

  /**
   * The listening socket is closed (during {@link #stop()}): says SHUTDOWN on every connection once, and closes
   * {@code accepted}, a socket Vert.x is shutting down, if no connection did. On the network's context.
   */
  void listenerClosed(io.vertx.core.net.NetSocket accepted) {
    if (!goodbyesSent) {
      goodbyesSent = true;
      for (PeerConnection c : List.copyOf(connections)) {
        c.close(Reason.SHUTDOWN, "node stopping");
      }
    }
    if (accepted != null) {
      accepted.close(); // a socket still in TLS, or one a connection closed already (closing twice is harmless)
    }
  }

  /** The port listened on (the actual one if the config said 0); 0 before {@link #start()} completes. */
  public int port() {
    return port;
  }

  /** This node's id. */
  public NodeId self() {
    return config.getKey().nodeId();
  }

  /** The open connections (handshake done), as an immutable snapshot; safe from any thread. */
  public List<PeerConnection> peers() {
    return snapshot;
  }

  /** Sockets this node holds now: connections in any state plus TLS handshakes in progress. */
  int socketCount() {
    return sockets;
  }

  /** Counters for metrics; safe from any thread. */
  public NetworkStats stats() {
    return stats;
  }

  /** The seed of this network's jitter and peer choice, to replay a run. */
  public long seed() {
    return seed;
  }

  /** Connections that failed TLS or whose handshake this node refused, so far. */
  public long handshakeFailures() {
    return stats.tlsFailures.sum() + stats.refusals.sum();
  }

  /** Bans imposed so far (a peer banned by node id and address counts once). */
  public long banCount() {
    return stats.bans.sum();
  }

  /** Counts a handshake this node refused; on the context. */
  void handshakeFailed() {
    stats.refusals.increment();
  }

  /** The height announced in future handshakes. */
  public void setHeight(long height) {
    this.height = height;
  }

  /**
   * Adds {@code points} to the peer's misbehaviour score. At the ban threshold the peer is disconnected and
   * banned for the configured duration: by node id once its handshake proved one, and by IP address too unless
   * the network is permissioned. A member's key is its identity there, and several members may share one
   * address (behind one NAT, or on one host), so an address ban would punish the innocent ones.
   */
  public void penalize(PeerConnection peer, int points, String reason) {
    if (!onLoop()) {
      runOnLoop(() -> penalize(peer, points, reason));
      return;
    }
    long now = nowMillis();
    limited.log(Level.WARNING, "penalty", now, "misbehaviour by " + peer + ": +" + points + " (" + reason + ")");
    boolean byAddress = peer.id() == null || !config.permissioned();
    boolean banned = byAddress && bans.penalize(Bans.ip(peer.remoteHost()), points, now);
    if (peer.id() != null) {
      banned |= bans.penalize(Bans.node(peer.id()), points, now);
    }
    if (banned) {
      if (byAddress) {
        bans.ban(Bans.ip(peer.remoteHost()), now);
      }
      if (peer.id() != null) {
        bans.ban(Bans.node(peer.id()), now);
      }
      stats.bans.increment();
      LOG.log(Level.WARNING, "banning " + peer + " for " + config.getBanDuration() + " after: " + reason);
      for (PeerConnection c : List.copyOf(connections)) {
        if (c == peer || (peer.id() != null && peer.id().equals(c.id()))) {
          c.close(Reason.MISBEHAVIOUR, "banned for " + config.getBanDuration().toSeconds() + " s: " + reason);
        }
      }
    }
  }

  /**
   * Closes every connection, open or still in its handshake, to a peer the link filter no longer allows
   * ({@link NetworkConfig#setLinkAllowed}); any thread. Later handshakes with it are refused until it is allowed again.
   */
  public void recheckLinks() {
    if (!onLoop()) {
      runOnLoop(this::recheckLinks);
      return;
    }
    for (PeerConnection c : List.copyOf(connections)) {
      NodeId id = c.id() != null ? c.id() : c.hello() != null ? c.hello().node() : null;
      if (id != null && !config.getLinkAllowed().test(id)) {
        c.close(Reason.APPLICATION, "link to " + id + " blocked by this node's link filter");
      }
    }
  }

  // ---- sockets ------------------------------------------------------------------------------

  void register(PeerConnection c) {
    connections.add(c);
    updateSockets();
    c.start();
  }

  // ---- callbacks from connections ------------------------------------------------------------

  Hello ownHello() {
    byte[] nonce = new byte[Hello.NONCE_BYTES];
    NONCES.nextBytes(nonce);
    return handshake.hello(advertised, height, nonce);
  }

  void opened(PeerConnection c) {
    stats.handshakes.increment();
    open.put(c.id(), c);
    c.markOpened();
    if (c.dialed() != null) {
      book.connected(c.dialed(), c.id());
    }
    c.listenAddress().ifPresent(a -> book.learned(c.id(), a));
    snapshot = List.copyOf(open.values());
    LOG.log(Level.DEBUG, "connected to " + c);
    listener.onConnected(c);
    if (count(Direction.OUTBOUND) < config.getTargetOutbound()) {
      c.askForPeers();
    }
  }

  void connectionClosed(PeerConnection c, Reason reason, String text) {
    if (!connections.remove(c)) {
      return;
    }
    stats.closed(reason);
    updateSockets();
    if (c.id() != null && open.get(c.id()) == c) {
      open.remove(c.id());
      snapshot = List.copyOf(open.values());
    }
    long now = nowMillis();
    PeerAddress dialed = c.dialed();
    if (dialed != null) {
      if (c.openedOnce() || reason == Reason.DUPLICATE) {
        book.disconnected(dialed, now);
      } else if (reason == Reason.SELF) {
        book.markSelf(dialed);
      } else {
        book.failed(dialed, now);
      }
    }
    if (c.openedOnce()) {
      LOG.log(Level.DEBUG, "disconnected from " + c + ": " + reason + " (" + text + ")");
      listener.onDisconnected(c, reason + ": " + text);
    }
  }

  int count(Direction d) {
    int n = 0;
    for (PeerConnection c : open.values()) {
      n += c.direction() == d ? 1 : 0;
    }
    return n;
  }

  int countHandshaking(Direction d) {
    int n = 0;
    for (PeerConnection c : connections) {
      n += c.handshaking() && c.direction() == d ? 1 : 0;
    }
    return n;
  }

  // ---- the periodic tick: timeouts and keepalive here, dialing and peer exchange in the overlay --

  private void tick() {
    if (stopping) {
      return;
    }
    long now = nowMillis();
    for (PeerConnection c : List.copyOf(connections)) {
      c.tick(now);
    }
    overlay.tick(now);
  }

  void learned(PeerConnection from, List<KnownPeer> peers) {
    overlay.learned(peers);
  }

  List<KnownPeer> peersFor(PeerConnection asker) {
    return overlay.peersFor(asker);
  }

  // ---- plumbing -------------------------------------------------------------------------------

  /** Aborts {@code socket} if a graceful close has not finished within the handshake timeout. */
  void abortLater(io.vertx.core.net.NetSocket socket, java.util.function.BooleanSupplier closed) {
    vertx.setTimer(config.getHandshakeTimeout().toMillis(), t -> {
      if (!closed.getAsBoolean()) {
        LOG.log(Level.DEBUG, "aborting " + socket.remoteAddress() + ": graceful close did not finish");
        Sockets.abort(socket);
      }
    });
  }

  boolean isConnectedTo(NodeId id) {
    return open.containsKey(id);
  }

  /** The open connection to {@code id}, or null. */
  PeerConnection openConnection(NodeId id) {
    return open.get(id);
  }

  Admission admission() {
    return admission;
  }

  Vertx vertx() {
    return vertx;
  }

  List<PeerConnection> connections() {
    return List.copyOf(connections);
  }

  PeerAddress advertised() {
    return advertised;
  }

  Endpoint endpoint() {
    return endpoint;
  }

  long tickMillis() {
    return tickMillis;
  }

  void updateSockets() {
    sockets = connections.size() + endpoint.pendingTls();
  }

  boolean stopping() {
    return stopping;
  }

  Bans bans() {
    return bans;
  }

  PeerBook book() {
    return book;
  }

  LogLimiter limited() {
    return limited;
  }

  NetworkConfig config() {
    return config;
  }

  NetworkListener listener() {
    return listener;
  }

  Handshake handshake() {
    return handshake;
  }

  RandomGenerator random() {
    return random;
  }

  Logger log() {
    return LOG;
  }

  int maxQueuedBytes() {
    return maxQueuedBytes;
  }

  long nowMillis() {
    return System.nanoTime() / 1_000_000;
  }

  boolean onLoop() {
    return Thread.currentThread() == loopThread;
  }

  void runOnLoop(Runnable r) {
    context.runOnContext(v -> r.run());
  }

  @Override
  public String toString() {
    return "Network[" + self().toHex().substring(0, 12) + " on " + advertised + ", " + snapshot.size() + " peers]";
  }
}
