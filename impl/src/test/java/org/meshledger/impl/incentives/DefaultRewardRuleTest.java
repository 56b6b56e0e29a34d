package org.meshledger.impl.incentives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.meshledger.ConfigurationException;
import org.meshledger.IncentivePolicy;
import org.meshledger.spi.RewardRule;
import org.meshledger.spi.RewardRules;
import org.meshledger.spi.contract.RewardRuleContract;

/** The default rule passes the SPI's contract kit and is found by its name, as a node finds the genesis's rule. */
class DefaultRewardRuleTest extends RewardRuleContract {

  @Override
  protected RewardRule rule() {
    return new DefaultRewardRule();
  }

  @Test
  void theDefaultIsFoundByNameAndAnUnknownNameListsTheRulesThereAre() {
    assertThat(RewardRules.find(IncentivePolicy.DEFAULT_RULE)).isInstanceOf(DefaultRewardRule.class);
    assertThatThrownBy(() -> RewardRules.find("validators-only")).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no reward rule called 'validators-only'").hasMessageContaining("[default]");
  }
}
