package org.meshledger.samples.visualizer;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.meshledger.IncentivePolicy;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.Spreading;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.NodeId;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Role;
import org.meshledger.testing.SpreadTrace;

/**
 * The demo's network: real nodes on loopback, each with its data directory (H2 store, TLS certificate), joined
 * through one bootstrap address, and the experiments the page offers: add, delete, kill and restart, partition and
 * heal, switch the spreading protocol. The genesis names the validators, the followers and spare followers that
 * "add a node" starts (a permissioned chain admits members only), a funded account the demo's transactions come from,
 * and an incentive policy, so validators earn.
 *
 * <p>Every change runs on one control thread, in order ({@link #control}): starting and stopping a node blocks
 * for seconds, and one thread makes the experiments simple to reason about. The page's requests only queue them.
 */
final class DemoNetwork implements AutoCloseable {
  static final String GOSSIP_TOPIC = "visualizer";
  /** Spreading protocols the page switches between, by the name it shows. */
  static final Map<String, Spreading> PROTOCOLS = Map.of(
      "flooding", Spreading.flooding(),
      "diffusion", Spreading.diffusion(Duration.ofMillis(300)).with("relay", "push"),
      "dandelion++", Spreading.dandelionPlusPlus().with("relay", "push").with("meanDelay", "300ms")
          .with("embargoMin", "5s").with("embargoMean", "2s"));
  /** Blocks about once a second even when idle, so heights move on the page. */
  static final ConsensusParameters PACE = new ConsensusParameters(Duration.ofMillis(1000), Duration.ofMillis(500),
      Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofSeconds(1), 1000);

