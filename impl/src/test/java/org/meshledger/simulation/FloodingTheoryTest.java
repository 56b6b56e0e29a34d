package org.meshledger.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.meshledger.Gossip;
import org.meshledger.PropagationStats.Kind;
import org.meshledger.Spreading;

/** Flooding against what graph theory says it must do, on random 8-regular graphs with unit link delay. */
@ExtendWith(Seeds.class)
class FloodingTheoryTest {
  private static final int N = 1000;
  private static final int K = 8;
  private static final long UNIT = Duration.ofMillis(1).toNanos();
  private static final int MESSAGES = 20;

  private static Simulation network(long seed, String relay) {
    return new Simulation(new SimulationOptions()
        .setSeed(seed)
        .setTopology(Topology.randomRegular(N, K))
        .setLatency(LatencyModel.constant(Duration.ofNanos(UNIT)))
        .setSpreading(Spreading.flooding().with("relay", relay)));
  }

  @Test
  void pushedFloodingArrivesAlongShortestPathsWithExactlyTheTheoreticalCopies() {
    long seed = Seeds.seed(31);
    Simulation sim = network(seed, "push");
    Graph g = sim.initialGraph();
    for (int m = 0; m < MESSAGES; m++) {
      int origin = sim.randomHonestNode();
      Gossip msg = sim.publish(origin);
      sim.run();
      int[] hops = g.hopsFrom(origin);
      for (int v = 0; v < N; v++) {
        assertThat(sim.arrivalNanos(msg.id(), v)).as("message %d from %d at node %d (%d hops)", m, origin, v, hops[v])
            .isEqualTo(hops[v] * UNIT);
      }
    }
    long expectedPerMessage = K + (long) (N - 1) * (K - 1);
    assertThat(sim.framesReceived(Kind.PAYLOAD)).isEqualTo(MESSAGES * expectedPerMessage);
    assertThat(sim.framesReceived(Kind.ANNOUNCE)).isZero();
    assertThat(sim.report().payloadsPerNode()).isCloseTo(K - 1.0, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void announceThenPullReceivesAboutOneCopyPerNodeForAtMostOneExtraRoundTripPerHop() {
    long seed = Seeds.seed(32);
    Simulation sim = network(seed, "announce");
    Graph g = sim.initialGraph();
    for (int m = 0; m < MESSAGES; m++) {
      int origin = sim.randomHonestNode();
      Gossip msg = sim.publish(origin);
      sim.run();
      int[] hops = g.hopsFrom(origin);
      for (int v = 0; v < N; v++) {
        long arrival = sim.arrivalNanos(msg.id(), v);
        // One hop pushed costs one delay; announced it costs announce + request + payload: one extra round trip.
        assertThat(arrival).as("message %d from %d at node %d (%d hops)", m, origin, v, hops[v])
            .isBetween(hops[v] * UNIT, hops[v] * 3 * UNIT);
      }
    }
    Report r = sim.report();
    assertThat(r.payloadsPerNode()).isLessThanOrEqualTo(1.1);
    assertThat(r.delivery()).isEqualTo(1.0);
    assertThat(r.announcementsPerNode()).isCloseTo(K - 1.0, org.assertj.core.data.Offset.offset(0.01));
  }
}
