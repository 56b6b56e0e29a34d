package org.meshledger.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.meshledger.Spreading;

/** The snippet of docs/propagation.md, compiled and run: keep the two identical. */
class DocExampleTest {

  @Test
  void theDocumentedExampleRuns() {
    // --- docs/propagation.md: simulation example ---
    Simulation sim = new Simulation(new SimulationOptions()
        .setSeed(42)
        .setTopology(Topology.randomRegular(1_000, 8))
        .setLatency(LatencyModel.logNormal(Duration.ofMillis(50), 0.5))
        .setSpyFraction(0.1)
        .setSpreading(Spreading.dandelionPlusPlus()));
    for (int i = 0; i < 100; i++) {
      sim.at(Duration.ofMillis(100L * i), () -> sim.publish(sim.randomHonestNode()));
    }
    sim.at(Duration.ofSeconds(5), () -> sim.removeRandom(100)); // churn: 10% leave mid-run
    sim.run();
    Report report = sim.report();
    System.out.println(Report.csvHeader());
    System.out.println(report.csvRow());
    // --- end ---
    assertThat(report.messages()).isEqualTo(100);
    assertThat(report.l50()).isPositive();
  }
}