  private final VisualizerOptions options;
  private final PrintStream out;
  private final Vertx vertx = Vertx.vertx();
  private final ExecutorService control = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "visualizer-control");
    t.setDaemon(true);
    return t;
  });
  private final SplittableRandom random;
  private final List<Member> members = new ArrayList<>();
  private final Map<NodeId, String> names = new ConcurrentHashMap<>();
  private final Genesis genesis;
  private final KeyPair client = KeyPair.generate();
  private final Load load;
  private volatile String protocol;
  private volatile boolean partitioned;
  private volatile SpreadTrace trace = f -> {};

  DemoNetwork(VisualizerOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
    this.random = new SplittableRandom(options.seed());
    this.protocol = options.protocol();
    int spares = Math.max(8, options.nodes() - options.validators());
    Genesis.Builder g = Genesis.builder("visualizer").genesisTime(Instant.parse("2026-01-01T00:00:00Z")).consensus(PACE);
    for (int i = 0; i < options.nodes() + spares; i++) {
      boolean validator = i < options.validators();
      String name = (validator ? "validator-" : "follower-") + (validator ? i : i - options.validators());
      KeyPair key = KeyPair.generate();
      members.add(new Member(name, key, validator, options.dataDir().resolve(name)));
      names.put(key.nodeId(), name);
      g.member(name, key.nodeId(), validator ? Role.VALIDATOR : Role.OBSERVER);
    }
    KeyPair treasury = KeyPair.generate();
    g.incentives(IncentivePolicy.standard(treasury.accountId(), IncentivePolicy.Subsidy.constant(Amount.of(1_000))));
    g.balance(client.accountId(), Amount.of(1_000_000_000_000L));
    this.genesis = g.build();
    this.load = new Load(this, vertx);
  }

  Genesis genesis() {
    return genesis;
  }

  KeyPair client() {
    return client;
  }

  Load load() {
    return load;
  }

  String protocol() {
    return protocol;
  }

  boolean partitioned() {
    return partitioned;
  }

  Vertx vertx() {
    return vertx;
  }

  /** Every member, spares included, in genesis order; read-only for callers. */
  List<Member> members() {
    return List.copyOf(members);
  }

  /** The short name of a node, for the page. */
  String nameOf(NodeId id) {
    return names.getOrDefault(id, id.toHex().substring(0, 8));
  }

  /** Where every node's spreading frames go (the page's animation); set before {@link #start}. */
  void trace(SpreadTrace t) {
    this.trace = t;
  }

  /** Starts the first {@code nodes} members one after another, printing each, on the calling thread. */
  void start() throws Exception {
    prepareDataDir(options.dataDir());
    out.printf("chain %s: %d validators (%d needed to commit, %d may fail), %d followers, %d spare members for 'add a node'%n",
        genesis.chainId(), genesis.validators().size(), genesis.validators().quorum(), genesis.validators().tolerated(),
        options.nodes() - options.validators(), members.size() - options.nodes());
    long t0 = System.nanoTime();
    for (int i = 0; i < options.nodes(); i++) {
      Member m = members.get(i);
      startNode(m);
      out.printf("[%2d/%d] %-12s %-9s port %5d  (%.1f s)%n", i + 1, options.nodes(), m.name, m.role(), m.port,
          (System.nanoTime() - t0) / 1e9);
    }
  }

  /**
   * The demo's data directory: made if missing; one it made before (it holds {@code .visualizer}) is emptied, since
   * every run makes a new chain; anything else that is not empty is refused rather than deleted.
   */
  static void prepareDataDir(Path dir) throws IOException {
    Path marker = dir.resolve(".visualizer");
    if (Files.isDirectory(dir) && !Files.exists(marker)) {
      try (Stream<Path> s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          throw new IllegalArgumentException("data directory " + dir + " is not empty and was not made by the visualizer: give an empty"
              + " or new one (-Ddata=DIR)");
        }
      }
    }
    if (Files.exists(marker)) {
      deleteTree(dir);
    }
    Files.createDirectories(dir);
    Files.writeString(marker, "made by the Meshledger visualizer: emptied at each start\n");
  }

  /** Runs {@code action} on the control thread, after those queued before it; its failure is printed. */
  void control(String what, ThrowingRunnable action) {
    control.execute(() -> {
      try {
        action.run();
      } catch (Exception | AssertionError e) {
        out.println(what + " failed: " + e);
      }
    });
  }

  /** Like {@link #control} but waits for it; for the headless run and tests. */
  void controlAndWait(String what, ThrowingRunnable action) throws Exception {
    control.submit(() -> {
      action.run();
      return null;
    }).get(120, TimeUnit.SECONDS);
  }

  /** A function that may throw, run on the control thread. */
  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  // ---- experiments (on the control thread) -------------------------------------------------------------------

  /** Starts the next spare member as a follower, joined through one running node. */
  Member add() throws Exception {
    Member m = members.stream().filter(x -> x.life == Member.Life.SPARE).findFirst().orElseThrow(() -> new IllegalStateException(
        "every member of the genesis (" + members.size() + ") has been used: restart the demo with more nodes"));
    m.rejoined = true;
    startNode(m);
    return m;
  }

  /**
   * Stops a random running node and deletes its data directory: the seed's experiment. A validator is chosen only
   * while the others still make a quorum, so the chain goes on.
   */
  Optional<Member> deleteRandom() throws Exception {
    long validatorsUp = members.stream().filter(m -> m.validator && m.running()).count();
    List<Member> candidates = members.stream().filter(Member::running)
        .filter(m -> !m.validator || validatorsUp - 1 >= genesis.validators().quorum()).toList();
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    Member m = candidates.get(random.nextInt(candidates.size()));
    stopNode(m, Member.Life.DELETED);
    deleteTree(m.dataDir);
    return Optional.of(m);
  }

  /** Stops a random running validator; its data stays for {@link #restartKilled}. */
  Optional<Member> killValidator() throws Exception {
    List<Member> up = members.stream().filter(m -> m.validator && m.running()).toList();
    if (up.isEmpty()) {
      return Optional.empty();
    }
    Member m = up.get(random.nextInt(up.size()));
    stopNode(m, Member.Life.KILLED);
    return Optional.of(m);
  }

  /** Starts every killed node again on its data. */
  List<Member> restartKilled() throws Exception {
    List<Member> back = members.stream().filter(m -> m.life == Member.Life.KILLED).toList();
    for (Member m : back) {
      m.rejoined = true;
      startNode(m);
    }
    return back;
  }

  /**
   * Cuts the running network in two: the minority side holds one validator (too few to commit) and half the
   * followers; each side's link filters block the other side's ids. New nodes join the majority.
   */
  void partition() {
    List<Member> up = members.stream().filter(Member::running).toList();
    List<Member> validators = up.stream().filter(m -> m.validator).toList();
    List<Member> followers = up.stream().filter(m -> !m.validator).toList();
    List<Member> minority = new ArrayList<>();
    if (!validators.isEmpty()) {
      minority.add(validators.get(validators.size() - 1));
    }
    minority.addAll(followers.subList(followers.size() / 2, followers.size()));
    Set<NodeId> minorityIds = minority.stream().map(m -> m.key.nodeId()).collect(Collectors.toSet());
    Set<NodeId> majorityIds = members.stream().map(m -> m.key.nodeId()).filter(id -> !minorityIds.contains(id)).collect(Collectors.toSet());
    for (Member m : members) {
      m.filter.block(minorityIds.contains(m.key.nodeId()) ? majorityIds : minorityIds);
    }
    partitioned = true;
  }

  /** Lifts the partition: the nodes reconnect on their own and the minority catches up. */
  void heal() {
    members.forEach(m -> m.filter.heal());
    partitioned = false;
  }

  /** Restarts every running node with {@code name}'s spreading, keeping its data: one at a time, so consensus goes on. */
  void switchProtocol(String name) throws Exception {
    if (!PROTOCOLS.containsKey(name)) {
      throw new IllegalArgumentException("unknown spreading protocol '" + name + "': use one of " + new TreeMap<>(PROTOCOLS).keySet());
    }
    if (name.equals(protocol)) {
      return;
    }
    protocol = name;
    for (Member m : members.stream().filter(Member::running).toList()) {
      stopNode(m, Member.Life.KILLED);
      startNode(m);
    }
  }

  /** A random running node, for submitting and publishing. */
  Optional<Member> anyRunning() {
    List<Member> up = members.stream().filter(Member::running).toList();
    return up.isEmpty() ? Optional.empty() : Optional.of(up.get(random.nextInt(up.size())));
  }

  // ---- nodes -------------------------------------------------------------------------------------------------

  private void startNode(Member m) throws Exception {
    NodeOptions o = new NodeOptions().setDataDir(m.dataDir).setListenHost("127.0.0.1").setListenPort(m.port)
        .setKeepAliveInterval(Duration.ofMillis(500)).setIdleTimeout(Duration.ofSeconds(5))
        .setReconnectMin(Duration.ofMillis(100)).setReconnectMax(Duration.ofSeconds(2)).setTargetOutbound(4);
    bootstrap(m).ifPresent(o::addPeer);
    m.life = Member.Life.STARTING;
    SpreadTrace forward = f -> trace.onFrame(f);
    Node node = Node.builder().options(o).genesis(genesis).identity(m.key).vertx(vertx).spreading(PROTOCOLS.get(protocol))
        .plugin(m.filter).plugin(forward).build();
    m.caughtUpFrom = -1;
    node.onSyncProgress(m::progress);
    m.node = node;
    try {
      node.start().await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      m.life = Member.Life.KILLED;
      node.close();
      throw e;
    }
    m.port = node.status().port();
    m.life = Member.Life.RUNNING;
  }

  /** One running node's address: the first validator's while it runs, else any other's. */
  private Optional<String> bootstrap(Member joining) {
    return members.stream().filter(x -> x != joining && x.running() && x.port > 0)
        .min(Comparator.comparingInt(members::indexOf)).map(x -> "127.0.0.1:" + x.port);
  }

  private void stopNode(Member m, Member.Life after) throws Exception {
    Node n = m.node;
    m.life = after;
    if (n != null) {
      n.stop().await(60, TimeUnit.SECONDS);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Stops the load, every node and Vert.x. */
  @Override
  public void close() {
    load.stop();
    control.execute(() -> {
      for (Member m : members) {
        Node n = m.node;
        if (n != null && m.life != Member.Life.DELETED) {
          try {
            n.stop().await(30, TimeUnit.SECONDS);
          } catch (Exception e) {
            out.println(m.name + " did not stop cleanly: " + e);
          }
        }
      }
    });
    control.shutdown();
    try {
      control.awaitTermination(120, TimeUnit.SECONDS);
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      out.println("closing the demo: " + e);
    }
  }
}
