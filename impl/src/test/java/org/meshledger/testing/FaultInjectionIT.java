package org.meshledger.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.Gossip;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.PropagationStats.Kind;
import org.meshledger.Spreading;
import org.meshledger.chain.NodeId;
import org.meshledger.spi.testsupport.Await;
import org.meshledger.spi.testsupport.LogCapture;
import org.meshledger.spi.testsupport.TestGenesis;
import org.meshledger.testing.SpreadTrace.Direction;

/**
 * The test hooks on real nodes (TLS on loopback, H2 stores): a {@link LinkFilter} partition stops the minority side
 * from committing while the majority goes on, and healing brings the minority back to the chain's height; a
 * {@link SpreadTrace} sees Dandelion++'s stem leave the origin before any frame of its fluff.
 */
class FaultInjectionIT {
  private final Vertx vertx = Vertx.vertx();
  private final List<Node> nodes = new ArrayList<>();

  @AfterEach
  void tearDown() {
    nodes.forEach(n -> n.stop().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join());
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  @Test
  void aPartitionStopsTheMinorityAndHealingBringsItBackToTheChainsHeight(@TempDir Path dir) throws Exception {
    TestGenesis net = TestGenesis.chain("link-filter-it").validators(4).fast().build();
    List<LinkFilter> filters = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      LinkFilter f = new LinkFilter();
      filters.add(f);
      nodes.add(start(net, i, dir, Spreading.flooding(), f));
    }
    Await.until("4 validators committing, each linked to the 3 others", Duration.ofSeconds(60),
        () -> nodes.stream().allMatch(n -> n.status().height() >= 2 && n.status().peers().size() == 3), this::describe);

    Set<NodeId> majority = Set.of(id(0), id(1), id(2));
    filters.get(3).block(majority);
    for (int i = 0; i < 3; i++) {
      filters.get(i).block(Set.of(id(3)));
    }
    Await.until("node 3 cut off and without a quorum", Duration.ofSeconds(30),
        () -> nodes.get(3).status().peers().isEmpty() && !nodes.get(3).status().quorum().reached()
            && nodes.subList(0, 3).stream().allMatch(n -> n.status().peers().size() == 2), this::describe);
    long minority = nodes.get(3).status().height();
    Await.until("the majority 5 blocks past the minority", Duration.ofSeconds(60),
        () -> nodes.subList(0, 3).stream().allMatch(n -> n.status().height() >= minority + 5), this::describe);
    assertThat(nodes.get(3).status().height()).as("the minority commits nothing while cut off").isEqualTo(minority);
    assertThat(nodes.get(3).status().peers()).as("its dials are refused").isEmpty();

    long atHeal = nodes.get(0).status().height();
    filters.forEach(LinkFilter::heal);
    Await.until("node 3 back at the chain's height " + atHeal + " with peers", Duration.ofSeconds(60),
        () -> nodes.get(3).status().height() >= atHeal && !nodes.get(3).status().peers().isEmpty(), this::describe);
  }

  @Test
  void aTraceSeesTheStemLeaveTheOriginBeforeAnyFluff(@TempDir Path dir) throws Exception {
    TestGenesis net = TestGenesis.chain("spread-trace-it").validators(1).observers(4).fast().build();
    record Seen(long nanos, SpreadTrace.Frame frame) {}
    List<Seen> seen = new CopyOnWriteArrayList<>();
    SpreadTrace trace = f -> seen.add(new Seen(System.nanoTime(), f));
    // the stem passes on 9 times in 10 and the embargo is long, so the stem, not a timer, starts the fluff
    Spreading dandelion = Spreading.dandelionPlusPlus().with("embargoMin", "20s").with("relay", "push");
    Set<String> delivered = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 5; i++) {
      Node n = start(net, i, dir, dandelion, trace);
      String name = "node-" + i;
      n.propagator().subscribe("vis", g -> delivered.add(name));
      nodes.add(n);
    }
    Await.until("5 nodes linked", Duration.ofSeconds(60), () -> nodes.stream().allMatch(n -> n.status().peers().size() >= 2), this::describe);

