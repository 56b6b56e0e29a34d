package org.meshledger.impl.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshledger.impl.consensus.BugSwitch;

/**
 * Fault plans that once failed, replayed exactly from their files in {@code src/test/resources/fault-plans/}
 * (each file says what it found and what fixed it). A plan is data: it replays the same schedule however
 * {@link FaultPlan#random} maps seeds to plans today. Plans found with a {@link BugSwitch} switched on must fail with it
 * and pass without it, which shows the replay is exact.
 */
class ConsensusRegressionTest {
  @ParameterizedTest
  @ValueSource(strings = {"past-round-votes-never-resent.plan", "earlier-votes-lost-in-crash.plan"})
  void replays(String file) throws IOException {
    FaultPlan plan = load(file);
    Schedule.Result r = new Schedule(plan, BugSwitch.INJECTOR).run();
    assertThat(r.maxHeight()).as("honest nodes commit after the heal").isGreaterThan(r.healedAtHeight());
  }

  @ParameterizedTest(name = "{0} fails with {1}")
  @CsvSource({
    "send-before-durable.plan, EQUIVOCATION",
    "dropped-lock.plan, TWO QUORUM CERTIFICATES",
    "stale-lock-round.plan, TWO QUORUM CERTIFICATES",
  })
  void bugPlansFailWithTheBugOnly(String file, String violation) throws IOException {
    FaultPlan plan = load(file);
    assertThat(plan.bugs()).isNotEmpty();
    assertThatThrownBy(() -> new Schedule(plan, BugSwitch.INJECTOR).run()).isInstanceOf(org.meshledger.simulation.InvariantViolation.class).hasMessageContaining(violation);
    FaultPlan clean = plan.withoutBugs();
    assertThat(new Schedule(clean, BugSwitch.INJECTOR).run().maxHeight()).isPositive();
  }

  private static FaultPlan load(String file) throws IOException {
    try (InputStream in = ConsensusRegressionTest.class.getResourceAsStream("/fault-plans/" + file)) {
      assertThat(in).as("fault plan %s on the test class path", file).isNotNull();
      return FaultPlan.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
