package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.NodeStatus.SyncState;
import org.meshledger.NodeStatus;
import org.meshledger.StorageException;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.impl.consensus.ConsensusConfig;
import org.meshledger.impl.consensus.ConsensusHealth;
import org.meshledger.impl.consensus.SignatureVerifier;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.StoreContext;
import org.meshledger.spi.testsupport.Await;
import org.meshledger.spi.testsupport.LogCapture;
import org.meshledger.spi.testsupport.TestGenesis;

/**
 * What a host sees in {@link Node#status()} when consensus cannot progress, on real nodes (TLS on loopback):
 * two of four validators stopped is NO_QUORUM at the other two, and clears when one comes back; two of four
 * validators halted by their disks (connected, silent) is STALLED at the other two, and clears when one restarts.
 * And a node logs at start how many validator failures its set tolerates, warning when three validators tolerate
 * none. Every wait is a condition awaited with a deadline; the bounds come from the chain's parameters.
 */
class NodeHealthIT {
  /** 300 ms propose, 200 ms votes, +100 ms a round, 50 ms between blocks, 150 ms heartbeat. */
  static final ConsensusParameters FAST = TestGenesis.FAST;
  /** Slack on every bound for two busy cores. */
  static final Duration SLACK = Duration.ofSeconds(10);

  private final Vertx vertx = Vertx.vertx();
  private final List<Node> nodes = new ArrayList<>();

