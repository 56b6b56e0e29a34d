package org.meshledger.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole-node simulator through its public API, as a host runs it. */
@ExtendWith(Seeds.class)
class NodeSimulationTest {
  @Test
  void aSeedsPlanRunsAndReplaysExactly() {
    for (int validators : new int[] {1, 4, 7, 10}) {
      long seed = Seeds.seed(20261207) + validators;
      String plan = NodeSimulation.plan(seed, validators);
      NodeSimulation.Outcome first = NodeSimulation.run(plan);
      assertThat(first.validators()).as("seed %d", seed).isEqualTo(validators);
      assertThat(first.height()).as("seed %d: honest nodes commit", seed).isPositive();
      assertThat(first.recovery()).as("seed %d", seed).isLessThanOrEqualTo(java.time.Duration.ofSeconds(30));
      assertThat(NodeSimulation.run(seed, validators)).as("seed %d: the seed and its plan's text run the same schedule", seed).isEqualTo(first);
    }
  }

  @Test
  void aLedgerPlanSpreadsAndCommitsTransactions() {
    long seed = Seeds.seed(20261207);
    String plan = NodeSimulation.plan(seed, 4);
    while (!plan.contains("\nspreading dandelion++")) {
      plan = NodeSimulation.plan(++seed, 4);
    }
    NodeSimulation.Outcome o = NodeSimulation.run(plan);
    assertThat(o.spreading()).as("seed %d", seed).isEqualTo("dandelion++");
    assertThat(o.transactions()).as("seed %d: transactions committed", seed).isPositive();
    assertThat(o.receiptsReported()).as("seed %d", seed).isGreaterThanOrEqualTo(o.transactions());
  }

  @Test
  void moreFaultyValidatorsThanTheModelAllowsBreakAPromiseAndTheViolationCarriesThePlan() {
    // two of four validators send nothing: no quorum, so no block can be committed after the heal
    long seed = Seeds.seed(20261207);
    while (NodeSimulation.plan(seed, 4).contains(" TWIN")) {
      seed++; // a twin is a node of its own, with a start time: keep the plan's nodes as they are
    }
    String plan = NodeSimulation.plan(seed, 4).lines().filter(l -> !l.startsWith("faulty ")).collect(Collectors.joining("\n"))
        .replace("\nnetwork ", "\nfaulty 0 WITHHOLD\nfaulty 1 WITHHOLD\nnetwork ");
    assertThatThrownBy(() -> NodeSimulation.run(plan)).isInstanceOfSatisfying(InvariantViolation.class, e -> {
      assertThat(e.getMessage()).startsWith("LIVENESS");
      assertThat(e.plan()).contains("faulty 0 WITHHOLD", "faulty 1 WITHHOLD");
      assertThatThrownBy(() -> NodeSimulation.run(e.plan())).as("the plan replays the failure").isInstanceOf(InvariantViolation.class)
          .hasMessage(e.getMessage());
    });
  }

  @Test
  void badInputIsRefusedWithTheReason() {
    assertThatThrownBy(() -> NodeSimulation.plan(1, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 16");
    assertThatThrownBy(() -> NodeSimulation.plan(1, 17)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 17");
    assertThatThrownBy(() -> NodeSimulation.run("hello")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a fault plan");
    String plan = NodeSimulation.plan(1, 4);
    assertThatThrownBy(() -> NodeSimulation.run(plan.replace("\nnetwork ", "\nnetwork x ")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 'network x");
    assertThatThrownBy(() -> NodeSimulation.run(plan + "spreading carrier-pigeon\n")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("carrier-pigeon");
    assertThatThrownBy(() -> NodeSimulation.run(plan + "bug DROP_LOCK_RULE\n")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deliberate bugs exist only in Meshledger's own tests");
  }
}
