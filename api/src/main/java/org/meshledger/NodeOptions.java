package org.meshledger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a node runs: where it keeps its files, where it listens, whom it dials first, how many peers it keeps,
 * and its timeouts. A mutable data object in the Vert.x style: {@code DEFAULT_*} constants, a copy
 * constructor, fluent setters that check their argument. {@link Node.Builder#build()} copies it, so changing
 * options afterwards does not affect a built node.
 *
 * <p>Every default suits a small consortium on a LAN or WAN; tests shorten the timeouts.
 */
public class NodeOptions {
  /** The data directory: {@code ./meshledger-data}. */
  public static final Path DEFAULT_DATA_DIR = Path.of("meshledger-data");
  /** All interfaces. */
  public static final String DEFAULT_LISTEN_HOST = "0.0.0.0";
  /** The default port; 0 picks a free one. */
  public static final int DEFAULT_LISTEN_PORT = 7001;
  /** Connections this node opens and keeps. */
  public static final int DEFAULT_TARGET_OUTBOUND = 8;
  /** Connections other nodes may open to this one. */
  public static final int DEFAULT_MAX_INBOUND = 32;
  /** Time allowed for TLS and the handshake together. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
  /** Interval of keepalive pings, which also measure latency. */
  public static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(10);
  /** A connection silent this long is closed. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  /** First wait before redialling a lost peer; it doubles per failure, with jitter. */
  public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofSeconds(1);
  /** Longest wait between redials. */
  public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofMinutes(1);
  /** The largest frame accepted from a peer, checked before buffering: a maximal block fits. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
  /** How often a node asks its peers for the addresses they know. */
  public static final Duration DEFAULT_PEER_EXCHANGE_INTERVAL = Duration.ofSeconds(30);
  /** Misbehaviour points at which a peer (and its address) is banned. */
  public static final int DEFAULT_BAN_THRESHOLD = 100;
  /** How long a ban lasts. */
  public static final Duration DEFAULT_BAN_DURATION = Duration.ofMinutes(10);
  /** The most transactions a node's mempool holds: 50,000. */
  public static final int DEFAULT_MEMPOOL_TRANSACTIONS = 50_000;
  /** How long a transaction may wait in the mempool: 10 minutes. */
  public static final Duration DEFAULT_MEMPOOL_MAX_AGE = Duration.ofMinutes(10);
  /** How long a submit waits for its transaction to be final before it fails: 60 seconds. */
  public static final Duration DEFAULT_SUBMIT_TIMEOUT = Duration.ofSeconds(60);
  /** The least fee this node's mempool admits: none. */
  public static final long DEFAULT_MINIMUM_FEE = 0;
  /** The block store: H2 under the data directory. */
  public static final String DEFAULT_STORAGE = "h2";

  private Path dataDir = DEFAULT_DATA_DIR;
  private String listenHost = DEFAULT_LISTEN_HOST;
  private int listenPort = DEFAULT_LISTEN_PORT;
  private final List<String> peers = new ArrayList<>();
  private int targetOutbound = DEFAULT_TARGET_OUTBOUND;
  private int maxInbound = DEFAULT_MAX_INBOUND;
  private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
  private Duration keepAliveInterval = DEFAULT_KEEPALIVE_INTERVAL;
  private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
  private Duration reconnectMin = DEFAULT_RECONNECT_MIN;
  private Duration reconnectMax = DEFAULT_RECONNECT_MAX;
  private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
  private String storage = DEFAULT_STORAGE;
  private int mempoolTransactions = DEFAULT_MEMPOOL_TRANSACTIONS;
  private long minimumFee = DEFAULT_MINIMUM_FEE;
  private Duration mempoolMaxAge = DEFAULT_MEMPOOL_MAX_AGE;
  private Duration submitTimeout = DEFAULT_SUBMIT_TIMEOUT;
  private String advertisedHost;
  private Duration peerExchangeInterval = DEFAULT_PEER_EXCHANGE_INTERVAL;
  private int banThreshold = DEFAULT_BAN_THRESHOLD;
  private Duration banDuration = DEFAULT_BAN_DURATION;

  /** Options with every default. */
  public NodeOptions() {}

  /** A copy of {@code other}. */
  public NodeOptions(NodeOptions other) {
    dataDir = other.dataDir;
    listenHost = other.listenHost;
    listenPort = other.listenPort;
    peers.addAll(other.peers);
    targetOutbound = other.targetOutbound;
    maxInbound = other.maxInbound;
    handshakeTimeout = other.handshakeTimeout;
    keepAliveInterval = other.keepAliveInterval;
    idleTimeout = other.idleTimeout;
    reconnectMin = other.reconnectMin;
    reconnectMax = other.reconnectMax;
    maxFrameBytes = other.maxFrameBytes;
    storage = other.storage;
    mempoolTransactions = other.mempoolTransactions;
    minimumFee = other.minimumFee;
    mempoolMaxAge = other.mempoolMaxAge;
    submitTimeout = other.submitTimeout;
    advertisedHost = other.advertisedHost;
    peerExchangeInterval = other.peerExchangeInterval;
    banThreshold = other.banThreshold;
    banDuration = other.banDuration;
  }

  public Path getDataDir() {
    return dataDir;
  }

  /** Where the node keeps its chain, its TLS certificate and its state; created if absent. */
  public NodeOptions setDataDir(Path dataDir) {
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    return this;
  }

  public String getListenHost() {
    return listenHost;
  }

  /** The interface to listen on: {@code 0.0.0.0} for all, {@code 127.0.0.1} for this machine only. */
  public NodeOptions setListenHost(String listenHost) {
    Objects.requireNonNull(listenHost, "listenHost");
    if (listenHost.isBlank()) {
      throw new IllegalArgumentException("listenHost is blank; use 0.0.0.0 for every interface");
    }
    this.listenHost = listenHost.strip();
    return this;
  }

  public int getListenPort() {
    return listenPort;
  }

  /** The TCP port to listen on, 0 to 65535; 0 lets the system pick a free one ({@link NodeStatus#port()} tells). */
  public NodeOptions setListenPort(int listenPort) {
    if (listenPort < 0 || listenPort > 65_535) {
      throw new IllegalArgumentException("listenPort must be 0 to 65535, got " + listenPort);
    }
    this.listenPort = listenPort;
    return this;
  }

  /** The bootstrap peers, as {@code host:port}; a copy. */
  public List<String> getPeers() {
    return List.copyOf(peers);
  }

  /**
   * Adds a bootstrap peer, {@code host:port} (an IPv6 host in brackets: {@code [::1]:7001}). The node dials
   * these first and learns others from them.
   */
  public NodeOptions addPeer(String address) {
    peers.add(PeerAddress.parse(address).toString());
    return this;
  }

  /** Replaces the bootstrap peers. */
  public NodeOptions setPeers(List<String> addresses) {
    List<String> parsed = addresses.stream().map(a -> PeerAddress.parse(a).toString()).toList();
    peers.clear();
    peers.addAll(parsed);
    return this;
  }

  public int getTargetOutbound() {
    return targetOutbound;
  }

  /** How many connections the node opens and keeps open, 1 to 128. */
  public NodeOptions setTargetOutbound(int targetOutbound) {
    this.targetOutbound = range("targetOutbound", targetOutbound, 1, 128);
    return this;
  }

  public int getMaxInbound() {
    return maxInbound;
  }

  /** How many connections other nodes may open to this one, 0 to 1024. */
  public NodeOptions setMaxInbound(int maxInbound) {
    this.maxInbound = range("maxInbound", maxInbound, 0, 1024);
    return this;
  }

  public Duration getHandshakeTimeout() {
    return handshakeTimeout;
  }

  /** Time allowed for TLS and the handshake together, 10 ms to 5 min. */
  public NodeOptions setHandshakeTimeout(Duration handshakeTimeout) {
    this.handshakeTimeout = range("handshakeTimeout", handshakeTimeout, Duration.ofMillis(10), Duration.ofMinutes(5));
    return this;
  }

  public Duration getKeepAliveInterval() {
    return keepAliveInterval;
  }

  /** Interval of keepalive pings, 10 ms to 10 min; must be below the idle timeout. */
  public NodeOptions setKeepAliveInterval(Duration keepAliveInterval) {
    this.keepAliveInterval = range("keepAliveInterval", keepAliveInterval, Duration.ofMillis(10), Duration.ofMinutes(10));
    return this;
  }

  public Duration getIdleTimeout() {
    return idleTimeout;
  }

  /** A connection that receives nothing this long is closed, 20 ms to 1 h; must exceed the keepalive interval. */
  public NodeOptions setIdleTimeout(Duration idleTimeout) {
    this.idleTimeout = range("idleTimeout", idleTimeout, Duration.ofMillis(20), Duration.ofHours(1));
    return this;
  }

  public Duration getReconnectMin() {
    return reconnectMin;
  }

  /** The first wait before redialling a lost peer, 1 ms to 1 h; it doubles per failure up to the maximum. */
  public NodeOptions setReconnectMin(Duration reconnectMin) {
    this.reconnectMin = range("reconnectMin", reconnectMin, Duration.ofMillis(1), Duration.ofHours(1));
    return this;
  }

  public Duration getReconnectMax() {
    return reconnectMax;
  }

  /** The longest wait between redials, 1 ms to 1 day; at least the minimum. */
  public NodeOptions setReconnectMax(Duration reconnectMax) {
    this.reconnectMax = range("reconnectMax", reconnectMax, Duration.ofMillis(1), Duration.ofDays(1));
    return this;
  }

  public int getMaxFrameBytes() {
    return maxFrameBytes;
  }

  /** The largest frame accepted from a peer, 64 KiB to 64 MiB, checked before a byte of it is buffered. */
  public NodeOptions setMaxFrameBytes(int maxFrameBytes) {
    this.maxFrameBytes = range("maxFrameBytes", maxFrameBytes, 64 * 1024, 64 * 1024 * 1024);
    return this;
  }

  public String getStorage() {
    return storage;
  }

  /**
   * The name of the block store provider: {@code h2} (the default, a file under the data directory),
   * {@code memory}, or a third party's. Ignored when the builder is given a store object.
   */
  public NodeOptions setStorage(String storage) {
    Objects.requireNonNull(storage, "storage");
    if (storage.isBlank()) {
      throw new IllegalArgumentException("storage is blank; use h2 or memory");
    }
    this.storage = storage;
    return this;
  }

  public int getMempoolTransactions() {
    return mempoolTransactions;
  }

  /**
   * The most transactions the mempool holds, 1 to 1,000,000 (it also holds at most 64 MiB). When full, it
   * evicts the lowest fee per byte among each sender's last pending transaction, or refuses the newcomer.
   */
  public NodeOptions setMempoolTransactions(int mempoolTransactions) {
    this.mempoolTransactions = range("mempoolTransactions", mempoolTransactions, 1, 1_000_000);
    return this;
  }

  /** The host this node tells peers to dial, or null: the listen host, or if that is a wildcard the address peers see. */
  public String getAdvertisedHost() {
    return advertisedHost;
  }

  /**
   * The host (name or address) other nodes should dial to reach this one, for a node behind NAT or a load
   * balancer; null (the default) announces the listen host, or the address a peer sees if that is a wildcard.
   */
  public NodeOptions setAdvertisedHost(String advertisedHost) {
    if (advertisedHost != null) {
      new PeerAddress(advertisedHost.strip(), 1); // checks the host's characters and length, naming them
      advertisedHost = advertisedHost.strip();
    }
    this.advertisedHost = advertisedHost;
    return this;
  }

  public Duration getPeerExchangeInterval() {
    return peerExchangeInterval;
  }

  /** How often to ask peers for the addresses they know, 1 s to 1 hour. */
  public NodeOptions setPeerExchangeInterval(Duration peerExchangeInterval) {
    this.peerExchangeInterval = range("peerExchangeInterval", peerExchangeInterval, Duration.ofSeconds(1), Duration.ofHours(1));
    return this;
  }

  public int getBanThreshold() {
    return banThreshold;
  }

  /**
   * Misbehaviour points at which a peer is banned, 1 to 100,000 (a frame that does not decode costs 20, a bad
   * signature 40; see {@code docs/networking.md}).
   */
  public NodeOptions setBanThreshold(int banThreshold) {
    this.banThreshold = range("banThreshold", banThreshold, 1, 100_000);
    return this;
  }

  public Duration getBanDuration() {
    return banDuration;
  }

  /** How long a ban lasts, 1 s to 30 days. */
  public NodeOptions setBanDuration(Duration banDuration) {
    this.banDuration = range("banDuration", banDuration, Duration.ofSeconds(1), Duration.ofDays(30));
    return this;
  }

  public Duration getMempoolMaxAge() {
    return mempoolMaxAge;
  }

  /**
   * How long a transaction may wait in the mempool, 1 s to 1 day: one that waited longer leaves (with the
   * sender's higher nonces, which cannot execute without it), and a submit waiting on it fails.
   */
  public NodeOptions setMempoolMaxAge(Duration mempoolMaxAge) {
    this.mempoolMaxAge = range("mempoolMaxAge", mempoolMaxAge, Duration.ofSeconds(1), Duration.ofDays(1));
    return this;
  }

  public Duration getSubmitTimeout() {
    return submitTimeout;
  }

  /**
   * How long the future of {@link Ledger#submit} waits for the transaction to be final, 10 ms to 1 day. After
   * that it fails with a {@link SubmitTimeoutException} that says why the transaction is not final yet (no
   * quorum, the node is catching up, not yet in a block, the node halted). The transaction is not withdrawn: it
   * stays in the mempool (until {@link #setMempoolMaxAge mempoolMaxAge}) and may still become final; look it
   * up with {@link Ledger#receipt}, or submit it again to wait again.
   */
  public NodeOptions setSubmitTimeout(Duration submitTimeout) {
    this.submitTimeout = range("submitTimeout", submitTimeout, Duration.ofMillis(10), Duration.ofDays(1));
    return this;
  }

  public long getMinimumFee() {
    return minimumFee;
  }

  /**
   * The least fee, in units, this node admits to its mempool and relays to its proposals: a local policy
   * (like a relay fee), not a rule of the chain; a block with cheaper transactions from another proposer
   * is still valid.
   */
  public NodeOptions setMinimumFee(long minimumFee) {
    if (minimumFee < 0) {
      throw new IllegalArgumentException("minimumFee cannot be negative, got " + minimumFee);
    }
    this.minimumFee = minimumFee;
    return this;
  }

  /**
   * Checks what single setters cannot: keepalive below the idle timeout, reconnect minimum at most the maximum.
   *
   * @throws ConfigurationException naming the options that disagree
   */
  public void validate() {
    if (keepAliveInterval.compareTo(idleTimeout) >= 0) {
      throw new ConfigurationException("keepAliveInterval (" + keepAliveInterval + ") must be below idleTimeout ("
          + idleTimeout + "), or idle peers are cut before they are pinged");
    }
    if (reconnectMin.compareTo(reconnectMax) > 0) {
      throw new ConfigurationException("reconnectMin (" + reconnectMin + ") exceeds reconnectMax (" + reconnectMax + ")");
    }
  }

  private static int range(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", got " + value);
    }
    return value;
  }

  private static Duration range(String name, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, name);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", got " + value);
    }
    return value;
  }
}
