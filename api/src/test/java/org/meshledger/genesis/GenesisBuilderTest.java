package org.meshledger.genesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshledger.ConfigurationException;
import org.meshledger.Fixtures;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.NodeId;

/** A genesis built in code is the same chain as the record made by hand and as its JSON; mistakes are named. */
class GenesisBuilderTest {
  private final Party a = new Party(Fixtures.node(1), Fixtures.account(1));
  private final Party b = new Party(Fixtures.node(2), Fixtures.account(2));

  /** A member's key and account; the API's tests have no Ed25519 provider to make key pairs. */
  private record Party(NodeId nodeId, AccountId accountId) {}

  @Test
  void theBuilderMakesTheSameChainAsTheRecordAndItsJson() {
    Instant start = Instant.parse("2026-12-01T10:00:00.123456Z");
    Genesis built = Genesis.builder("consortium").genesisTime(start)
        .member("maker", a.nodeId(), Role.VALIDATOR).member("auditor", b.nodeId(), Role.OBSERVER)
        .treasury(b.accountId()).balance(a.accountId(), Amount.of(500)).build();
    Genesis byHand = new Genesis("consortium", Instant.parse("2026-12-01T10:00:00.123Z"), true,
        List.of(Member.of("maker", a.nodeId(), Role.VALIDATOR), Member.of("auditor", b.nodeId(), Role.OBSERVER)),
        ConsensusParameters.DEFAULTS, IncentivePolicy.feesTo(b.accountId()), Map.of(a.accountId(), Amount.of(500)));
    assertThat(built).isEqualTo(byHand);
    assertThat(built.hash()).isEqualTo(byHand.hash()).isEqualTo(Genesis.fromJson(built.toJson()).hash());
    assertThat(Genesis.builder("open-one").member("v", a.nodeId(), Role.VALIDATOR).treasury(a.accountId()).open().build().permissioned())
        .isFalse();
  }

  @Test
  void mistakesAreConfigurationErrorsThatNameThem() {
    assertThat(Genesis.builder("c").member("v", a.nodeId(), Role.VALIDATOR).build().incentives())
        .as("incentives are optional: a consortium without a currency").isEqualTo(IncentivePolicy.none());
    assertThatThrownBy(() -> Genesis.builder("c").member("v", a.nodeId(), Role.VALIDATOR).incentives(IncentivePolicy.builder()
        .era(new IncentivePolicy.Era(1, IncentivePolicy.Subsidy.NONE, Map.of(IncentivePolicy.PRODUCERS, 1L), 1, IncentivePolicy.FeeRule.TREASURY))
        .build()).build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eras[0] (from height 1).fees: TREASURY needs a treasury");
    assertThatThrownBy(() -> Genesis.builder("c").member("o", a.nodeId(), Role.OBSERVER).treasury(a.accountId()).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("at least one member with the role 'validator'");
    assertThatThrownBy(() -> Genesis.builder("c").member("v", a.nodeId(), Role.VALIDATOR).member("v", b.nodeId(), Role.VALIDATOR)
        .treasury(a.accountId()).build()).isInstanceOf(ConfigurationException.class).hasMessageContaining("'v' is used twice");
    assertThatThrownBy(() -> Genesis.builder("bad id!").member("v", a.nodeId(), Role.VALIDATOR).treasury(a.accountId()).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("genesis 'bad id!'");
  }
}
