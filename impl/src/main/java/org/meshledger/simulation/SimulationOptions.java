package org.meshledger.simulation;

import java.time.Duration;
import java.util.Objects;
import java.util.function.IntToLongFunction;
import org.meshledger.Spreading;

/**
 * How a {@link Simulation} is set up: seed, network, protocol, adversary. A mutable data object with fluent
 * setters, copied when a simulation is built; each setter checks its argument.
 */
public final class SimulationOptions {
  public static final long DEFAULT_SEED = 1;
  /**
   * 50 ms median, sigma 0.5, at least 5 ms: a continent-sized network. The floor moves about two frames in a
   * million, and lets a simulation run on several threads ({@link #setThreads}).
   */
  public static final LatencyModel DEFAULT_LATENCY = LatencyModel.logNormal(Duration.ofMillis(50), 0.5).atLeast(Duration.ofMillis(5));
  /** Threads a simulation may use at most. */
  public static final int MAX_THREADS = 64;
  public static final int DEFAULT_SEEN_CAPACITY = 100_000;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);

  private long seed = DEFAULT_SEED;
  private Topology topology = Topology.randomRegular(1000, 8);
  private LatencyModel latency = DEFAULT_LATENCY;
  /** The default: every uplink unlimited. */
  static final IntToLongFunction UNLIMITED_UPLINK = node -> 0;

  private IntToLongFunction uplinkBytesPerSecond = UNLIMITED_UPLINK;
  private double lossProbability;
  private Spreading spreading = Spreading.flooding();
  private double spyFraction;
  private int seenCapacity = DEFAULT_SEEN_CAPACITY;
  private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
  private int threads = 1;

  public SimulationOptions() {}

  public SimulationOptions(SimulationOptions other) {
    seed = other.seed;
    topology = other.topology;
    latency = other.latency;
    uplinkBytesPerSecond = other.uplinkBytesPerSecond;
    lossProbability = other.lossProbability;
    spreading = other.spreading;
    spyFraction = other.spyFraction;
    seenCapacity = other.seenCapacity;
    requestTimeout = other.requestTimeout;
    threads = other.threads;
  }

  public int getThreads() {
    return threads;
  }

  /**
   * The threads a run uses, 1 (the default) to {@value #MAX_THREADS}: the nodes are dealt to that many lanes,
   * each run by a thread of its own in windows as long as the latency model's floor (ADR 023). A run gives the
   * same results, event for event, whatever the number. More than one needs a latency model with a floor
   * ({@link LatencyModel#minNanos()} above 0; the default has 5 ms), runs no host's handlers
   * ({@link Simulation#propagator} is refused), and calls the latency model and a partition's sides from
   * several threads at once. It pays on large networks: each window must hold thousands of events.
   */
  public SimulationOptions setThreads(int threads) {
    if (threads < 1 || threads > MAX_THREADS) {
      throw new IllegalArgumentException("threads must be from 1 to " + MAX_THREADS + ", got " + threads);
    }
    this.threads = threads;
    return this;
  }

  public long getSeed() {
    return seed;
  }

  /** The seed every random choice of the run derives from: graph, delays, losses, spies, protocols. */
  public SimulationOptions setSeed(long seed) {
    this.seed = seed;
    return this;
  }

  public Topology getTopology() {
    return topology;
  }

  public SimulationOptions setTopology(Topology topology) {
    this.topology = Objects.requireNonNull(topology, "topology");
    return this;
  }

  public LatencyModel getLatency() {
    return latency;
  }

  public SimulationOptions setLatency(LatencyModel latency) {
    this.latency = Objects.requireNonNull(latency, "latency");
    return this;
  }

  /** Each node's upload bandwidth in bytes per second, 0 for unlimited. */
  public IntToLongFunction getUplinkBytesPerSecond() {
    return uplinkBytesPerSecond;
  }

  /**
   * Each node's upload bandwidth; 0 (the default) for unlimited. Frames leave a node one after another, each
   * taking its size over the bandwidth, so a node relaying to many peers delays the last ones.
   */
  public SimulationOptions setUplinkBytesPerSecond(long bytesPerSecond) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("uplink bandwidth cannot be negative: " + bytesPerSecond + " (0 means unlimited)");
    }
    this.uplinkBytesPerSecond = bytesPerSecond == 0 ? UNLIMITED_UPLINK : node -> bytesPerSecond;
    return this;
  }

  /**
   * A different upload bandwidth per node (bytes per second, 0 for unlimited), such as a few well-provisioned
   * nodes among many home connections. Asked once per frame sent; a negative answer fails the run.
   */
  public SimulationOptions setUplinkBytesPerSecond(IntToLongFunction bytesPerSecondOfNode) {
    this.uplinkBytesPerSecond = Objects.requireNonNull(bytesPerSecondOfNode, "bytesPerSecondOfNode");
    return this;
  }

  public double getLossProbability() {
    return lossProbability;
  }

  /** The chance that any one frame is lost, from 0 (the default) to below 1. */
  public SimulationOptions setLossProbability(double p) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException("loss probability must be from 0 to below 1, got " + p);
    }
    this.lossProbability = p;
    return this;
  }

  public Spreading getSpreading() {
    return spreading;
  }

  /** The protocol every node runs. */
  public SimulationOptions setSpreading(Spreading spreading) {
    this.spreading = Objects.requireNonNull(spreading, "spreading");
    return this;
  }

  public double getSpyFraction() {
    return spyFraction;
  }

  /**
   * The share of nodes, chosen at random, that are spies: they follow the protocol, and record when and from
   * whom they first hear of each message, for the first-spy estimator. 0 by default.
   */
  public SimulationOptions setSpyFraction(double fraction) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("spy fraction must be from 0 to below 1, got " + fraction);
    }
    this.spyFraction = fraction;
    return this;
  }

  public int getSeenCapacity() {
    return seenCapacity;
  }

  /** Message ids each node's seen-cache holds. */
  public SimulationOptions setSeenCapacity(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("seen-cache capacity must be at least 1, got " + capacity);
    }
    this.seenCapacity = capacity;
    return this;
  }

  public Duration getRequestTimeout() {
    return requestTimeout;
  }

  /** How long a node waits for a requested message before asking the next peer that announced it. */
  public SimulationOptions setRequestTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("request timeout must be above 0, got " + timeout);
    }
    this.requestTimeout = timeout;
    return this;
  }
}
