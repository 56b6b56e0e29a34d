package org.meshledger.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.meshledger.Gossip;
import org.meshledger.Spreading;

/**
 * Half of an 8-regular network of 1,000 nodes leaves at once while messages keep being published (one every
 * 200 ms for 20 s, the removal at 5 s): every message published after the removal reaches every node of the
 * largest connected component that remains.
 */
@ExtendWith(Seeds.class)
class ChurnTest {

  @ParameterizedTest
  @ValueSource(strings = {"flooding", "diffusion", "dandelion++"})
  void everyMessageAfterLosingHalfTheNodesReachesAllOfTheLargestComponent(String protocol) {
    long seed = Seeds.seed(51);
    Simulation sim = new Simulation(new SimulationOptions()
        .setSeed(seed)
        .setTopology(Topology.randomRegular(1000, 8))
        .setSpreading(Spreading.of(protocol)));
    Churn churn = Churn.schedule(sim);
    sim.run();

    BitSet component = churn.component();
    List<Gossip> after = churn.after();
    assertThat(component.cardinality()).as("largest component after removing 500 of 1000").isGreaterThan(400);
    assertThat(after).hasSize(75);
    for (Gossip g : after) {
      int missing = 0;
      for (int v = component.nextSetBit(0); v >= 0; v = component.nextSetBit(v + 1)) {
        if (sim.arrivalNanos(g.id(), v) < 0) {
          missing++;
        }
      }
      assertThat(missing).as("nodes of the largest component (%d) without %s", component.cardinality(), g.id()).isZero();
    }
    System.out.printf("seed %d, %s: largest component %d of 500 running; %s%n", seed, protocol, component.cardinality(), sim.report().csvRow());
  }

  /**
   * The churn both churn tests run: 100 messages, one every 200 ms from random honest nodes; at 5 s, 500 of the 1,000
   * nodes leave, and every later message starts inside the largest component that remains.
   */
  record Churn(BitSet[] lcc, List<Gossip> after) {
    static Churn schedule(Simulation sim) {
      Churn churn = new Churn(new BitSet[1], new ArrayList<>());
      sim.at(Duration.ofSeconds(5), () -> {
        sim.removeRandom(500);
        churn.lcc()[0] = sim.largestLiveComponent();
      });
      for (int i = 0; i < 100; i++) {
        sim.at(Duration.ofMillis(200L * i + 1), () -> {
          if (churn.lcc()[0] == null) {
            sim.publish(sim.randomHonestNode());
          } else {
            int origin;
            do {
              origin = sim.randomHonestNode();
            } while (!churn.lcc()[0].get(origin));
            churn.after().add(sim.publish(origin));
          }
        });
      }
      return churn;
    }

    /** The largest component left after the churn (once the run passed 5 s). */
    BitSet component() {
      return lcc[0];
    }
  }
}
