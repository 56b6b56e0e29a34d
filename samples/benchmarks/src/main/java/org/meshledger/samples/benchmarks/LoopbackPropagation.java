package org.meshledger.samples.benchmarks;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.meshledger.IncentivePolicy;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.Spreading;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Hash;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;

/**
 * How long a message takes to reach every node of a network of real nodes on loopback (TLS, one JVM):
 * {@code nodes} nodes, each bootstrapping from one random earlier node, {@code messages} messages published
 * one at a time at random nodes; for each, the time from {@code publish} to its arrival at the last of the
 * other nodes. Prints the median, 90th percentile and maximum, and the time to the median node.
 *
 * <p>Usage: {@code LoopbackPropagation [nodes=32] [messages=200] [protocol=flooding] [seed]}; see
 * {@code docs/performance.md}.
 */
public final class LoopbackPropagation {
  private LoopbackPropagation() {}

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Spreading spreading = args.length > 2 ? Spreading.of(args[2]) : Spreading.flooding();
    long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
    SplittableRandom random = new SplittableRandom(seed);
    Path dir = Files.createTempDirectory("meshledger-propagation-");

    List<KeyPair> keys = new ArrayList<>();
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      keys.add(KeyPair.generate());
      members.add(Member.of("node-" + i, keys.get(i).nodeId(), i < 4 ? Role.VALIDATOR : Role.OBSERVER));
    }
    Genesis genesis = new Genesis("loopback-bench", Instant.parse("2026-01-01T00:00:00Z"), true, members, ConsensusParameters.DEFAULTS,
        IncentivePolicy.feesTo(keys.get(0).accountId()), Map.of());

    Vertx vertx = Vertx.vertx();
    List<Node> network = new ArrayList<>();
    // Arrival times (System.nanoTime) per message id, per node.
    Map<Hash, long[]> arrivals = new ConcurrentHashMap<>();
    Map<Hash, CountDownLatch> done = new ConcurrentHashMap<>();
    try {
      for (int i = 0; i < nodes; i++) {
        NodeOptions options = new NodeOptions().setDataDir(dir.resolve("node-" + i)).setListenHost("127.0.0.1").setListenPort(0)
            .setStorage("memory").setTargetOutbound(4).setMaxInbound(32).setReconnectMin(Duration.ofMillis(50))
            .setReconnectMax(Duration.ofSeconds(1));
        if (i > 0) {
          options.addPeer("127.0.0.1:" + network.get(random.nextInt(i)).status().port());
        }
        Node node = Node.builder().options(options).genesis(genesis).identity(keys.get(i)).spreading(spreading).vertx(vertx).build();
        int index = i;
        node.propagator().subscribe("bench", g -> {
          long now = System.nanoTime();
          long[] times = arrivals.get(g.id());
          if (times != null) {
            times[index] = now;
            done.get(g.id()).countDown();
          }
        });
        node.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        network.add(node);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (network.stream().anyMatch(n -> n.status().peers().size() < 2)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the overlay did not form within 60 s");
        }
        Thread.sleep(20); // polling for the overlay to form, outside the measurement
      }

      int warmup = Math.max(10, messages / 10);
      double[] lastMs = new double[messages];
      double[] medianMs = new double[messages];
      for (int m = -warmup; m < messages; m++) {
        int origin = random.nextInt(nodes);
        byte[] body = ByteBuffer.allocate(200).putLong(seed).putInt(m).array();
        Hash id = org.meshledger.Gossip.idOf("bench", body);
        long[] times = new long[nodes];
        arrivals.put(id, times);
        CountDownLatch latch = new CountDownLatch(nodes - 1);
        done.put(id, latch);
        long start = System.nanoTime();
        network.get(origin).propagator().publish("bench", body);
        if (!latch.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("message " + m + " did not reach every node within 30 s");
        }
        if (m >= 0) {
          long[] others = new long[nodes - 1];
          for (int i = 0, j = 0; i < nodes; i++) {
            if (i != origin) {
              others[j++] = times[i] - start;
            }
          }
          Arrays.sort(others);
          lastMs[m] = others[others.length - 1] / 1e6;
          medianMs[m] = others[others.length / 2] / 1e6;
        }
        arrivals.remove(id);
        done.remove(id);
      }
      Arrays.sort(lastMs);
      Arrays.sort(medianMs);
      System.out.printf(Locale.ROOT, "%d nodes, %s, %d messages (seed %d): time to reach every node: median %.2f ms, p90 %.2f ms, max %.2f ms;"
          + " to reach half the nodes: median %.2f ms%n", nodes, spreading, messages, seed, lastMs[messages / 2],
          lastMs[(int) (messages * 0.9)], lastMs[messages - 1], medianMs[messages / 2]);
    } finally {
      Future.join(network.stream().map(Node::stop).toList()).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
