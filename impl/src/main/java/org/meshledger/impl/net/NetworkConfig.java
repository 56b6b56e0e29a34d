package org.meshledger.impl.net;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.meshledger.NodeOptions;
import org.meshledger.PeerAddress;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Role;

/**
 * What a host configures for a node's network, in the Vert.x options style: {@code DEFAULT_*} constants,
 * fluent setters, a copy constructor. {@link Network} copies it at construction and {@link #validate()}s it.
 * Whether only members may connect comes from the genesis ({@link Genesis#permissioned()}).
 */
public final class NetworkConfig {
  // The knobs a host sets through NodeOptions share its defaults; the rest are the network's own.
  public static final String DEFAULT_LISTEN_HOST = NodeOptions.DEFAULT_LISTEN_HOST;
  public static final int DEFAULT_TARGET_OUTBOUND = NodeOptions.DEFAULT_TARGET_OUTBOUND;
  public static final int DEFAULT_MAX_INBOUND = NodeOptions.DEFAULT_MAX_INBOUND;
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = NodeOptions.DEFAULT_HANDSHAKE_TIMEOUT;
  public static final Duration DEFAULT_KEEPALIVE_INTERVAL = NodeOptions.DEFAULT_KEEPALIVE_INTERVAL;
  public static final Duration DEFAULT_IDLE_TIMEOUT = NodeOptions.DEFAULT_IDLE_TIMEOUT;
  public static final Duration DEFAULT_FRAME_TIMEOUT = Duration.ofSeconds(20);
  public static final Duration DEFAULT_RECONNECT_MIN = NodeOptions.DEFAULT_RECONNECT_MIN;
  public static final Duration DEFAULT_RECONNECT_MAX = NodeOptions.DEFAULT_RECONNECT_MAX;
  public static final Duration DEFAULT_PEER_EXCHANGE_INTERVAL = NodeOptions.DEFAULT_PEER_EXCHANGE_INTERVAL;
  public static final Duration DEFAULT_BAN_DURATION = NodeOptions.DEFAULT_BAN_DURATION;
  public static final int DEFAULT_BAN_THRESHOLD = NodeOptions.DEFAULT_BAN_THRESHOLD;
  public static final int DEFAULT_MAX_FRAME_BYTES = NodeOptions.DEFAULT_MAX_FRAME_BYTES;

  private String listenHost = DEFAULT_LISTEN_HOST;
  private int listenPort;
  private String advertisedHost;
  private List<PeerAddress> bootstrapPeers = new ArrayList<>();
  private int targetOutbound = DEFAULT_TARGET_OUTBOUND;
  private int maxInbound = DEFAULT_MAX_INBOUND;
  private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
  private Duration keepaliveInterval = DEFAULT_KEEPALIVE_INTERVAL;
  private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
  private Duration frameTimeout = DEFAULT_FRAME_TIMEOUT;
  private Duration reconnectMin = DEFAULT_RECONNECT_MIN;
  private Duration reconnectMax = DEFAULT_RECONNECT_MAX;
  private Duration peerExchangeInterval = DEFAULT_PEER_EXCHANGE_INTERVAL;
  private Duration banDuration = DEFAULT_BAN_DURATION;
  private int banThreshold = DEFAULT_BAN_THRESHOLD;
  private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
  private Path dataDir;
  private Genesis genesis;
  private KeyPair key;
  private Set<Role> roles = EnumSet.of(Role.OBSERVER);
  private Long randomSeed;
  private boolean insecurePlainTcp;
  private java.util.function.Predicate<org.meshledger.chain.NodeId> linkAllowed = id -> true;

  public NetworkConfig() {}

