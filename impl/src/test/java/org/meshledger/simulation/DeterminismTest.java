package org.meshledger.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.meshledger.Spreading;

/** The same seed gives the same run, event for event; another seed gives another. */
@ExtendWith(Seeds.class)
class DeterminismTest {

  /** A run that exercises every source of randomness: graph, latency, loss, bandwidth, spies, protocol, churn. */
  private static String run(long seed, Spreading spreading) {
    Simulation sim = new Simulation(new SimulationOptions()
        .setSeed(seed)
        .setTopology(Topology.barabasiAlbert(400, 3))
        .setLatency(LatencyModel.logNormal(Duration.ofMillis(40), 0.6))
        .setLossProbability(0.01)
        .setUplinkBytesPerSecond(1_000_000)
        .setSpyFraction(0.1)
        .setSpreading(spreading));
    for (int i = 0; i < 40; i++) {
      sim.at(Duration.ofMillis(150L * i), () -> sim.publish(sim.randomHonestNode()));
    }
    sim.at(Duration.ofSeconds(3), () -> sim.removeRandom(40));
    sim.at(Duration.ofSeconds(4), () -> sim.add(3));
    sim.run();
    return sim.report().csvRow() + " events=" + sim.events() + " fingerprint=" + sim.fingerprint()
        + " latencies=" + Arrays.hashCode(sim.latenciesMillis()) + " now=" + sim.nowNanos();
  }

  @Test
  void oneSeedGivesIdenticalMetricsForEveryProtocol() {
    long seed = Seeds.seed(61);
    for (Spreading s : new Spreading[] {Spreading.flooding().with("relay", "announce"), Spreading.of("diffusion").with("trickle", "true"),
        Spreading.dandelionPlusPlus()}) {
      String first = run(seed, s);
      String second = run(seed, s);
      assertThat(second).as(s.toString()).isEqualTo(first);
      assertThat(run(seed + 1, s)).as("another seed, " + s).isNotEqualTo(first);
    }
  }
}
