package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.Amount;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Role;
import org.meshledger.spi.testsupport.LogCapture;

/** At start the node says how its chain pays for its work, so an operator sees the policy it applies. */
class HealthReportTest {
  private final KeyPair key = KeyPair.generate();
  private final KeyPair secure = KeyPair.generate();

  @Test
  void aChainThatPaysNothingSaysSo() {
    Genesis g = Genesis.builder("no-currency").member("v", key.nodeId(), Role.VALIDATOR).build();
    try (LogCapture log = LogCapture.of("org.meshledger.consensus")) {
      HealthReport.logIncentives(g);
      assertThat(log.lines()).singleElement().asString().contains("incentives of chain no-currency: none");
    }
  }

  @Test
  void aPayingChainNamesItsRuleSubsidySharesAndServiceNodes() {
    Genesis g = Genesis.builder("paying").member("v", key.nodeId(), Role.VALIDATOR).member("s", secure.nodeId(), Role.SECURE_NODE)
        .incentives(IncentivePolicy.horizen(key.accountId())).build();
    try (LogCapture log = LogCapture.of("org.meshledger.consensus")) {
      HealthReport.logIncentives(g);
      List<String> lines = log.lines();
      assertThat(lines).singleElement().asString().contains("rule 'default'", "subsidy 1250000000 halved every 840000 blocks", "3 later era(s)",
          "1 service node(s)");
      assertThat(log.has(Level.WARNING, "")).isFalse();
    }
  }
}
