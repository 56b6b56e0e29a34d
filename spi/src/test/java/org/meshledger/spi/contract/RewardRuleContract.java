package org.meshledger.spi.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.genesis.Role;
import org.meshledger.spi.Payout;
import org.meshledger.spi.RewardContext;
import org.meshledger.spi.RewardRule;

/**
 * The contract test kit of {@link RewardRule}: extend it, return the rule from {@link #rule()} and a policy that
 * names it from {@link #policy}, and the tests check what every node relies on: a payout adds up exactly to what
 * the block makes available, pays nothing negative, is the same for the same context, and survives extreme
 * contexts (no signers, huge subsidies, an epoch's end with pools nobody earned). Contexts are drawn from a seed;
 * a failure names it, and {@code -Dmeshledger.seed=<seed>} replays it.
 */
public abstract class RewardRuleContract {
  private static final int CONTEXTS = 2_000;

  /** The rule under test. */
  protected abstract RewardRule rule();

  /** A policy naming {@link #rule()} with {@code treasury} (null: none) and the given eras and services. */
  protected IncentivePolicy policy(AccountId treasury, IncentivePolicy.Era era, IncentivePolicy.ServiceRules service) {
    IncentivePolicy.Builder b = IncentivePolicy.builder().rule(rule().name()).era(era).service(service);
    if (treasury != null) {
      b.treasury(treasury);
    }
    return b.build();
  }

  private static long seed() {
    return Long.getLong("meshledger.seed", System.nanoTime());
  }

  private static AccountId account(SplittableRandom r) {
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) r.nextInt(256);
    }
    return new AccountId(key);
  }

  private RewardContext context(SplittableRandom r) {
    AccountId treasury = r.nextInt(4) == 0 ? null : account(r);
    TreeMap<String, Long> shares = new TreeMap<>();
    long outOf = 1 + r.nextInt(10_000);
    long left = outOf;
    List<String> pools = new ArrayList<>(List.of(IncentivePolicy.PRODUCERS, IncentivePolicy.SECURE_NODES, IncentivePolicy.SUPER_NODES));
    if (treasury != null) {
      pools.add(IncentivePolicy.TREASURY);
    }
    for (int i = 0; i < pools.size() - 1; i++) {
      long part = left == 0 ? 0 : r.nextLong(left + 1);
      shares.put(pools.get(i), part);
      left -= part;
    }
    shares.put(pools.get(pools.size() - 1), left);
    IncentivePolicy.FeeRule[] fees = IncentivePolicy.FeeRule.values();
    IncentivePolicy.FeeRule fee = fees[r.nextInt(fees.length)];
    if (treasury == null && fee == IncentivePolicy.FeeRule.TREASURY) {
      fee = IncentivePolicy.FeeRule.BURN;
    }
    long subsidy = r.nextInt(5) == 0 ? Long.MAX_VALUE / 8 : r.nextLong(1_000_000_000L);
    IncentivePolicy.Era era = new IncentivePolicy.Era(1, IncentivePolicy.Subsidy.constant(Amount.of(subsidy)), shares, outOf, fee);
    IncentivePolicy.ServiceRules service = new IncentivePolicy.ServiceRules(100, 4, r.nextInt(101), r.nextInt(101), Amount.of(42), Amount.of(500),
        100, r.nextBoolean() ? IncentivePolicy.ServiceShare.EQUAL : IncentivePolicy.ServiceShare.PROPORTIONAL, r.nextInt(6));
    IncentivePolicy policy = policy(treasury, era, service);
    List<AccountId> signers = new ArrayList<>();
    int n = r.nextInt(8);
    for (int i = 0; i < n; i++) {
      signers.add(account(r));
    }
    Optional<RewardContext.EpochEvidence> end = Optional.empty();
    if (r.nextBoolean()) {
      TreeMap<String, Amount> released = new TreeMap<>();
      released.put(IncentivePolicy.SECURE_NODES, Amount.of(r.nextLong(1_000_000_000L)));
      released.put(IncentivePolicy.SUPER_NODES, Amount.of(r.nextLong(1_000_000_000L)));
      List<RewardContext.ServiceStanding> nodes = new ArrayList<>();
      int m = r.nextInt(10);
      for (int i = 0; i < m; i++) {
        long answered = r.nextLong(26);
        nodes.add(new RewardContext.ServiceStanding(account(r), r.nextBoolean() ? Role.SECURE_NODE : Role.SUPER_NODE, answered, 25,
            r.nextInt(service.maxPenalty() + 1), r.nextBoolean()));
      }
      end = Optional.of(new RewardContext.EpochEvidence(r.nextLong(1000), released, nodes));
    }
    long height = 1 + r.nextLong(10_000_000);
    return new RewardContext(height, policy, era, account(r), signers, Amount.of(subsidy), Amount.of(r.nextLong(1_000_000L)), end);
  }

  @Test
  void payoutsAddUpExactlyAreNeverNegativeAndAreDeterministic() {
    long seed = seed();
    SplittableRandom r = new SplittableRandom(seed);
    RewardRule rule = rule();
    for (int i = 0; i < CONTEXTS; i++) {
      RewardContext c = context(r);
      Payout p = rule.payout(c);
      String at = "seed " + seed + " (replay with -Dmeshledger.seed=" + seed + "), context " + i + ": " + c;
      assertThat(p.total()).as("credits + accruals + burnt must equal what the block makes available; %s", at).isEqualTo(c.available());
      assertThat(p.credits().values()).as(at).allSatisfy(v -> assertThat(v.units()).isPositive());
      assertThat(p.accrued().keySet()).as("only service tiers accrue; %s", at)
          .allSatisfy(k -> assertThat(k).isIn(IncentivePolicy.SECURE_NODES, IncentivePolicy.SUPER_NODES));
      assertThat(rule.payout(c)).as("the same context must give the same payout; %s", at).isEqualTo(p);
    }
  }

  @Test
  void aBlockWithNothingToShareCreditsNothing() {
    SplittableRandom r = new SplittableRandom(7);
    AccountId treasury = account(r);
    TreeMap<String, Long> shares = new TreeMap<>();
    shares.put(IncentivePolicy.PRODUCERS, 1L);
    IncentivePolicy.Era era = new IncentivePolicy.Era(1, IncentivePolicy.Subsidy.NONE, shares, 1, IncentivePolicy.FeeRule.SHARED);
    IncentivePolicy policy = policy(treasury, era, IncentivePolicy.ServiceRules.DEFAULTS);
    Payout p = rule().payout(new RewardContext(5, policy, era, account(r), List.of(account(r)), Amount.ZERO, Amount.ZERO, Optional.empty()));
    assertThat(p.total()).isEqualTo(Amount.ZERO);
    assertThat(p.credits()).isEmpty();
  }
}
