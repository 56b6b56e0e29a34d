package org.meshledger.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.meshledger.Gossip;
import org.meshledger.Spreading;

/** Latency models, bandwidth, loss, partitions and crashes, each seen in what a message does. */
@ExtendWith(Seeds.class)
class NetworkModelTest {
  private static final long MS = 1_000_000;

  @Test
  void latencyModelsDrawWhatTheyPromise() {
    SplittableRandom r = new SplittableRandom(Seeds.seed(81));
    assertThat(LatencyModel.constant(Duration.ofMillis(7)).sampleNanos(0, 1, r)).isEqualTo(7 * MS);
    long[] u = new long[20_000];
    for (int i = 0; i < u.length; i++) {
      u[i] = LatencyModel.uniform(Duration.ofMillis(10), Duration.ofMillis(30)).sampleNanos(0, 1, r);
    }
    assertThat(Arrays.stream(u).min().getAsLong()).isGreaterThanOrEqualTo(10 * MS);
    assertThat(Arrays.stream(u).max().getAsLong()).isLessThanOrEqualTo(30 * MS);
    assertThat(Arrays.stream(u).average().getAsDouble() / MS).isCloseTo(20, within(0.3));
    long[] ln = new long[20_000];
    for (int i = 0; i < ln.length; i++) {
      ln[i] = LatencyModel.logNormal(Duration.ofMillis(50), 0.5).sampleNanos(0, 1, r);
    }
    Arrays.sort(ln);
    assertThat(ln[ln.length / 2] / (double) MS).isCloseTo(50, within(2.0));
    assertThat(ln[(int) (ln.length * 0.95)] / (double) MS).isCloseTo(50 * Math.exp(0.5 * 1.645), within(5.0));
    Duration[][] regions = {{Duration.ofMillis(5), Duration.ofMillis(80)}, {Duration.ofMillis(80), Duration.ofMillis(5)}};
    LatencyModel m = LatencyModel.matrix(regions, node -> node % 2);
    assertThat(m.sampleNanos(0, 2, r)).isEqualTo(5 * MS);
    assertThat(m.sampleNanos(0, 3, r)).isEqualTo(80 * MS);
  }

  @Test
  void aMessageCrossesARingOneLatencyPerHop() {
    Simulation sim = new Simulation(new SimulationOptions().setTopology(Topology.ring(10))
        .setLatency(LatencyModel.constant(Duration.ofMillis(10))).setSpreading(Spreading.flooding()));
    Gossip g = sim.publish(0);
    sim.run();
    for (int v = 0; v < 10; v++) {
      assertThat(sim.arrivalNanos(g.id(), v)).isEqualTo(Math.min(v, 10 - v) * 10 * MS);
    }
  }

  @Test
  void aRegionMatrixDelaysCrossRegionHops() {
    Duration[][] regions = {{Duration.ofMillis(5), Duration.ofMillis(80)}, {Duration.ofMillis(80), Duration.ofMillis(5)}};
    // 0-1-2-3 in a line; nodes 0 and 1 in region 0, nodes 2 and 3 in region 1.
    Simulation sim = new Simulation(new SimulationOptions().setTopology(Topology.edges(4, new int[][] {{0, 1}, {1, 2}, {2, 3}}))
        .setLatency(LatencyModel.matrix(regions, node -> node / 2)));
    Gossip g = sim.publish(0);
    sim.run();
    assertThat(sim.arrivalNanos(g.id(), 3)).isEqualTo(90 * MS);
  }

  @Test
  void limitedUplinkQueuesFramesBehindEachOther() {
    // A star: node 0 pushes a 10,000-byte message to 5 leaves over 1 MB/s; each frame takes about 10 ms.
    int[][] star = {{0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}};
    Simulation sim = new Simulation(new SimulationOptions().setTopology(Topology.edges(6, star))
        .setLatency(LatencyModel.constant(Duration.ofMillis(1))).setUplinkBytesPerSecond(1_000_000));
    Gossip g = sim.publish(0, "big", new byte[10_000]);
    sim.run();
    long frame = (10_000 + 5 + 4 + 3 + 4) * 1000L; // bytes over 1 MB/s, in ns
    long[] arrivals = new long[5];
    for (int leaf = 1; leaf <= 5; leaf++) {
      arrivals[leaf - 1] = sim.arrivalNanos(g.id(), leaf);
    }
    Arrays.sort(arrivals);
    for (int i = 0; i < 5; i++) {
      assertThat(arrivals[i]).isEqualTo((i + 1) * frame + MS);
    }
  }

