package org.meshledger.impl.incentives;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshledger.IncentivePolicy;
import org.meshledger.IncentiveReport.ServiceOutcome;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Payload;
import org.meshledger.chain.TransactionResult;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;

/** The service-node rules one by one: answers that do not count and why, bonds, exits, penalties. */
class IncentivesTest {
  final AccountId treasury = ServiceChain.key("treasury").accountId();
  final AccountId s1 = ServiceChain.key("s1").accountId();
  final AccountId s2 = ServiceChain.key("s2").accountId();
  final AccountId joiner = ServiceChain.key("joiner").accountId();
  final AccountId observer = ServiceChain.key("observer").accountId();

  ServiceChain chain(IncentivePolicy.ServiceRules rules) {
    IncentivePolicy policy = IncentivePolicy.builder().treasury(treasury)
        .era(IncentivePolicy.standard(treasury, IncentivePolicy.Subsidy.constant(Amount.of(1_000))).eras().get(0)).service(rules).build();
    return new ServiceChain(policy, List.of(Member.of("v", ServiceChain.key("v").nodeId(), Role.VALIDATOR),
        Member.of("s1", ServiceChain.key("s1").nodeId(), Role.SECURE_NODE), Member.of("s2", ServiceChain.key("s2").nodeId(), Role.SECURE_NODE)),
        Map.of(joiner, Amount.of(100), observer, Amount.of(10)));
  }

  ServiceChain chain() {
    return chain(WorkedExampleTest.RULES);
  }

  private static String reason(TransactionResult r) {
    assertThat(r.isAccepted()).as("expected a rejection").isFalse();
    return r.reason();
  }

  @Test
  void answersThatDoNotCountAreRejectedWithTheReason() {
    ServiceChain c = chain();
    c.begin(); // block 1 opens window 0 of epoch 0
    Payload.ChallengeResponse good = c.answerOf(s1);
    assertThat(reason(c.run.answer(observer, c.answerOf(observer), c))).contains("is not a registered service node");
    assertThat(reason(c.run.answer(s2, good, c))).as("s1's proof sent by s2: the proof binds the account").contains("wrong proof");
    assertThat(reason(c.run.answer(s1, new Payload.ChallengeResponse(0, Hash.sha256(new byte[1]), good.proof()), c)))
        .contains("wrong challenge");
    assertThat(c.run.answer(s1, good, c).isAccepted()).isTrue();
    assertThat(reason(c.run.answer(s1, good, c))).contains("replayed");
    c.end();
    c.begin(); // block 2: still window 0
    assertThat(reason(c.run.answer(s1, good, c))).contains("replayed");
    c.end();
    c.begin(); // block 3: window 1
    assertThat(reason(c.run.answer(s2, new Payload.ChallengeResponse(0, good.challenge(), Challenges.proof(ServiceChain.CHAIN,
        new Challenges.Window(0, 0, good.challenge(), 0), s2, ServiceChain.GENESIS)), c))).as("an answer to window 0 in window 1").contains("late");
    assertThat(c.answer(s2).isAccepted()).isTrue();
    c.end();
    assertThat(c.state().node(s1).answered()).isEqualTo(1);
    assertThat(c.state().node(s2).answered()).isEqualTo(1);
  }

  @Test
  void aRegistrationLocksTheBondAndAnExitReturnsItAfterTheDelay() {
    ServiceChain c = chain();
    c.begin();
    assertThat(reason(c.run.register(observer, Role.SECURE_NODE))).contains("cannot lock the secure-node bond of 42");
    assertThat(c.run.register(joiner, Role.SECURE_NODE).isAccepted()).isTrue();
    assertThat(reason(c.run.register(joiner, Role.SUPER_NODE))).contains("already registered as secure-node");
    assertThat(reason(c.answer(joiner))).as("a node answers from the window after it registered").contains("answers count from the next window");
    c.end();
    assertThat(c.balance(joiner)).isEqualTo(58);
    assertThat(c.balance(Incentives.ESCROW)).isEqualTo(42);
    while (c.height < 8) {
      c.begin();
      if (c.height % 2 == 1) {
        assertThat(c.answer(joiner).isAccepted()).isTrue();
      }
      c.end();
    }
    assertThat(c.epoch(0).service(joiner).orElseThrow().outcome()).as("registered during epoch 0").isEqualTo(ServiceOutcome.JOINED_MID_EPOCH);
    c.begin(); // block 9
    assertThat(c.run.exit(joiner).isAccepted()).isTrue();
    assertThat(reason(c.run.exit(joiner))).contains("already leaving since block 9");
    assertThat(reason(c.answer(joiner))).contains("leaving");
    c.end();
    while (c.height < 16) {
      c.begin().end();
      assertThat(c.balance(joiner)).as("bond locked until block 17 (exit at 9 + delay 8)").isEqualTo(58);
    }
    c.begin().end(); // block 17
    assertThat(c.balance(joiner)).isEqualTo(100);
    assertThat(c.balance(Incentives.ESCROW)).isZero();
    ServiceChain none = new ServiceChain(IncentivePolicy.feesTo(treasury), List.of(Member.of("v", ServiceChain.key("v").nodeId(),
        Role.VALIDATOR)), Map.of(joiner, Amount.of(100)));
    none.begin();
    assertThat(reason(none.run.register(joiner, Role.SECURE_NODE))).contains("gives the secure-nodes pool a share");
    none.end();
    assertThat(none.balance(joiner)).as("nothing locked").isEqualTo(100);
    assertThat(c.state().node(joiner)).isNull();
    assertThat(c.epoch(1).service(joiner).orElseThrow().outcome()).isEqualTo(ServiceOutcome.LEAVING);
  }