    Gossip g = nodes.get(0).propagator().publish("vis", "hello".getBytes(StandardCharsets.UTF_8));
    Await.until("the message at the 4 other nodes", Duration.ofSeconds(60), () -> delivered.size() == 4, () -> delivered + " " + seen);

    List<Seen> ofG = seen.stream().filter(s -> s.frame().gossip().equals(g.id())).toList();
    Seen first = ofG.get(0);
    assertThat(first.frame().kind()).as("the first frame of the message: %s", ofG).isEqualTo(Kind.STEM);
    assertThat(first.frame().from()).isEqualTo(id(0));
    assertThat(first.frame().direction()).isEqualTo(Direction.SENT);
    List<Seen> fluff = ofG.stream().filter(s -> s.frame().kind() == Kind.PAYLOAD).toList();
    assertThat(fluff).as("the fluff pushes the message in the open").isNotEmpty()
        .allSatisfy(s -> assertThat(s.nanos()).isGreaterThan(first.nanos()));
    assertThat(ofG.stream().filter(s -> s.frame().kind() == Kind.STEM && s.frame().direction() == Direction.RECEIVED))
        .as("the stem arrives somewhere").isNotEmpty();
    assertThat(ofG).as("each frame is seen at both ends, sent and received")
        .anyMatch(s -> s.frame().direction() == Direction.RECEIVED && s.frame().kind() == Kind.PAYLOAD);
  }

  @Test
  void aTraceThatThrowsLosesNothingButItsOwnCall(@TempDir Path dir) throws Exception {
    TestGenesis net = TestGenesis.chain("spread-trace-throws").validators(1).observers(1).fast().build();
    Set<String> delivered = ConcurrentHashMap.newKeySet();
    try (LogCapture hostLog = LogCapture.of("org.meshledger.host")) { // the traces it provokes stay out of the build log
      for (int i = 0; i < 2; i++) {
        Node n = start(net, i, dir, Spreading.flooding(), (SpreadTrace) f -> {
          throw new IllegalStateException("a broken trace");
        });
        n.propagator().subscribe("vis", g -> delivered.add(new String(g.body(), StandardCharsets.UTF_8)));
        nodes.add(n);
      }
      Await.until("2 nodes linked", Duration.ofSeconds(60), () -> nodes.get(1).status().peers().size() == 1, this::describe);
      nodes.get(0).propagator().publish("vis", "still spreads".getBytes(StandardCharsets.UTF_8));
      Await.until("the message at node 1", Duration.ofSeconds(30), () -> delivered.contains("still spreads"), this::describe);
      assertThat(nodes.get(1).status().peers()).as("the trace's failure disconnects no one").hasSize(1);
      assertThat(hostLog.has(Level.WARNING, "a broken trace")).as("each failure is logged with its cause: %s", hostLog.lines()).isTrue();
    }
  }

  private Node start(TestGenesis net, int i, Path dir, Spreading spreading, Object plugin) throws Exception {
    NodeOptions options = new NodeOptions().setDataDir(dir.resolve("node-" + i)).setListenHost("127.0.0.1").setListenPort(0)
        .setKeepAliveInterval(Duration.ofMillis(500)).setIdleTimeout(Duration.ofSeconds(5))
        .setReconnectMin(Duration.ofMillis(50)).setReconnectMax(Duration.ofMillis(500));
    for (Node n : nodes) {
      options.addPeer("127.0.0.1:" + n.status().port());
    }
    Node node = Node.builder().options(options).genesis(net.genesis()).identity(net.key(i)).vertx(vertx).spreading(spreading)
        .plugin(plugin).build();
    node.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return node;
  }

  private NodeId id(int i) {
    return nodes.get(i).id();
  }

  private String describe() {
    return nodes.stream().map(n -> n.id().toHex().substring(0, 8) + " h=" + n.status().height() + " peers=" + n.status().peers().size()
        + " " + n.status().sync()).collect(Collectors.joining(", "));
  }
}
