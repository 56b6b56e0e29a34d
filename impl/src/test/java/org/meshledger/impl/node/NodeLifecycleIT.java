package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.ConfigurationException;
import org.meshledger.Gossip;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.NodeStatus.State;
import org.meshledger.Spreading;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Role;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.StoreContext;
import org.meshledger.spi.testsupport.Await;
import org.meshledger.spi.testsupport.TestGenesis;

/** A node's life on real sockets: start once, stop idempotently, release what it owns, report what it does. */
class NodeLifecycleIT {
  private final KeyPair a = KeyPair.generate();
  private final KeyPair b = KeyPair.generate();
  private final Genesis genesis = TestGenesis.chain("lifecycle-it").observers(1).keys(a, b).build().genesis();

  private static NodeOptions options(Path dir) {
    return new NodeOptions().setDataDir(dir).setListenHost("127.0.0.1").setListenPort(0)
        .setKeepAliveInterval(Duration.ofMillis(200)).setIdleTimeout(Duration.ofSeconds(5))
        .setReconnectMin(Duration.ofMillis(50)).setReconnectMax(Duration.ofSeconds(1));
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void startsOnceStopsIdempotentlyAndKeepsTheH2ChainInItsDataDir(@TempDir Path dir) throws Exception {
    Node node = Node.builder().options(options(dir)).genesis(genesis).identity(a).build();
    assertThat(node.status().state()).isEqualTo(State.NEW);
    await(node.start());
    assertThat(node.status().state()).isEqualTo(State.RUNNING);
    assertThat(node.status().port()).isPositive();
    assertThat(node.status().roles()).containsExactly(Role.VALIDATOR);
    assertThat(Files.list(dir).map(p -> p.getFileName().toString()).toList()).as("H2 file and TLS identity under the data dir")
        .anyMatch(n -> n.startsWith("ledger.mv"));

    assertThatThrownBy(() -> await(node.start())).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("starts once");
    await(node.stop());
    await(node.stop());
    node.close();
    assertThat(node.status().state()).isEqualTo(State.STOPPED);
    assertThatThrownBy(() -> await(node.start())).hasCauseInstanceOf(IllegalStateException.class);

    // The store was closed: it opens again at once, holding every block the node reported stored (a block the
    // lone validator committed while the test ran is written before stop completes, not dropped).
    try (BlockStore store = BlockStores.open("h2", new StoreContext(dir, genesis.chainId(), genesis.hash()))) {
      assertThat(store.height()).isEqualTo(node.status().height());
    }
  }

  @Test
  void aPermissionedChainRefusesToBuildANodeForANonMember(@TempDir Path dir) {
    assertThatThrownBy(() -> Node.builder().options(options(dir)).genesis(genesis).identity(KeyPair.generate()).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("not a member");
  }

  @Test
  void anUnknownProtocolOrBadParameterFailsAtBuildNamingIt(@TempDir Path dir) {
    assertThatThrownBy(() -> Node.builder().options(options(dir)).genesis(genesis).identity(a).spreading(Spreading.of("gossipsub")).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("gossipsub");
    assertThatThrownBy(() -> Node.builder().options(options(dir)).genesis(genesis).identity(a)
        .spreading(Spreading.flooding().with("delay", "-5ms")).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("delay");
  }

  @Test
  void twoNodesOnTheHostsVertxExchangeMessagesAndReportMeters(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try {
      Node first = Node.builder().options(options(dir.resolve("a")).setStorage("memory")).genesis(genesis).identity(a).vertx(vertx)
          .plugin(registry).build();
      await(first.start());
      Node second = Node.builder().options(options(dir.resolve("b")).setStorage("memory").addPeer("127.0.0.1:" + first.status().port()))
          .genesis(genesis).identity(b).vertx(vertx).build();
      List<Gossip> heard = new CopyOnWriteArrayList<>();
      second.propagator().subscribe("quotes", heard::add);
      await(second.start());
      Await.await("the two nodes to connect", () -> first.status().peer(b.nodeId()).isPresent()
          && second.status().peer(a.nodeId()).isPresent());
      assertThat(second.status().peer(a.nodeId()).orElseThrow().outbound()).isTrue();

      Gossip sent = first.propagator().publish("quotes", "steel at 612/t".getBytes(StandardCharsets.UTF_8));
      Await.await("the quote at the second node", () -> !heard.isEmpty());
      assertThat(heard).containsExactly(sent);

      String node = a.nodeId().toHex().substring(0, 16);
      Gauge inbound = registry.get("meshledger.peers").tags("node", node, "direction", "inbound").gauge();
      assertThat(inbound.value()).isEqualTo(1.0);
      FunctionCounter payloads = registry.get("meshledger.spreading.frames").tags("node", node, "kind", "payload", "direction", "sent")
          .functionCounter();
      assertThat(payloads.count()).isEqualTo(1.0);
      assertThat(registry.get("meshledger.network.handshake.failures").tags("node", node).functionCounter().count()).isZero();
      assertThat(registry.get("meshledger.network.bytes").tags("node", node, "direction", "sent").functionCounter().count())
          .as("the handshake and the payload went out").isGreaterThan(200);

      await(second.stop());
      await(first.stop());
      assertThat(registry.find("meshledger.peers").tags("node", node).gauges()).as("meters removed on stop").isEmpty();
      assertThat(vertx.deploymentIDs()).isNotNull(); // the host's Vert.x is still usable: the node did not close it
      assertThat(await(vertx.executeBlocking(() -> "alive"))).isEqualTo("alive");
    } finally {
      await(vertx.close());
    }
  }
}
