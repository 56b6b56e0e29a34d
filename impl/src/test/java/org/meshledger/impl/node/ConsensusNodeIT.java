package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.chain.Block;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.StoreContext;
import org.meshledger.spi.testsupport.Await;
import org.meshledger.spi.testsupport.TestGenesis;

/**
 * Consensus on real nodes: TLS sockets on loopback, H2 and memory stores. Four validators and two followers
 * commit the same chain; one validator stops, the others go on; it restarts from its data directory and
 * catches up. And one validator alone commits a block per heartbeat. No randomness beyond fresh keys.
 */
class ConsensusNodeIT {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Vertx vertx = Vertx.vertx();
  private final List<Node> nodes = new ArrayList<>();
  private final List<BlockStore> stores = new ArrayList<>();

  @AfterEach
  void tearDown() {
    nodes.forEach(n -> n.stop().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join());
    stores.forEach(BlockStore::close);
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  @Test
  void fourValidatorsAndTwoFollowersAgreeSurviveAStopAndCatchUp(@TempDir Path dir) throws Exception {
    TestGenesis net = TestGenesis.chain("consensus-it").validators(4).observers(2).fast().build();
    List<KeyPair> keys = net.keys();
    Genesis genesis = net.genesis();
    for (int i = 0; i < 6; i++) {
      nodes.add(start(genesis, keys.get(i), dir.resolve("node-" + i), i == 0 || i == 3 ? "h2" : "memory", i));
    }
    await("every node at height 5", () -> nodes.stream().allMatch(n -> n.status().height() >= 5));

    // Validator 3 (H2) stops: three of four still make a quorum.
    Node stopped = nodes.get(3);
    stopped.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    stores.get(3).close();
    long atStop = maxHeight();
    await("commits go on without validator 3", () -> others(3).allMatch(n -> n.status().height() >= atStop + 5));

    // It restarts from its data directory (chain and safety record) and catches up.
    stores.set(3, null);
    Node restarted = start(genesis, keys.get(3), dir.resolve("node-3"), "h2", 3);
    nodes.set(3, restarted);
    long atRestart = maxHeight();
    await("validator 3 caught up past " + atRestart, () -> restarted.status().height() >= atRestart + 3);
    await("every node past " + (atRestart + 3), () -> nodes.stream().allMatch(n -> n.status().height() >= atRestart + 3));

    long common = nodes.stream().mapToLong(n -> n.status().height()).min().orElseThrow();
    for (long h = 1; h <= common; h++) {
      Block reference = stores.get(0).block(h).orElseThrow();
      assertThat(reference.verify(genesis.validators()).valid()).as("block %d verifies", h).isTrue();
      for (int i = 1; i < 6; i++) {
        assertThat(stores.get(i).block(h).orElseThrow().hash()).as("node %d block %d", i, h).isEqualTo(reference.hash());
      }
    }
  }

  @Test
  void aSingleValidatorCommitsAloneOnePerHeartbeatWhileIdle(@TempDir Path dir) throws Exception {
    TestGenesis net = TestGenesis.chain("solo-it").fast().build();
    KeyPair key = net.key(0);
    Genesis genesis = net.genesis();
    Node node = start(genesis, key, dir.resolve("solo"), "memory", 0);
    nodes.add(node);
    await("height 5", () -> node.status().height() >= 5);
    for (long h = 1; h <= 5; h++) {
      Block b = stores.get(0).block(h).orElseThrow();
      assertThat(b.verify(genesis.validators()).valid()).as("block %d verifies", h).isTrue();
      assertThat(b.certificate().signatures()).hasSize(1);
      if (h > 1) {
        long gap = b.header().timeMillis() - stores.get(0).block(h - 1).orElseThrow().header().timeMillis();
        assertThat(gap).as("idle: no block sooner than the heartbeat after block %d", h - 1).isGreaterThanOrEqualTo(140);
      }
    }
  }

  /** Starts node {@code index} with a store the test also reads; it dials every node started before it. */
  private Node start(Genesis genesis, KeyPair key, Path dataDir, String storage, int index) throws Exception {
    java.nio.file.Files.createDirectories(dataDir);
    BlockStore store = BlockStores.open(storage, new StoreContext(dataDir, genesis.chainId(), genesis.hash()));
    if (index < stores.size()) {
      stores.set(index, store);
    } else {
      stores.add(store);
    }
    NodeOptions options = new NodeOptions().setDataDir(dataDir).setListenHost("127.0.0.1").setListenPort(0)
        .setKeepAliveInterval(Duration.ofMillis(500)).setIdleTimeout(Duration.ofSeconds(5))
        .setReconnectMin(Duration.ofMillis(50)).setReconnectMax(Duration.ofMillis(500));
    for (int i = 0; i < Math.min(index, nodes.size()); i++) {
      if (i != index && nodes.get(i).status().port() > 0) {
        options.addPeer("127.0.0.1:" + nodes.get(i).status().port());
      }
    }
    Node node = Node.builder().options(options).genesis(genesis).identity(key).vertx(vertx).plugin(store).build();
    node.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return node;
  }

  private long maxHeight() {
    return nodes.stream().mapToLong(n -> n.status().height()).max().orElseThrow();
  }

  private java.util.stream.Stream<Node> others(int index) {
    return nodes.stream().filter(n -> n != nodes.get(index));
  }

  /** Polls {@code condition} until it holds, failing after {@link #TIMEOUT} with {@code what}. */
  private void await(String what, BooleanSupplier condition) {
    Await.until(what, TIMEOUT, condition, () -> {
      StringBuilder s = new StringBuilder();
      nodes.forEach(n -> s.append("\n  ").append(n.id()).append(" height ").append(n.status().height())
          .append(" peers ").append(n.status().peers().size()));
      return s;
    });
  }
}