  @AfterEach
  void tearDown() {
    nodes.stream().filter(n -> n != null).forEach(n -> n.stop().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join());
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  @Test
  void twoOfFourValidatorsStoppedIsNoQuorumAtTheOthersAndOneBackClearsIt(@TempDir Path dir) throws Exception {
    List<KeyPair> keys = keys(4);
    Genesis genesis = genesis(keys);
    for (int i = 0; i < 4; i++) {
      nodes.add(start(genesis, keys.get(i), options(dir.resolve("node-" + i), i)));
    }
    await("every node past height 2, in sync, reaching all 4 validators", Duration.ofSeconds(60), () -> nodes.stream()
        .allMatch(n -> n.status().height() >= 2 && n.status().sync() == SyncState.IN_SYNC && n.status().quorum().reachable() == 4));

    nodes.get(2).close();
    nodes.get(3).close();
    long stoppedAt = System.nanoTime();
    // at once through the closed connections; at worst one window after a last vote relayed by the other
    Duration bound = Duration.ofMillis(health(genesis, keys.get(0)).heardWindowMillis()).plus(SLACK);
    await("validators 0 and 1 to report NO_QUORUM", bound, () -> survivors().allMatch(s -> s.sync() == SyncState.NO_QUORUM));
    long noQuorumMillis = (System.nanoTime() - stoppedAt) / 1_000_000;
    for (int i = 0; i < 2; i++) {
      NodeStatus s = nodes.get(i).status();
      assertThat(s.quorum()).as("node %d", i).isEqualTo(new NodeStatus.Quorum(2, 3, 4));
      assertThat(s.quorum().reached()).isFalse();
      assertThat(s.fault()).as("node %d", i).contains("no quorum: 2 of 4 validators reachable, 3 needed")
          .contains(keys.get(2).nodeId().toHex().substring(0, 16), keys.get(3).nodeId().toHex().substring(0, 16));
    }
    long stuckAt = survivors().mapToLong(NodeStatus::height).max().orElseThrow();
    System.out.printf("NO_QUORUM reported %d ms after two of four validators stopped (bound %d ms)%n", noQuorumMillis, bound.toMillis());

    nodes.set(3, start(genesis, keys.get(3), options(dir.resolve("node-3"), 2))); // dials validators 0 and 1
    await("validators 0 and 1 back in sync, committing past " + stuckAt, Duration.ofSeconds(60), () -> survivors()
        .allMatch(s -> s.sync() == SyncState.IN_SYNC && s.fault().isEmpty() && s.quorum().reachable() == 3 && s.height() > stuckAt));
  }

  @Test
  void twoOfFourValidatorsHaltedButConnectedIsStalledAtTheOthersAndARestartClearsIt(@TempDir Path dir) throws Exception {
    List<KeyPair> keys = keys(4);
    Genesis genesis = genesis(keys);
    List<AtomicBoolean> diskFull = new ArrayList<>();
    List<BlockStore> stores = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      AtomicBoolean full = new AtomicBoolean();
      BlockStore store = failingStore(BlockStores.open("memory", new StoreContext(dir, genesis.chainId(), genesis.hash())), full);
      diskFull.add(full);
      stores.add(store);
      nodes.add(start(genesis, keys.get(i), options(dir.resolve("node-" + i), i), store));
    }
    await("every node past height 2, in sync", Duration.ofSeconds(60),
        () -> nodes.stream().allMatch(n -> n.status().height() >= 2 && n.status().sync() == SyncState.IN_SYNC));

    long fullAt;
    try (LogCapture consensusLog = LogCapture.of("org.meshledger.consensus")) { // the expected traces stay out of the build log
      diskFull.get(2).set(true);
      diskFull.get(3).set(true);
      fullAt = System.nanoTime();
      await("validators 2 and 3 to halt on their full disks", Duration.ofSeconds(30),
          () -> nodes.get(2).status().sync() == SyncState.HALTED && nodes.get(3).status().sync() == SyncState.HALTED);
      assertThat(consensusLog.has(Level.SEVERE, "consensus halted: cannot write block")).as("the halt is logged as an error with its cause: %s",
          consensusLog.lines()).isTrue();
    }
    Duration bound = Duration.ofMillis(health(genesis, keys.get(0)).stallMillis()).plus(SLACK);
    await("validators 0 and 1 to report STALLED", bound, () -> survivors().allMatch(s -> s.sync() == SyncState.STALLED));
    long stalledMillis = (System.nanoTime() - fullAt) / 1_000_000;
    for (int i = 0; i < 2; i++) {
      NodeStatus s = nodes.get(i).status();
      assertThat(s.quorum()).as("node %d: the halted validators are still connected", i).isEqualTo(new NodeStatus.Quorum(4, 3, 4));
      assertThat(s.fault()).as("node %d", i).contains("stalled: height " + (s.height() + 1) + " has gone").contains("without a decision");
    }
    long stuckAt = survivors().mapToLong(NodeStatus::height).max().orElseThrow();
    System.out.printf("STALLED reported %d ms after two of four validators' disks filled (stall after %d ms of a height)%n", stalledMillis,
        health(genesis, keys.get(0)).stallMillis());

    // validator 3 restarts on its store, which has room again
    nodes.get(3).close();
    diskFull.get(3).set(false);
    nodes.set(3, start(genesis, keys.get(3), options(dir.resolve("node-3"), 2), stores.get(3)));
    await("validators 0 and 1 in sync again, committing past " + stuckAt, Duration.ofSeconds(60),
        () -> survivors().allMatch(s -> s.sync() == SyncState.IN_SYNC && s.fault().isEmpty() && s.height() > stuckAt));
    stores.forEach(BlockStore::close);
  }

