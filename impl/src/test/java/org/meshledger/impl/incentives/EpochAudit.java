package org.meshledger.impl.incentives;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.meshledger.IncentivePolicy;
import org.meshledger.IncentiveReport;
import org.meshledger.IncentiveReport.ServiceOutcome;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.genesis.Role;
import org.meshledger.impl.ledger.Executor;

/**
 * Follows one epoch's money as the test sees it from outside (subsidies of the policy, fees the block results
 * charged, transfers into the tier pools) and checks the ledger's account of it: what the state record says was
 * credited so far, and at the epoch's end the epoch record (rewards, each node's result) and each node's share of
 * its tier's pool.
 *
 * <p>Every block's payout pays exactly subsidy + fees (+ the released pools at an epoch's end) as credits, pool
 * accruals and burnt units, and the tier pools start each epoch at zero. So the credits of an epoch so far equal
 * {@code minted + fees - burnt + transfers into the pools - what the pools hold now}.
 */
final class EpochAudit {
  private final IncentivePolicy policy;
  private long minted;
  private long fees;
  private long donations;
  private long burntAtStart;
  private final Map<String, Long> released = new TreeMap<>();
  private long blockFees;
  private Amount blockValue = Amount.ZERO;

  EpochAudit(IncentivePolicy policy) {
    this.policy = policy;
  }

  /**
   * Counts block {@code h}: its subsidy and fees, what transfers put into each tier pool, and what each pool held
   * before it (what an epoch's last block releases).
   */
  void block(long h, long blockFees, Map<String, Long> poolTransfers, Map<String, Long> poolsBefore) {
    IncentivePolicy.Era era = policy.eraAt(h);
    Amount subsidy = era.subsidy().at(h);
    minted += subsidy.units();
    fees += blockFees;
    Amount value = era.fees() == IncentivePolicy.FeeRule.SHARED ? subsidy.plus(Amount.of(blockFees)) : subsidy;
    this.blockFees = blockFees;
    this.blockValue = value;
    released.clear();
    for (String pool : List.of(IncentivePolicy.SECURE_NODES, IncentivePolicy.SUPER_NODES)) {
      long in = poolTransfers.getOrDefault(pool, 0L);
      donations += in;
      released.put(pool, poolsBefore.get(pool) + era.part(pool, value).units() + in);
    }
  }

  /**
   * The last block's credits to the validators and the custom pools: each pool of the era gets {@code floor(value ×
   * share / outOf)}, the producers' part (and the fees, if the era gives them to the producers) split equally between
   * the signers of the commit the block carries (floor), or the proposer's alone.
   *
   * @param credited what the block credited each account, by the records
   */
  void checkBlockCredits(long h, Executor.BlockInfo block, Map<AccountId, Long> credited, List<AccountId> validators, String at) {
    IncentivePolicy.Era era = policy.eraAt(h);
    Map<AccountId, Long> expected = new TreeMap<>();
    producers(block, era.part(IncentivePolicy.PRODUCERS, blockValue).units(), expected);
    if (era.fees() == IncentivePolicy.FeeRule.PRODUCERS) {
      producers(block, blockFees, expected);
    }
    policy.customPools().forEach((pool, account) -> expected.merge(account, era.part(pool, blockValue).units(), Long::sum));
    List<AccountId> checked = new ArrayList<>(validators);
    checked.addAll(policy.customPools().values());
    for (AccountId a : checked) {
      assertThat(credited.getOrDefault(a, 0L)).as("%s: credit of %s (era from %d, value %s, fees %d)", at, a, era.fromHeight(), blockValue, blockFees)
          .isEqualTo(expected.getOrDefault(a, 0L));
    }
  }

  private void producers(Executor.BlockInfo block, long amount, Map<AccountId, Long> out) {
    if (policy.producers() == IncentivePolicy.ProducerRule.PROPOSER || block.signers().isEmpty()) {
      out.merge(block.proposer(), amount, Long::sum);
    } else {
      block.signers().forEach(s -> out.merge(s, amount / block.signers().size(), Long::sum));
    }
  }

  /** After a block inside the epoch: the credits so far, as the state record lists them. */
  void checkRunning(IncentiveState s, long poolsNow, String at) {
    assertThat(sum(s.epochRewards())).as("%s: credits of the epoch so far = minted %d + fees %d - burnt %d + pool transfers %d - pools %d", at,
        minted, fees, s.burnt().units() - burntAtStart, donations, poolsNow)
        .isEqualTo(minted + fees - (s.burnt().units() - burntAtStart) + donations - poolsNow);
  }

