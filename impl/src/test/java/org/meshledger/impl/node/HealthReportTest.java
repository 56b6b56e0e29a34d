package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.meshledger.chain.Amount;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.IncentiveParameters;
import org.meshledger.genesis.Role;
import org.meshledger.spi.testsupport.LogCapture;

/** A genesis field this version does not apply is reported when the node starts, never taken in silence. */
class HealthReportTest {
  private final KeyPair key = KeyPair.generate();

  private Genesis genesis(long blockReward) {
    return Genesis.builder("incentives").member("v", key.nodeId(), Role.VALIDATOR)
        .incentives(IncentiveParameters.horizen(key.accountId(), Amount.of(blockReward))).build();
  }

  @Test
  void aBlockRewardThatIsNotMintedIsAWarning() {
    try (LogCapture log = LogCapture.of("org.meshledger.consensus")) {
      HealthReport.logIncentives(genesis(1_000));
      assertThat(log.has(Level.WARNING, "sets incentives.blockReward 1000, but this version mints no block reward")).as("%s", log.lines()).isTrue();
    }
  }

  @Test
  void withoutARewardTheLogSaysWhatIsAppliedAndWhatIsNot() {
    try (LogCapture log = LogCapture.of("org.meshledger.consensus")) {
      HealthReport.logIncentives(genesis(0));
      List<String> lines = log.lines();
      assertThat(lines).singleElement().asString().contains("the fees go to the treasury", "recorded but not applied");
      assertThat(log.has(Level.WARNING, "")).isFalse();
    }
  }
}
