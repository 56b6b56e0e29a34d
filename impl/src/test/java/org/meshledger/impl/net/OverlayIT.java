package org.meshledger.impl.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.chain.NodeId;
import org.meshledger.impl.net.TestNet.Node;
import org.meshledger.spi.Peer.Direction;

/**
 * Sixteen real nodes on loopback that each know one bootstrap peer: they reach the target degree, survive
 * losing half of them at random, and the lost ones rejoin on restart with no help: on new ports, with no
 * bootstrap peer, from the peers they remembered in their data directories.
 */
class OverlayIT {
  private static final int N = 16;
  private static final int TARGET = 4;
  private static final int RELAY = 0x42;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private NetworkConfig config(TestNet t, int i, int port, int bootstrapPort) {
    NetworkConfig c = t.config(i).setTargetOutbound(TARGET).setMaxInbound(2 * TARGET).setListenPort(port);
    return bootstrapPort > 0 ? c.addBootstrapPeer("127.0.0.1:" + bootstrapPort) : c;
  }

  /** Every node relays each new RELAY message to all its other peers once. */
  private static void relay(Node n, Set<String> seen) {
    n.rec().hook = (from, m) -> {
      if (m.type() == RELAY && seen.add(new String(m.body(), StandardCharsets.UTF_8))) {
        for (PeerConnection p : n.net().peers()) {
          if (p != from) {
            p.send(RELAY, m.body());
          }
        }
      }
    };
  }

  private static boolean connected(List<Node> nodes) {
    Map<NodeId, Set<NodeId>> edges = new HashMap<>();
    Set<NodeId> alive = new HashSet<>();
    for (Node n : nodes) {
      alive.add(n.net().self());
      Set<NodeId> out = new HashSet<>();
      n.net().peers().forEach(p -> out.add(p.id()));
      edges.put(n.net().self(), out);
    }
    ArrayDeque<NodeId> todo = new ArrayDeque<>(List.of(nodes.get(0).net().self()));
    Set<NodeId> reached = new HashSet<>(todo);
    while (!todo.isEmpty()) {
      for (NodeId next : edges.getOrDefault(todo.poll(), Set.of())) {
        if (alive.contains(next) && reached.add(next)) {
          todo.add(next);
        }
      }
    }
    return reached.containsAll(alive);
  }

  private static long outbound(Node n) {
    return n.net().peers().stream().filter(p -> p.direction() == Direction.OUTBOUND).count();
  }

  private static void everyoneHears(List<Node> nodes, Map<Node, Set<String>> seen, String id) {
    Node origin = nodes.get(0);
    seen.get(origin).add(id);
    byte[] body = id.getBytes(StandardCharsets.UTF_8);
    origin.net().peers().forEach(p -> p.send(RELAY, body));
    TestNet.await("every live node hears " + id, WAIT, () -> nodes.stream().allMatch(n -> seen.get(n).contains(id)));
  }

  @Test
  void sixteenNodesReachTheTargetDegreeSurviveLosingHalfAndRejoin() {
    try (TestNet t = new TestNet(dir, N, true)) {
      long start = System.nanoTime();
      List<Node> nodes = new ArrayList<>();
      Map<Node, Set<String>> seen = new ConcurrentHashMap<>();
      Node first = t.start(config(t, 0, 0, 0));
      nodes.add(first);
      for (int i = 1; i < N; i++) {
        nodes.add(t.start(config(t, i, 0, first.net().port())));
      }
      for (Node n : nodes) {
        seen.put(n, ConcurrentHashMap.newKeySet());
        relay(n, seen.get(n));
      }
      TestNet.await("every node has " + TARGET + " outbound peers and the overlay is connected", WAIT,
          () -> nodes.stream().allMatch(n -> outbound(n) == TARGET) && connected(nodes));
      System.out.printf("overlay of %d nodes formed in %d ms (seed %d)%n", N, (System.nanoTime() - start) / 1_000_000, TestNet.SEED);
      everyoneHears(nodes, seen, "m1");

      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < N; i++) {
        order.add(i);
      }
      Collections.shuffle(order, new java.util.Random(new SplittableRandom(TestNet.SEED).nextLong()));
      List<Integer> stopped = order.subList(0, N / 2);
      List<Node> survivors = new ArrayList<>(nodes);
      for (int i : stopped) {
        TestNet.get(nodes.get(i).net().stop(), "stop " + i);
        t.nodes.remove(nodes.get(i));
        survivors.remove(nodes.get(i));
      }
      System.out.println("stopped " + stopped + " (seed " + TestNet.SEED + ")");
      TestNet.await("survivors connected among themselves", WAIT,
          () -> connected(survivors) && survivors.stream().allMatch(n -> !n.net().peers().isEmpty()));
      everyoneHears(survivors, seen, "m2");

      // Restarted on new ports and with no bootstrap peer: only what each remembered in its data dir leads back.
      List<Node> all = new ArrayList<>(survivors);
      for (int i : stopped) {
        Node again = t.start(config(t, i, 0, 0));
        seen.put(again, ConcurrentHashMap.newKeySet());
        relay(again, seen.get(again));
        all.add(again);
      }
      TestNet.await("restarted nodes rejoined", WAIT, () -> connected(all) && all.stream().allMatch(n -> n.net().peers().size() >= 2));
      everyoneHears(all, seen, "m3");
      assertThat(all).hasSize(N);
      System.out.printf("whole run %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }
  }
}
