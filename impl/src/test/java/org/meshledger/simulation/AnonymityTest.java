package org.meshledger.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.meshledger.Spreading;

/**
 * The first-spy estimator against the three protocols, with 10% spies on an 8-regular network of 1,000 nodes
 * and the theory's model of the wire (every link 50 ms; diffusion pushes, as in Fanti and Viswanath's model,
 * with its default 2 s mean): every honest node publishes one message (900 origins), one after another.
 * Theory and independent simulations put the detection probabilities near 0.56, 0.24 and 0.13.
 *
 * <p>Diffusion's default relays by announcement, which the theory does not model: each hop then costs an
 * announcement, a request and the payload, which favours the origin's direct announcements to spies. Over seeds
 * 1 to 10 its recall was 0.270 to 0.307 (mean 0.295; seed 41: 0.289), against 0.264 pushed; docs/propagation.md
 * explains why the default stays. Its line, 0.33, is that mean plus three standard deviations across seeds.
 */
@ExtendWith(Seeds.class)
class AnonymityTest {

  static Anonymity measure(Spreading spreading, long seed) {
    Simulation sim = new Simulation(new SimulationOptions()
        .setSeed(seed)
        .setTopology(Topology.randomRegular(1000, 8))
        .setLatency(LatencyModel.constant(Duration.ofMillis(50)))
        .setSpyFraction(0.1)
        .setSpreading(spreading));
    for (int origin = 0; origin < sim.size(); origin++) {
      if (!sim.isSpy(origin)) {
        sim.publish(origin);
        sim.run();
      }
    }
    Anonymity a = sim.report().anonymity();
    System.out.println("seed " + seed + ", " + spreading + ": " + a);
    return a;
  }

  @Test
  void detectionIsOrderedFloodingThenDiffusionThenDandelionPlusPlus() {
    long seed = Seeds.seed(41);
    Anonymity flooding = measure(Spreading.flooding(), seed);
    Anonymity diffusion = measure(Spreading.of("diffusion").with("relay", "push"), seed);
    Anonymity dandelion = measure(Spreading.dandelionPlusPlus(), seed);

    assertThat(flooding.messages()).isEqualTo(900);
    assertThat(flooding.recall()).isGreaterThan(0.45);
    assertThat(diffusion.recall()).isLessThan(0.30);
    assertThat(dandelion.recall()).isLessThan(0.17);
    // Not only the point estimates: the 95% intervals do not overlap.
    assertThat(flooding.recallLow()).isGreaterThan(diffusion.recallHigh());
    assertThat(diffusion.recallLow()).isGreaterThan(dandelion.recallHigh());
    assertThat(flooding.precision()).isGreaterThan(diffusion.precision());
    assertThat(diffusion.precision()).isGreaterThan(dandelion.precision());
  }

  @Test
  void defaultDiffusionByAnnouncementStaysClearlyBelowFlooding() {
    long seed = Seeds.seed(41);
    Anonymity announced = measure(Spreading.of("diffusion"), seed);

    assertThat(announced.messages()).isEqualTo(900);
    assertThat(announced.recall()).isLessThan(0.33);
    // Its whole 95% interval below the line flooding must stay above (flooding: 0.56 [0.53, 0.60], seed 41).
    assertThat(announced.recallHigh()).isLessThan(0.45);
  }
}
