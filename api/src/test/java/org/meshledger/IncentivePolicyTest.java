package org.meshledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshledger.IncentivePolicy.Era;
import org.meshledger.IncentivePolicy.FeeRule;
import org.meshledger.IncentivePolicy.Subsidy;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Role;

/** The policy a genesis carries: Horizen's history as eras, exact shares, and errors that name the field. */
class IncentivePolicyTest {
  private static final AccountId TREASURY = Fixtures.account(9);

  private static long share(IncentivePolicy p, long height, String pool) {
    return p.eraAt(height).share(pool);
  }

  @Test
  void horizenSplitChangesAtTheHeightsItsForksActivated() {
    IncentivePolicy h = IncentivePolicy.horizen(TREASURY);
    // foundation 8.5% from the start, 12% from 139,200; 10/10/10 from 344,700; foundation 20% from 455,555 (per mille)
    long[][] expected = {
        {1, 915, 0, 0, 85}, {139_199, 915, 0, 0, 85},
        {139_200, 880, 0, 0, 120}, {344_699, 880, 0, 0, 120},
        {344_700, 700, 100, 100, 100}, {455_554, 700, 100, 100, 100},
        {455_555, 600, 100, 100, 200}, {10_000_000, 600, 100, 100, 200}};
    for (long[] e : expected) {
      assertThat(new long[] {e[0], share(h, e[0], IncentivePolicy.PRODUCERS), share(h, e[0], IncentivePolicy.SECURE_NODES),
          share(h, e[0], IncentivePolicy.SUPER_NODES), share(h, e[0], IncentivePolicy.TREASURY)}).as("height %d", e[0]).containsExactly(e);
      assertThat(h.eraAt(e[0]).outOf()).isEqualTo(1000);
    }
    assertThat(h.eras()).hasSize(4);
    assertThat(h.eraAt(455_555).fees()).isEqualTo(FeeRule.PRODUCERS);
    assertThat(h.producers()).isEqualTo(IncentivePolicy.ProducerRule.PROPOSER);
  }

  @Test
  void horizenSubsidyHalvesEvery840000BlocksInZatoshi() {
    IncentivePolicy h = IncentivePolicy.horizen(TREASURY);
    assertThat(h.eraAt(1).subsidy().at(1)).isEqualTo(Amount.of(1_250_000_000L));
    assertThat(h.eraAt(839_999).subsidy().at(839_999)).isEqualTo(Amount.of(1_250_000_000L));
    assertThat(h.eraAt(840_000).subsidy().at(840_000)).isEqualTo(Amount.of(625_000_000L));
    assertThat(h.eraAt(1_680_000).subsidy().at(1_680_000)).isEqualTo(Amount.of(312_500_000L));
    assertThat(h.eraAt(Long.MAX_VALUE).subsidy().at(Long.MAX_VALUE)).isEqualTo(Amount.ZERO);
    // the pools of one 12.5 ZEN block after 455,555: 7.5 / 1.25 / 1.25 / 2.5 ZEN, nothing lost
    Era last = h.eraAt(455_555);
    Amount block = last.subsidy().at(455_555);
    assertThat(last.part(IncentivePolicy.PRODUCERS, block)).isEqualTo(Amount.of(750_000_000L));
    assertThat(last.part(IncentivePolicy.SECURE_NODES, block)).isEqualTo(Amount.of(125_000_000L));
    assertThat(last.part(IncentivePolicy.TREASURY, block)).isEqualTo(Amount.of(250_000_000L));
  }

  @Test
  void partsRoundDownExactlyEvenWhereTheProductOverflowsALong() {
    Era era = new Era(1, Subsidy.NONE, Map.of(IncentivePolicy.PRODUCERS, 2L, IncentivePolicy.TREASURY, 1L), 3, FeeRule.SHARED);
    assertThat(era.part(IncentivePolicy.PRODUCERS, Amount.of(10))).isEqualTo(Amount.of(6)); // floor(20 / 3)
    assertThat(era.part(IncentivePolicy.TREASURY, Amount.of(10))).isEqualTo(Amount.of(3));
    assertThat(era.part(IncentivePolicy.PRODUCERS, Amount.of(Long.MAX_VALUE))).isEqualTo(Amount.of(6_148_914_691_236_517_204L)); // floor((2^63 - 1) × 2 / 3)
  }

