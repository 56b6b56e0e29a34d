package org.meshledger.impl.incentives;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshledger.IncentivePolicy;
import org.meshledger.IncentiveReport.ServiceOutcome;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;

/**
 * The worked example of {@code docs/incentives.md}, number by number: the default 60/10/10/20 split of a
 * 1,000-unit subsidy, four validators, two Secure Nodes and one Super Node, epochs of 8 blocks in 4 windows of
 * 2, thresholds 75% (Secure) and 100% (Super). Secure Node {@code s2} is offline for epoch 1 and back for
 * epoch 2. If this test changes, the document changes with it.
 */
class WorkedExampleTest {
  static final IncentivePolicy.ServiceRules RULES = new IncentivePolicy.ServiceRules(8, 2, 75, 100, Amount.of(42), Amount.of(500), 8,
      IncentivePolicy.ServiceShare.EQUAL, 4);

  final AccountId treasury = ServiceChain.key("treasury").accountId();
  final AccountId v0 = ServiceChain.key("v0").accountId();
  final AccountId v1 = ServiceChain.key("v1").accountId();
  final AccountId s1 = ServiceChain.key("s1").accountId();
  final AccountId s2 = ServiceChain.key("s2").accountId();
  final AccountId p1 = ServiceChain.key("p1").accountId();

  ServiceChain chain() {
    IncentivePolicy policy = IncentivePolicy.builder().treasury(treasury).era(IncentivePolicy.standard(treasury,
        IncentivePolicy.Subsidy.constant(Amount.of(1_000))).eras().get(0)).service(RULES).build();
    List<Member> members = List.of(
        Member.of("v0", ServiceChain.key("v0").nodeId(), Role.VALIDATOR), Member.of("v1", ServiceChain.key("v1").nodeId(), Role.VALIDATOR),
        Member.of("v2", ServiceChain.key("v2").nodeId(), Role.VALIDATOR), Member.of("v3", ServiceChain.key("v3").nodeId(), Role.VALIDATOR),
        Member.of("s1", ServiceChain.key("s1").nodeId(), Role.SECURE_NODE), Member.of("s2", ServiceChain.key("s2").nodeId(), Role.SECURE_NODE),
        Member.of("p1", ServiceChain.key("p1").nodeId(), Role.SUPER_NODE));
    return new ServiceChain(policy, members, Map.of());
  }

  /** Runs one epoch of 8 blocks; the service nodes answer in the first block of each window, except the absent ones. */
  static void epoch(ServiceChain c, List<AccountId> online) {
    for (int b = 0; b < 8; b++) {
      c.begin();
      if (b % 2 == 0) {
        for (AccountId n : online) {
          assertThat(c.answer(n).isAccepted()).as("answer of %s at block %d", n, c.height).isTrue();
        }
      }
      c.end();
      long[] supply = c.supply();
      assertThat(supply[1]).as("balances add up to the supply after block %d", c.height).isEqualTo(supply[0]);
    }
  }

  @Test
  void aSecureNodeOfflineForOneEpochEarnsNothingForItAndEarnsAgainWhenBack() {
    ServiceChain c = chain();
    epoch(c, List.of(s1, s2, p1));
    // epoch 0: block 1 carries no commit, its 600 go to its proposer v0; blocks 2-8 pay 150 to each of 4 signers
    assertThat(c.epoch(0).rewards()).containsEntry(v0, Amount.of(600 + 7 * 150)).containsEntry(v1, Amount.of(7 * 150))
        .containsEntry(treasury, Amount.of(8 * 200)).containsEntry(s1, Amount.of(400)).containsEntry(s2, Amount.of(400))
        .containsEntry(p1, Amount.of(800));
    assertThat(c.epoch(0).service(s2).orElseThrow().outcome()).isEqualTo(ServiceOutcome.EARNED);

    epoch(c, List.of(s1, p1)); // s2 offline for epoch 1
    assertThat(c.epoch(1).rewards()).containsEntry(v0, Amount.of(8 * 150)).containsEntry(s1, Amount.of(800)).doesNotContainKey(s2)
        .containsEntry(p1, Amount.of(800)).containsEntry(treasury, Amount.of(8 * 200));
    assertThat(c.epoch(1).service(s2).orElseThrow()).satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(ServiceOutcome.BELOW_THRESHOLD);
      assertThat(r.answered()).isZero();
      assertThat(r.earned()).isEqualTo(Amount.ZERO);
      assertThat(r.penalty()).as("one failed epoch costs no penalty").isZero();
    });

    epoch(c, List.of(s1, s2, p1)); // s2 back
    assertThat(c.epoch(2).rewards()).containsEntry(s1, Amount.of(400)).containsEntry(s2, Amount.of(400)).containsEntry(p1, Amount.of(800));
    assertThat(c.epoch(2).service(s2).orElseThrow().outcome()).isEqualTo(ServiceOutcome.EARNED);

    // after 24 blocks: 24,000 minted; each validator but v0 holds 3,150 (7 + 8 + 8 blocks of 150), v0 3,600
    assertThat(c.state().minted()).isEqualTo(Amount.of(24_000));
    assertThat(c.balance(v0)).isEqualTo(600 + 23 * 150);
    assertThat(c.balance(v1)).isEqualTo(23 * 150);
    assertThat(c.balance(s1)).isEqualTo(400 + 800 + 400);
    assertThat(c.balance(s2)).isEqualTo(400 + 0 + 400);
    assertThat(c.balance(p1)).isEqualTo(3 * 800);
    assertThat(c.balance(treasury)).isEqualTo(24 * 200);
    assertThat(c.balance(Incentives.pool(IncentivePolicy.SECURE_NODES))).as("pools are empty after each epoch").isZero();
  }
}