  public NetworkConfig(NetworkConfig other) {
    listenHost = other.listenHost;
    listenPort = other.listenPort;
    advertisedHost = other.advertisedHost;
    bootstrapPeers = new ArrayList<>(other.bootstrapPeers);
    targetOutbound = other.targetOutbound;
    maxInbound = other.maxInbound;
    handshakeTimeout = other.handshakeTimeout;
    keepaliveInterval = other.keepaliveInterval;
    idleTimeout = other.idleTimeout;
    frameTimeout = other.frameTimeout;
    reconnectMin = other.reconnectMin;
    reconnectMax = other.reconnectMax;
    peerExchangeInterval = other.peerExchangeInterval;
    banDuration = other.banDuration;
    banThreshold = other.banThreshold;
    maxFrameBytes = other.maxFrameBytes;
    dataDir = other.dataDir;
    genesis = other.genesis;
    key = other.key;
    roles = EnumSet.copyOf(other.roles.isEmpty() ? EnumSet.noneOf(Role.class) : other.roles);
    randomSeed = other.randomSeed;
    insecurePlainTcp = other.insecurePlainTcp;
    linkAllowed = other.linkAllowed;
  }

  /** Fails with a message naming the bad setting. */
  public NetworkConfig validate() {
    Objects.requireNonNull(genesis, "genesis must be set");
    Objects.requireNonNull(key, "key must be set");
    if (dataDir == null && !insecurePlainTcp) {
      throw new IllegalArgumentException("dataDir must be set: the node keeps its TLS certificate there");
    }
    if (listenPort < 0 || listenPort > 65535) {
      throw new IllegalArgumentException("listenPort must be 0 (any) to 65535, got " + listenPort);
    }
    if (targetOutbound < 0 || maxInbound < 0) {
      throw new IllegalArgumentException("targetOutbound and maxInbound must not be negative");
    }
    for (Duration d : List.of(handshakeTimeout, keepaliveInterval, idleTimeout, frameTimeout, reconnectMin, reconnectMax,
        peerExchangeInterval, banDuration)) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("every timeout and interval must be positive, got " + d);
      }
    }
    if (reconnectMax.compareTo(reconnectMin) < 0) {
      throw new IllegalArgumentException("reconnectMax " + reconnectMax + " is below reconnectMin " + reconnectMin);
    }
    if (idleTimeout.compareTo(keepaliveInterval) <= 0) {
      throw new IllegalArgumentException("idleTimeout " + idleTimeout + " must exceed keepaliveInterval " + keepaliveInterval
          + ", or idle peers that answer pings would be cut");
    }
    if (maxFrameBytes < 1024) {
      throw new IllegalArgumentException("maxFrameBytes must be at least 1024, got " + maxFrameBytes);
    }
    if (banThreshold < 1) {
      throw new IllegalArgumentException("banThreshold must be positive, got " + banThreshold);
    }
    return this;
  }

  public String getListenHost() { return listenHost; }
  public NetworkConfig setListenHost(String host) { this.listenHost = Objects.requireNonNull(host, "listenHost"); return this; }
  public int getListenPort() { return listenPort; }
  /** 0 picks a free port; {@link Network#port()} tells which. */
  public NetworkConfig setListenPort(int port) { this.listenPort = port; return this; }
  public String getAdvertisedHost() { return advertisedHost; }
  /** The host announced to peers; by default the listen host, or (if that is a wildcard) the address peers see. */
  public NetworkConfig setAdvertisedHost(String host) { this.advertisedHost = host; return this; }
  public List<PeerAddress> getBootstrapPeers() { return List.copyOf(bootstrapPeers); }
  public NetworkConfig setBootstrapPeers(List<PeerAddress> peers) { this.bootstrapPeers = new ArrayList<>(peers); return this; }
  /** Adds a bootstrap peer given as {@code host:port}. */
  public NetworkConfig addBootstrapPeer(String address) { bootstrapPeers.add(PeerAddress.parse(address)); return this; }
  public int getTargetOutbound() { return targetOutbound; }
  public NetworkConfig setTargetOutbound(int n) { this.targetOutbound = n; return this; }
  public int getMaxInbound() { return maxInbound; }
  public NetworkConfig setMaxInbound(int n) { this.maxInbound = n; return this; }
  public Duration getHandshakeTimeout() { return handshakeTimeout; }
  /** TLS plus HELLO/AUTH must finish within this. */
  public NetworkConfig setHandshakeTimeout(Duration d) { this.handshakeTimeout = d; return this; }
  public Duration getKeepaliveInterval() { return keepaliveInterval; }
  /** A PING goes out this long after the last one; its PONG measures the round trip. */
  public NetworkConfig setKeepaliveInterval(Duration d) { this.keepaliveInterval = d; return this; }
  public Duration getIdleTimeout() { return idleTimeout; }
  /** A peer from which no whole frame arrived for this long is disconnected. */
  public NetworkConfig setIdleTimeout(Duration d) { this.idleTimeout = d; return this; }
  public Duration getFrameTimeout() { return frameTimeout; }
  /** A frame started but unfinished for this long marks a slow sender, which is cut off. */
  public NetworkConfig setFrameTimeout(Duration d) { this.frameTimeout = d; return this; }
  public Duration getReconnectMin() { return reconnectMin; }
  public NetworkConfig setReconnectMin(Duration d) { this.reconnectMin = d; return this; }
  public Duration getReconnectMax() { return reconnectMax; }
  public NetworkConfig setReconnectMax(Duration d) { this.reconnectMax = d; return this; }
  public Duration getPeerExchangeInterval() { return peerExchangeInterval; }
  public NetworkConfig setPeerExchangeInterval(Duration d) { this.peerExchangeInterval = d; return this; }
  public Duration getBanDuration() { return banDuration; }
  public NetworkConfig setBanDuration(Duration d) { this.banDuration = d; return this; }
  public int getBanThreshold() { return banThreshold; }
  /** Misbehaviour points at which a peer is disconnected and banned. */
  public NetworkConfig setBanThreshold(int points) { this.banThreshold = points; return this; }
  public int getMaxFrameBytes() { return maxFrameBytes; }
  /** The largest frame accepted (type byte plus body); a bigger length prefix ends the connection. */
  public NetworkConfig setMaxFrameBytes(int n) { this.maxFrameBytes = n; return this; }
  public Path getDataDir() { return dataDir; }
  public NetworkConfig setDataDir(Path dir) { this.dataDir = dir; return this; }
  public Genesis getGenesis() { return genesis; }
  public NetworkConfig setGenesis(Genesis g) { this.genesis = g; return this; }
  public KeyPair getKey() { return key; }
  public NetworkConfig setKey(KeyPair k) { this.key = k; return this; }
  public Set<Role> getRoles() { return Set.copyOf(roles); }
  /** Roles claimed in an open network; a permissioned one takes them from the genesis. */
  public NetworkConfig setRoles(Set<Role> r) { this.roles = r.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(r); return this; }
  public Long getRandomSeed() { return randomSeed; }
  /** Seed of the jitter and peer choice; null (the default) draws one and logs it. */
  public NetworkConfig setRandomSeed(Long seed) { this.randomSeed = seed; return this; }
  public boolean isInsecurePlainTcp() { return insecurePlainTcp; }
  /** Plain TCP without TLS, for the transport benchmark only: no certificate binds a peer's key. */
  public NetworkConfig setInsecurePlainTcp(boolean plain) { this.insecurePlainTcp = plain; return this; }
  public java.util.function.Predicate<org.meshledger.chain.NodeId> getLinkAllowed() { return linkAllowed; }
  /**
   * Which peers this node may be linked to (all, by default): a handshake with any other is refused, and
   * {@link Network#recheckLinks()} closes live connections to them. Read on the network's context; must be
   * thread-safe and quick (a test's {@code LinkFilter}).
   */
  public NetworkConfig setLinkAllowed(java.util.function.Predicate<org.meshledger.chain.NodeId> allowed) {
    this.linkAllowed = Objects.requireNonNull(allowed, "linkAllowed");
    return this;
  }
  public boolean permissioned() { return genesis != null && genesis.permissioned(); }
}