  @Test
  void aNodeSaysAtStartHowManyValidatorFailuresItsSetToleratesAndWarnsWhenNone(@TempDir Path dir) throws Exception {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger("org.meshledger.consensus");
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        lines.add(r.getLevel() + " " + r.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(capture);
    try {
      List<KeyPair> three = keys(3);
      Node ofThree = start(genesis(three), three.get(0), options(dir.resolve("of-three"), 0));
      nodes.add(ofThree);
      assertThat(lines).contains("WARNING the validator set of chain health-it tolerates no validator failure (3 validators, 3 needed"
          + " to decide a block): any one validator stopping stops the chain; 4 validators tolerate one (n = 3f + 1)");
      NodeStatus alone = ofThree.status();
      assertThat(alone.sync()).as("one of three, alone").isEqualTo(SyncState.NO_QUORUM);
      assertThat(alone.quorum()).isEqualTo(new NodeStatus.Quorum(1, 3, 3));

      lines.clear();
      List<KeyPair> four = keys(4);
      nodes.add(start(genesis(four), four.get(0), options(dir.resolve("of-four"), 0)));
      assertThat(lines).contains("INFO the validator set of chain health-it tolerates 1 validator failure (4 validators, 3 needed to"
          + " decide a block)").noneMatch(l -> l.startsWith("WARNING the validator set"));

      lines.clear();
      List<KeyPair> one = keys(1);
      Node solo = start(genesis(one), one.get(0), options(dir.resolve("solo"), 0));
      nodes.add(solo);
      assertThat(lines).contains("INFO the validator set of chain health-it tolerates 0 validator failures (1 validator, 1 needed to"
          + " decide a block)").noneMatch(l -> l.startsWith("WARNING the validator set"));
      assertThat(solo.status().quorum()).isEqualTo(new NodeStatus.Quorum(1, 1, 1));
      assertThat(solo.status().sync()).isEqualTo(SyncState.IN_SYNC);
    } finally {
      logger.removeHandler(capture);
    }
  }

  private java.util.stream.Stream<NodeStatus> survivors() {
    return nodes.subList(0, 2).stream().map(Node::status);
  }

  private static ConsensusHealth health(Genesis genesis, KeyPair key) {
    return new ConsensusHealth(new ConsensusConfig(genesis.chainId(), genesis.validators(), genesis.consensus(), key, SignatureVerifier.DIRECT));
  }

  private static List<KeyPair> keys(int n) {
    List<KeyPair> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(KeyPair.generate());
    }
    return keys;
  }

  private static Genesis genesis(List<KeyPair> keys) {
    return TestGenesis.chain("health-it").validators(keys.size()).keys(keys.toArray(KeyPair[]::new)).consensus(FAST).build().genesis();
  }

  /** Options for a node that dials the first {@code dials} nodes of {@link #nodes}. */
  private NodeOptions options(Path dataDir, int dials) {
    NodeOptions options = new NodeOptions().setDataDir(dataDir).setListenHost("127.0.0.1").setListenPort(0)
        .setKeepAliveInterval(Duration.ofMillis(500)).setIdleTimeout(Duration.ofSeconds(5))
        .setReconnectMin(Duration.ofMillis(50)).setReconnectMax(Duration.ofMillis(500));
    for (int i = 0; i < dials; i++) {
      options.addPeer("127.0.0.1:" + nodes.get(i).status().port());
    }
    return options;
  }

  private Node start(Genesis genesis, KeyPair key, NodeOptions options) throws Exception {
    return start(genesis, key, options, null);
  }

  private Node start(Genesis genesis, KeyPair key, NodeOptions options, BlockStore store) throws Exception {
    Files.createDirectories(options.getDataDir());
    Node.Builder b = Node.builder().options(options).genesis(genesis).identity(key).vertx(vertx);
    if (store != null) {
      b.plugin(store);
    }
    Node node = b.build();
    node.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return node;
  }

  /** {@code real}, whose appends fail while {@code full} is set, as on a full disk. */
  private static BlockStore failingStore(BlockStore real, AtomicBoolean full) {
    return (BlockStore) Proxy.newProxyInstance(NodeHealthIT.class.getClassLoader(), new Class<?>[] {BlockStore.class}, (proxy, method, args) -> {
      if (method.getName().startsWith("append") && full.get()) { // append and appendAll
        throw new StorageException("no space left on device");
      }
      try {
        return method.invoke(real, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }

  /** Polls {@code condition} until it holds, failing after {@code timeout} with {@code what} and every node's status. */
  private void await(String what, Duration timeout, BooleanSupplier condition) {
    Await.until(what, timeout, condition, () -> {
      StringBuilder s = new StringBuilder();
      nodes.stream().filter(n -> n != null).forEach(n -> s.append("\n  ").append(n.status()));
      return s;
    });
  }
}