  @Test
  void bandwidthCanDifferPerNode() {
    // A line 0-1-2: node 0 uploads at 1 MB/s, node 1 without limit.
    Simulation sim = new Simulation(new SimulationOptions().setTopology(Topology.edges(3, new int[][] {{0, 1}, {1, 2}}))
        .setLatency(LatencyModel.constant(Duration.ofMillis(1))).setUplinkBytesPerSecond(node -> node == 0 ? 1_000_000 : 0));
    Gossip g = sim.publish(0, "big", new byte[10_000]);
    sim.run();
    long frame = (10_000 + 5 + 4 + 3 + 4) * 1000L;
    assertThat(sim.arrivalNanos(g.id(), 1)).isEqualTo(frame + MS);
    assertThat(sim.arrivalNanos(g.id(), 2)).isEqualTo(frame + 2 * MS);
  }

  @Test
  void lossDropsFramesAndAnnouncementsRecoverThroughOtherPeers() {
    long seed = Seeds.seed(82);
    Simulation sim = new Simulation(new SimulationOptions().setSeed(seed).setTopology(Topology.randomRegular(300, 8))
        .setLossProbability(0.05).setSpreading(Spreading.flooding().with("relay", "announce")));
    for (int i = 0; i < 20; i++) {
      sim.publish(sim.randomHonestNode());
      sim.run();
    }
    assertThat(sim.framesLost()).isGreaterThan(0);
    // A lost request or payload is asked again of the next announcer after the request timeout.
    assertThat(sim.framesReceived(org.meshledger.PropagationStats.Kind.REQUEST)).isGreaterThan(20 * 299);
    assertThat(sim.report().delivery()).isEqualTo(1.0);
  }

  @Test
  void aPartitionStopsMessagesUntilItHeals() {
    Simulation sim = new Simulation(new SimulationOptions().setSeed(Seeds.seed(83)).setTopology(Topology.randomRegular(200, 8)));
    sim.partition(node -> node < 100);
    Gossip during = sim.publish(0);
    sim.run();
    for (int v = 0; v < 200; v++) {
      assertThat(sim.arrivalNanos(during.id(), v) >= 0).as("node %d", v).isEqualTo(v < 100);
    }
    sim.heal();
    Gossip after = sim.publish(0);
    sim.run();
    for (int v = 0; v < 200; v++) {
      assertThat(sim.arrivalNanos(after.id(), v)).isNotNegative();
    }
  }

  @Test
  void aCrashedNodeNeitherReceivesNorRelays() {
    // A line 0-1-2; node 1 crashes while the message is on its way to it: 2 never hears of it, nobody tells 0.
    Simulation sim = new Simulation(new SimulationOptions().setTopology(Topology.edges(3, new int[][] {{0, 1}, {1, 2}}))
        .setLatency(LatencyModel.constant(Duration.ofMillis(10))));
    Gossip g = sim.publish(0);
    sim.at(Duration.ofMillis(5), () -> sim.crash(1));
    sim.run();
    assertThat(sim.arrivalNanos(g.id(), 1)).isEqualTo(-1);
    assertThat(sim.arrivalNanos(g.id(), 2)).isEqualTo(-1);
    assertThat(sim.neighbors(0)).containsExactly(1);
    assertThat(sim.isRunning(1)).isFalse();
    assertThat(sim.report().delivery()).isZero();
  }

  @Test
  void aJoiningNodeReceivesLaterMessages() {
    Simulation sim = new Simulation(new SimulationOptions().setSeed(Seeds.seed(84)).setTopology(Topology.randomRegular(100, 4)));
    int joined = sim.add(4);
    assertThat(sim.neighbors(joined)).hasSize(4);
    Gossip g = sim.publish(0);
    sim.run();
    assertThat(sim.arrivalNanos(g.id(), joined)).isPositive();
  }
}
