package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.meshledger.spi.testsupport.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.NodeStatus;
import org.meshledger.Spreading;
import org.meshledger.chain.Hash;
import org.meshledger.chain.NodeId;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.spi.testsupport.TestGenesis;

/**
 * The spreading protocols run unchanged on real sockets: 16 nodes on loopback over TLS, each knowing one
 * bootstrap peer, form an overlay; messages published at random nodes reach every other node exactly once.
 * Seeded ({@code -Dmeshledger.seed=N} replays the choice of bootstrap peers and publishers).
 */
class NodePropagationIT {
  static final int NODES = 16;
  static final int MESSAGES = 10;
  static final String TOPIC = "shipments";
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Vertx vertx = Vertx.vertx();
  private final List<Node> nodes = new ArrayList<>();

  static Stream<Arguments> protocols() {
    return Stream.of(
        Arguments.of(Spreading.flooding()),
        Arguments.of(Spreading.diffusion(Duration.ofMillis(20))),
        Arguments.of(Spreading.dandelionPlusPlus().with("meanDelay", "20ms").with("embargoMin", "1s").with("embargoMean", "500ms")));
  }

  @AfterEach
  void tearDown() {
    Future.join(nodes.stream().map(Node::stop).toList()).toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("protocols")
  void everyNodeReceivesEachMessageExactlyOnce(Spreading spreading, @TempDir Path dir) throws Exception {
    long seed = Long.getLong("meshledger.seed", System.nanoTime());
    SplittableRandom random = new SplittableRandom(seed);
    String context = "seed " + seed + " (replay with -Dmeshledger.seed=" + seed + "), " + spreading;

    TestGenesis net = TestGenesis.chain("propagation-it").validators(4).observers(NODES - 4).build();
    List<KeyPair> keys = net.keys();
    Genesis genesis = net.genesis();

    List<Map<Hash, AtomicInteger>> received = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      NodeOptions options = new NodeOptions().setDataDir(dir.resolve("node-" + i)).setListenHost("127.0.0.1").setListenPort(0)
          .setStorage("memory").setTargetOutbound(4).setMaxInbound(16).setHandshakeTimeout(Duration.ofSeconds(5))
          .setKeepAliveInterval(Duration.ofMillis(500)).setIdleTimeout(Duration.ofSeconds(5))
          .setReconnectMin(Duration.ofMillis(50)).setReconnectMax(Duration.ofSeconds(1));
      if (i > 0) {
        options.addPeer("127.0.0.1:" + nodes.get(random.nextInt(i)).status().port());
      }
      Node node = Node.builder().options(options).genesis(genesis).identity(keys.get(i)).spreading(spreading).vertx(vertx).build();
      nodes.add(node);
      Map<Hash, AtomicInteger> counts = new ConcurrentHashMap<>();
      received.add(counts);
      node.propagator().subscribe(TOPIC, g -> counts.computeIfAbsent(g.id(), id -> new AtomicInteger()).incrementAndGet());
      node.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    await("a connected overlay where every node has at least 2 peers; " + context, () -> connected() && nodes.stream().allMatch(n -> n.status().peers().size() >= 2));

    Map<Hash, Integer> origins = new HashMap<>();
    for (int m = 0; m < MESSAGES; m++) {
      int origin = random.nextInt(NODES);
      byte[] body = ("shipment " + m + " left the plant at " + seed).getBytes(StandardCharsets.UTF_8);
      origins.put(nodes.get(origin).propagator().publish(TOPIC, body).id(), origin);
    }

    await("every message at every node but its origin; " + context, () -> origins.entrySet().stream().allMatch(e ->
        allBut(e.getValue()).allMatch(i -> received.get(i).containsKey(e.getKey()))));

    origins.forEach((id, origin) -> {
      assertThat(received.get(origin)).as("the origin does not hear its own message back; %s", context).doesNotContainKey(id);
      allBut(origin).forEach(i -> assertThat(received.get(i).get(id).get()).as("deliveries of %s at node %d; %s", id, i, context).isEqualTo(1));
    });
    for (Node n : nodes) {
      assertThat(n.propagator().stats().toString()).isNotBlank();
    }
  }

  private Stream<Integer> allBut(int origin) {
    return Stream.iterate(0, i -> i + 1).limit(NODES).filter(i -> i != origin);
  }

  /** True if the peer graph reported by the nodes' statuses is connected. */
  private boolean connected() {
    Map<NodeId, Set<NodeId>> edges = new HashMap<>();
    for (Node n : nodes) {
      NodeStatus s = n.status();
      for (NodeStatus.PeerInfo p : s.peers()) {
        edges.computeIfAbsent(s.id(), k -> new HashSet<>()).add(p.id());
        edges.computeIfAbsent(p.id(), k -> new HashSet<>()).add(s.id());
      }
    }
    Set<NodeId> seen = new HashSet<>();
    ArrayDeque<NodeId> queue = new ArrayDeque<>(List.of(nodes.get(0).id()));
    while (!queue.isEmpty()) {
      NodeId id = queue.poll();
      if (seen.add(id)) {
        queue.addAll(edges.getOrDefault(id, Set.of()));
      }
    }
    return seen.size() == NODES;
  }
}