  @Test
  void aGenesisWithoutIncentivesHasNoCurrencyAndRoundTripsThroughJson() {
    Genesis plain = Genesis.builder("plain").member("v", Fixtures.node(1), Role.VALIDATOR).build();
    assertThat(plain.incentives()).isEqualTo(IncentivePolicy.none());
    assertThat(plain.incentives().pays()).isFalse();
    assertThat(plain.incentives().treasury()).isEmpty();
    String json = plain.toJson();
    assertThat(Genesis.fromJson(json)).isEqualTo(plain);
    assertThat(Genesis.fromJson(json.replaceAll("(?s),\\s*\"incentives\"\\s*:\\s*\\{.*?\"maxPenalty\"\\s*:\\s*\\d+\\s*}\\s*}", "")))
        .as("a file with no incentives object").isEqualTo(plain);
  }

  @Test
  void everyPolicyShapeSurvivesTheJsonFile() {
    IncentivePolicy custom = IncentivePolicy.builder().treasury(TREASURY).customPool("research", Fixtures.account(3))
        .era(new Era(1, Subsidy.constant(Amount.of(1000)), Map.of(IncentivePolicy.PRODUCERS, 70L, "research", 10L, IncentivePolicy.TREASURY, 20L),
            100, FeeRule.BURN))
        .era(new Era(50, Subsidy.halving(Amount.of(800), 25), Map.of(IncentivePolicy.PRODUCERS, 1L), 1, FeeRule.PRODUCERS))
        .service(new IncentivePolicy.ServiceRules(40, 8, 50, 75, Amount.of(1), Amount.of(2), 3, IncentivePolicy.ServiceShare.PROPORTIONAL, 0))
        .build();
    for (IncentivePolicy p : new IncentivePolicy[] {IncentivePolicy.horizen(TREASURY), IncentivePolicy.feesTo(TREASURY), custom,
        IncentivePolicy.standard(TREASURY, Subsidy.constant(Amount.of(5)))}) {
      Genesis g = Genesis.builder("policies").member("v", Fixtures.node(1), Role.VALIDATOR).incentives(p).build();
      Genesis back = Genesis.fromJson(g.toJson());
      assertThat(back.incentives()).isEqualTo(p);
      assertThat(back.hash()).isEqualTo(g.hash());
    }
    assertThat(Genesis.builder("a").member("v", Fixtures.node(1), Role.VALIDATOR).incentives(IncentivePolicy.horizen(TREASURY)).build().hash())
        .as("the policy is part of the chain's identity")
        .isNotEqualTo(Genesis.builder("a").member("v", Fixtures.node(1), Role.VALIDATOR).incentives(IncentivePolicy.feesTo(TREASURY)).build()
            .hash());
  }

  @Test
  void presetsAndErrorsInTheFileNameTheField() {
    String head = "{\"format\":\"meshledger-genesis\",\"version\":1,\"chainId\":\"c\",\"genesisTime\":\"2026-01-01T00:00:00Z\","
        + "\"members\":[{\"name\":\"v\",\"publicKey\":\"" + Fixtures.node(1).toHex() + "\",\"roles\":[\"validator\"]}],\"incentives\":";
    assertThat(Genesis.fromJson(head + "{\"preset\":\"horizen\",\"treasury\":\"" + TREASURY.toHex() + "\"}}").incentives())
        .isEqualTo(IncentivePolicy.horizen(TREASURY));
    assertThatThrownBy(() -> Genesis.fromJson(head + "{\"eras\":[{\"outOf\":100,\"shares\":{\"producers\":60,\"treasury\":30}}],\"treasury\":\""
        + TREASURY.toHex() + "\"}}")).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("field 'incentives.eras[0]'").hasMessageContaining("shares add up to 90, not outOf = 100");
    assertThatThrownBy(() -> Genesis.fromJson(head + "{\"blockReward\":1000,\"treasury\":\"" + TREASURY.toHex() + "\"}}"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("incentives.blockReward");
    assertThatThrownBy(() -> Genesis.fromJson(head + "{\"preset\":\"bitcoin\"}}")).hasMessageContaining("incentives.preset");
    assertThatThrownBy(() -> Genesis.fromJson(head + "{\"eras\":[{\"outOf\":1,\"shares\":{\"producers\":1},\"fees\":\"everyone\"}]}}"))
        .hasMessageContaining("incentives.eras[0].fees");
  }
}