  /**
   * At an epoch's last block: the epoch record's rewards add up to the epoch's credits, each node's result is the
   * one {@code expected} (the model's, earnings aside), and each node earned its part of its tier's pool.
   *
   * @param before the service nodes as the model had them before the epoch closed (their penalties cut the share)
   */
  void checkClose(long epoch, long h, IncentiveState s, Optional<IncentiveReport.EpochRewards> record, List<IncentiveReport.ServiceResult> expected,
      Map<AccountId, ServiceNode> before, String at) {
    long credits = minted + fees - (s.burnt().units() - burntAtStart) + donations;
    assertThat(s.epochRewards()).as("%s: the state's running rewards start again at the epoch's end", at).isEmpty();
    if (record.isEmpty()) {
      assertThat(expected).as("%s: no epoch record though service nodes were registered", at).isEmpty();
      assertThat(credits).as("%s: no epoch record though the epoch credited units", at).isZero();
    } else {
      IncentiveReport.EpochRewards e = record.get();
      assertThat(e.epoch()).as(at).isEqualTo(epoch);
      assertThat(e.lastHeight()).as(at).isEqualTo(h);
      assertThat(sum(e.rewards())).as("%s: the epoch's rewards = minted %d + fees %d - burnt + pool transfers %d", at, minted, fees, donations)
          .isEqualTo(credits);
      List<IncentiveReport.ServiceResult> withoutEarnings = new ArrayList<>();
      for (IncentiveReport.ServiceResult r : e.services()) {
        withoutEarnings.add(new IncentiveReport.ServiceResult(r.account(), r.tier(), r.answered(), r.windows(), r.outcome(), r.penalty(), Amount.ZERO));
      }
      assertThat(withoutEarnings).as("%s: each service node's result (answers, outcome, penalty)", at).isEqualTo(expected);
      Map<AccountId, Long> shares = shares(expected, before);
      for (IncentiveReport.ServiceResult r : e.services()) {
        long share = shares.getOrDefault(r.account(), 0L);
        assertThat(r.earned().units()).as("%s: %s %s earned its share of the %s pool of %s", at, r.outcome(), r.account(), r.tier().jsonName(),
            released).isEqualTo(share);
        assertThat(e.rewards().getOrDefault(r.account(), Amount.ZERO).units()).as("%s: the rewards of %s are its service earnings", at, r.account())
            .isEqualTo(share);
      }
    }
    minted = 0;
    fees = 0;
    donations = 0;
    burntAtStart = s.burnt().units();
  }

  /**
   * Each earner's part of its tier's pool: {@code pool × weight × kept / (Σ weights × scale)}, weight 1 or its answers,
   * kept {@code maxPenalty - penalty} of {@code maxPenalty} (all of it with penalties off).
   */
  private Map<AccountId, Long> shares(List<IncentiveReport.ServiceResult> results, Map<AccountId, ServiceNode> before) {
    IncentivePolicy.ServiceRules rules = policy.service();
    Map<AccountId, Long> shares = new TreeMap<>();
    for (Role tier : List.of(Role.SECURE_NODE, Role.SUPER_NODE)) {
      long pool = released.get(tier == Role.SUPER_NODE ? IncentivePolicy.SUPER_NODES : IncentivePolicy.SECURE_NODES);
      List<IncentiveReport.ServiceResult> earners = results.stream()
          .filter(r -> r.tier() == tier && (r.outcome() == ServiceOutcome.EARNED || r.outcome() == ServiceOutcome.PENALISED)).toList();
      long weights = earners.stream().mapToLong(r -> weight(rules, r)).sum();
      if (weights == 0) {
        continue;
      }
      BigInteger denominator = BigInteger.valueOf(weights).multiply(BigInteger.valueOf(Math.max(1, rules.maxPenalty())));
      for (IncentiveReport.ServiceResult r : earners) {
        int penalty = before.get(r.account()).penalty();
        long kept = rules.maxPenalty() == 0 ? 1 : rules.maxPenalty() - Math.min(penalty, rules.maxPenalty());
        shares.put(r.account(), BigInteger.valueOf(pool).multiply(BigInteger.valueOf(weight(rules, r) * kept)).divide(denominator).longValueExact());
      }
    }
    return shares;
  }

  private static long weight(IncentivePolicy.ServiceRules rules, IncentiveReport.ServiceResult r) {
    return rules.share() == IncentivePolicy.ServiceShare.PROPORTIONAL ? r.answered() : 1;
  }

  private static long sum(Map<AccountId, Amount> amounts) {
    return amounts.values().stream().mapToLong(Amount::units).sum();
  }
}
