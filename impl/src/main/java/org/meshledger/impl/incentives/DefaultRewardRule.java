package org.meshledger.impl.incentives;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.meshledger.IncentivePolicy.Era;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.genesis.Role;
import org.meshledger.spi.Payout;
import org.meshledger.spi.RewardContext;
import org.meshledger.spi.RewardRule;

/**
 * The reward rule {@value IncentivePolicy#DEFAULT_RULE}: the {@link IncentivePolicy} as its javadoc states it.
 *
 * <ol>
 *   <li>The block's value is its subsidy, plus its fees under {@link IncentivePolicy.FeeRule#SHARED}. Each pool of
 *       the era gets {@code floor(value × share / outOf)}: producers (signers of the carried commit in equal parts,
 *       or the proposer), the treasury, custom pools to their accounts, and the service tiers accrue theirs until
 *       the epoch's end.
 *   <li>Fees under the other rules go whole to the producers, the treasury, or are burnt.
 *   <li>At an epoch's end each tier's accrued pool goes to its nodes that met the threshold: equal parts or in
 *       proportion to their answers, times {@code (maxPenalty - penalty) / maxPenalty}.
 *   <li>Every remainder of a division, and a pool nobody earned, goes to the treasury; with no treasury it is
 *       burnt.
 * </ol>
 */
public final class DefaultRewardRule implements RewardRule {

  @Override
  public String name() {
    return IncentivePolicy.DEFAULT_RULE;
  }

  @Override
  public Payout payout(RewardContext c) {
    IncentivePolicy policy = c.policy();
    Era era = c.era();
    Payout.Builder out = Payout.builder();
    Amount left = Amount.ZERO; // what goes to the treasury or is burnt
    Amount value = era.fees() == IncentivePolicy.FeeRule.SHARED ? c.subsidy().plus(c.fees()) : c.subsidy();
    Amount shared = Amount.ZERO;
    for (Map.Entry<String, Long> s : era.shares().entrySet()) {
      String pool = s.getKey();
      Amount part = era.part(pool, value);
      shared = shared.plus(part);
      switch (pool) {
        case IncentivePolicy.PRODUCERS -> left = left.plus(producers(c, part, out));
        case IncentivePolicy.SECURE_NODES, IncentivePolicy.SUPER_NODES -> out.accrue(pool, part);
        case IncentivePolicy.TREASURY -> left = left.plus(part);
        default -> out.credit(policy.customPools().get(pool), part);
      }
    }
    left = left.plus(value.minus(shared)); // rounding of the shares
    switch (era.fees()) {
      case PRODUCERS -> left = left.plus(producers(c, c.fees(), out));
      case TREASURY -> left = left.plus(c.fees());
      case BURN -> out.burn(c.fees());
      case SHARED -> { } // in the value above
    }
    if (c.epochEnd().isPresent()) {
      RewardContext.EpochEvidence e = c.epochEnd().get();
      for (Map.Entry<String, Amount> pool : e.pools().entrySet()) {
        Role tier = pool.getKey().equals(IncentivePolicy.SUPER_NODES) ? Role.SUPER_NODE : Role.SECURE_NODE;
        left = left.plus(service(policy.service(), tier, pool.getValue(), e.nodes(), out));
      }
    }
    if (policy.treasury().isPresent()) {
      out.credit(policy.treasury().get(), left);
    } else {
      out.burn(left);
    }
    return out.build();
  }

  /** Pays {@code amount} to the block's producers; returns the remainder of an equal split. */
  private static Amount producers(RewardContext c, Amount amount, Payout.Builder out) {
    if (amount.isZero()) {
      return Amount.ZERO;
    }
    List<AccountId> signers = c.signers();
    if (c.policy().producers() == IncentivePolicy.ProducerRule.PROPOSER || signers.isEmpty()) {
      out.credit(c.proposer(), amount);
      return Amount.ZERO;
    }
    long each = amount.units() / signers.size();
    for (AccountId s : signers) {
      out.credit(s, Amount.of(each));
    }
    return Amount.of(amount.units() - each * signers.size());
  }

  /** Pays a tier's pool to the nodes that earned it; returns what nobody earned or rounding left. */
  private static Amount service(IncentivePolicy.ServiceRules rules, Role tier, Amount pool, List<RewardContext.ServiceStanding> nodes,
      Payout.Builder out) {
    List<RewardContext.ServiceStanding> earners = new ArrayList<>();
    BigInteger weights = BigInteger.ZERO;
    for (RewardContext.ServiceStanding n : nodes) {
      if (n.tier() == tier && n.eligible()) {
        earners.add(n);
        weights = weights.add(BigInteger.valueOf(weight(rules, n)));
      }
    }
    if (earners.isEmpty() || weights.signum() == 0) {
      return pool;
    }
    BigInteger scale = BigInteger.valueOf(Math.max(1, rules.maxPenalty()));
    BigInteger denominator = weights.multiply(scale);
    long paid = 0;
    for (RewardContext.ServiceStanding n : earners) {
      long kept = rules.maxPenalty() == 0 ? 1 : rules.maxPenalty() - Math.min(n.penalty(), rules.maxPenalty());
      long pay = BigInteger.valueOf(pool.units()).multiply(BigInteger.valueOf(weight(rules, n))).multiply(BigInteger.valueOf(kept))
          .divide(denominator).longValueExact();
      out.credit(n.account(), Amount.of(pay));
      paid += pay;
    }
    return Amount.of(pool.units() - paid);
  }

  private static long weight(IncentivePolicy.ServiceRules rules, RewardContext.ServiceStanding n) {
    return rules.share() == IncentivePolicy.ServiceShare.PROPORTIONAL ? n.answered() : 1;
  }
}