  @Test
  void failuresInARowCostPenaltyPointsThatFadeAndCutTheShare() {
    ServiceChain c = chain();
    List<AccountId> both = List.of(s1, s2);
    WorkedExampleTest.epoch(c, both); // 0: both earn 400
    WorkedExampleTest.epoch(c, List.of(s1)); // 1: s2 fails once: no penalty
    WorkedExampleTest.epoch(c, List.of(s1)); // 2: fails again: 2 points
    assertThat(c.epoch(2).service(s2).orElseThrow().penalty()).isEqualTo(2);
    WorkedExampleTest.epoch(c, both); // 3: earns (4 - 2) / 4 of its half: 200; the withheld 200 go to the treasury
    assertThat(c.epoch(3).service(s2).orElseThrow()).satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(ServiceOutcome.PENALISED);
      assertThat(r.earned()).isEqualTo(Amount.of(200));
      assertThat(r.penalty()).as("fades by one per good epoch").isEqualTo(1);
    });
    // the treasury: its 200 a block, the Super Node pool (this chain has no Super Node) and the 200 s2 did not earn
    assertThat(c.epoch(3).rewards()).containsEntry(s1, Amount.of(400)).containsEntry(treasury, Amount.of(8 * 200 + 8 * 100 + 200));
    WorkedExampleTest.epoch(c, both); // 4: (4 - 1) / 4: 300
    assertThat(c.epoch(4).service(s2).orElseThrow().earned()).isEqualTo(Amount.of(300));
    WorkedExampleTest.epoch(c, both); // 5: full again
    assertThat(c.epoch(5).service(s2).orElseThrow()).satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(ServiceOutcome.EARNED);
      assertThat(r.earned()).isEqualTo(Amount.of(400));
    });
  }

  @Test
  void withNobodyEligibleATierPoolGoesToTheTreasuryAndWithoutTreasuryItIsBurnt() {
    ServiceChain c = chain();
    WorkedExampleTest.epoch(c, List.of());
    assertThat(c.epoch(0).rewards()).containsEntry(treasury, Amount.of(8 * 200 + 8 * 100 + 8 * 100)); // no super nodes at all
    IncentivePolicy noTreasury = IncentivePolicy.builder().era(new IncentivePolicy.Era(1, IncentivePolicy.Subsidy.constant(Amount.of(10)),
        Map.of(IncentivePolicy.PRODUCERS, 5L, IncentivePolicy.SECURE_NODES, 5L), 10, IncentivePolicy.FeeRule.BURN))
        .service(WorkedExampleTest.RULES).build();
    ServiceChain burn = new ServiceChain(noTreasury, List.of(Member.of("v", ServiceChain.key("v").nodeId(), Role.VALIDATOR),
        Member.of("s1", ServiceChain.key("s1").nodeId(), Role.SECURE_NODE)), Map.of());
    WorkedExampleTest.epoch(burn, List.of());
    assertThat(burn.state().burnt()).isEqualTo(Amount.of(40));
    assertThat(burn.supply()[0]).isEqualTo(40).isEqualTo(burn.supply()[1]);
  }

  @Test
  void proportionalSharesFollowTheAnswersAndTheRoundingGoesToTheTreasury() {
    ServiceChain c = chain(new IncentivePolicy.ServiceRules(8, 2, 50, 100, Amount.of(42), Amount.of(500), 8,
        IncentivePolicy.ServiceShare.PROPORTIONAL, 4));
    for (int b = 0; b < 8; b++) {
      c.begin();
      if (b % 2 == 0) {
        assertThat(c.answer(s1).isAccepted()).isTrue();
        if (b < 4) { // s2 answers the first two windows only: 50%, just at its threshold
          assertThat(c.answer(s2).isAccepted()).isTrue();
        }
      }
      c.end();
    }
    // the Secure Node pool of 800 in proportion 4 : 2, floor(800 × 4 / 6) = 533 and floor(800 × 2 / 6) = 266
    assertThat(c.epoch(0).service(s1).orElseThrow().earned()).isEqualTo(Amount.of(533));
    assertThat(c.epoch(0).service(s2).orElseThrow().earned()).isEqualTo(Amount.of(266));
    // the treasury: 8 × 200, the Super Node pool nobody earned (800) and the unit rounding left
    assertThat(c.epoch(0).rewards()).containsEntry(treasury, Amount.of(1_600 + 800 + 1));
  }
}
