package org.meshledger.impl.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seeds whose schedules once failed, kept as regression runs. The first three were found before the
 * simulation's block interval and fault window changed (20 ms and 12 s then), so today they replay other
 * schedules; the bugs they exposed are covered by unit tests too (proof-of-lock relay and persisted proof:
 * {@code TendermintTest}, {@code LockingScenarioTest}; per-value counting of equivocations: {@code VoteSetTest}).
 */
class ConsensusRegressionTest {
  @ParameterizedTest(name = "seed {0}, {1} validators")
  @CsvSource({
    "1073741828, 4", // stall: a re-proposal's proof of lock was never relayed to validators that missed its round
    "1073741832, 4", // stall: a proof of lock with a Byzantine vote was uncheckable where its twin arrived first
    "1879048208, 7", // the same, with 7 validators
    "1073741851, 4", // stall: a restarted validator kept its lock but not the proof of lock for its valid value
  })
  void replays(long seed, int validators) {
    ConsensusSim.Result r = ConsensusSimulationTest.schedule(seed, validators).run();
    assertThat(r.maxHeight()).isGreaterThan(r.healedAtHeight());
  }
}
