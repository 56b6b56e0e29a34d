package org.meshledger.samples.rewardrule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.genesis.Role;
import org.meshledger.spi.Payout;
import org.meshledger.spi.RewardContext;
import org.meshledger.spi.RewardRule;
import org.meshledger.spi.contract.RewardRuleContract;

/**
 * The rule passes the SPI's contract kit (payouts add up exactly, nothing negative, deterministic; seeded, replay
 * with {@code -Dmeshledger.seed=<seed>}), and pays as its javadoc says: the commit's signers in equal parts, the
 * remainder and block 1 to the proposer, released tier pools to the signers, never a treasury or a pool.
 */
class ValidatorsOnlyRuleTest extends RewardRuleContract {
  private static final AccountId PROPOSER = account(1);
  private static final AccountId SIGNER_A = account(2);
  private static final AccountId SIGNER_B = account(3);
  private static final AccountId SIGNER_C = account(4);
  private static final AccountId TREASURY = account(9);

  @Override
  protected RewardRule rule() {
    return new ValidatorsOnlyRule();
  }

  private static AccountId account(int n) {
    byte[] key = new byte[32];
    key[31] = (byte) n;
    return new AccountId(key);
  }

  /** The product's split (60/10/10/20, fees shared) with a treasury: the rule must ignore all of it. */
  private static final IncentivePolicy.Era ERA = new IncentivePolicy.Era(1, IncentivePolicy.Subsidy.constant(Amount.of(1_000)),
      new TreeMap<>(Map.of(IncentivePolicy.PRODUCERS, 600L, IncentivePolicy.SECURE_NODES, 100L, IncentivePolicy.SUPER_NODES, 100L,
          IncentivePolicy.TREASURY, 200L)), 1_000, IncentivePolicy.FeeRule.SHARED);
  private static final IncentivePolicy POLICY = IncentivePolicy.builder().rule(ValidatorsOnlyRule.NAME).treasury(TREASURY).era(ERA).build();

  private static RewardContext block(long height, List<AccountId> signers, long subsidy, long fees) {
    return new RewardContext(height, POLICY, ERA, PROPOSER, signers, Amount.of(subsidy), Amount.of(fees), Optional.empty());
  }

  @Test
  void subsidyAndFeesGoToTheSignersInEqualPartsAndTheRemainderToTheProposer() {
    Payout p = rule().payout(block(7, List.of(SIGNER_A, SIGNER_B, SIGNER_C), 1_000, 1)); // 1,001 = 3 × 333 + 2
    assertThat(p.credits()).containsExactlyInAnyOrderEntriesOf(Map.of(SIGNER_A, Amount.of(333), SIGNER_B, Amount.of(333),
        SIGNER_C, Amount.of(333), PROPOSER, Amount.of(2)));
    assertThat(p.accrued()).as("nothing for the service tiers, whatever the policy's shares").isEmpty();
    assertThat(p.burnt()).isEqualTo(Amount.ZERO);
  }

  @Test
  void aProposerThatSignedGetsItsPartAndTheRemainder() {
    Payout p = rule().payout(block(7, List.of(PROPOSER, SIGNER_A), 1_000, 1)); // 1,001 = 2 × 500 + 1
    assertThat(p.credits()).containsExactlyInAnyOrderEntriesOf(Map.of(PROPOSER, Amount.of(501), SIGNER_A, Amount.of(500)));
  }

  @Test
  void blockOneCarriesNoCommitSoItsProposerTakesAll() {
    Payout p = rule().payout(block(1, List.of(), 1_000, 5));
    assertThat(p.credits()).containsExactlyEntriesOf(Map.of(PROPOSER, Amount.of(1_005)));
  }

  @Test
  void feesTheEraWouldBurnGoToTheSignersToo() {
    IncentivePolicy.Era burning = new IncentivePolicy.Era(1, IncentivePolicy.Subsidy.NONE, new TreeMap<>(Map.of(IncentivePolicy.PRODUCERS, 1L)),
        1, IncentivePolicy.FeeRule.BURN);
    IncentivePolicy policy = IncentivePolicy.builder().rule(ValidatorsOnlyRule.NAME).era(burning).build();
    Payout p = rule().payout(new RewardContext(3, policy, burning, PROPOSER, List.of(SIGNER_A, SIGNER_B), Amount.ZERO, Amount.of(4),
        Optional.empty()));
    assertThat(p.credits()).containsExactlyInAnyOrderEntriesOf(Map.of(SIGNER_A, Amount.of(2), SIGNER_B, Amount.of(2)));
    assertThat(p.burnt()).isEqualTo(Amount.ZERO);
  }

  @Test
  void tierPoolsReleasedAtAnEpochsEndGoToTheSignersNotToTheServiceNodes() {
    TreeMap<String, Amount> released = new TreeMap<>(Map.of(IncentivePolicy.SECURE_NODES, Amount.of(70), IncentivePolicy.SUPER_NODES,
        Amount.of(31)));
    AccountId secureNode = account(5);
    RewardContext.EpochEvidence evidence = new RewardContext.EpochEvidence(0, released,
        List.of(new RewardContext.ServiceStanding(secureNode, Role.SECURE_NODE, 25, 25, 0, true)));
    RewardContext end = new RewardContext(100, POLICY, ERA, PROPOSER, List.of(SIGNER_A, SIGNER_B), Amount.ZERO, Amount.ZERO,
        Optional.of(evidence));
    Payout p = rule().payout(end); // 101 = 2 × 50 + 1
    assertThat(p.credits()).containsExactlyInAnyOrderEntriesOf(Map.of(SIGNER_A, Amount.of(50), SIGNER_B, Amount.of(50), PROPOSER, Amount.of(1)));
    assertThat(p.total()).isEqualTo(end.available());
  }

  @Test
  void theTreasuryGetsNothing() {
    for (int signers = 0; signers <= 3; signers++) {
      List<AccountId> who = List.of(SIGNER_A, SIGNER_B, SIGNER_C).subList(0, signers);
      assertThat(rule().payout(block(2, who, 1_000, 7)).credits()).as("%d signers", signers).doesNotContainKey(TREASURY);
    }
  }
}
