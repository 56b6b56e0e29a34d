package org.meshledger.impl.incentives;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.meshledger.IncentivePolicy;
import org.meshledger.IncentivePolicy.Era;
import org.meshledger.IncentivePolicy.FeeRule;
import org.meshledger.IncentivePolicy.ServiceRules;
import org.meshledger.IncentivePolicy.ServiceShare;
import org.meshledger.IncentivePolicy.Subsidy;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;

/**
 * Random incentive policies for the invariant runs: 1 to 3 eras at random heights inside the run, each with its
 * own subsidy (none, constant, huge or halving within the run), whole, fee rule and shares (zero parts and custom pools
 * included); producers by signers or proposer; with or without a treasury; short epochs of 8 to 24 blocks in
 * windows of 2 to 4, so a run crosses many epochs; random thresholds, bonds, unbonding delay, share and penalty cap.
 */
final class RandomPolicies {
  private static final long[] WHOLES = {1, 3, 7, 10, 100, 997, 1000, 10_000};
  private static final int[] THRESHOLDS = {0, 25, 50, 75, 92, 96, 100};
  /** A subsidy whose product with a share of 10,000 overflows a long; 10,000 blocks of it still fit. */
  private static final long HUGE = 1_000_000_000_000_000L;

  private RandomPolicies() {}

  /**
   * A policy for a run of {@code blocks} blocks.
   *
   * @param treasury the treasury account, used or not (a quarter of the policies have none)
   * @param customAccounts the accounts custom pools may pay; up to two of them become pools
   */
  static IncentivePolicy draw(Random r, long blocks, AccountId treasury, List<AccountId> customAccounts) {
    IncentivePolicy.Builder b = IncentivePolicy.builder();
    boolean hasTreasury = r.nextInt(4) != 0;
    if (hasTreasury) {
      b.treasury(treasury);
    }
    List<String> pools = new ArrayList<>(List.of(IncentivePolicy.PRODUCERS, IncentivePolicy.SECURE_NODES, IncentivePolicy.SUPER_NODES));
    if (hasTreasury) {
      pools.add(IncentivePolicy.TREASURY);
    }
    int custom = Math.min(r.nextInt(3), customAccounts.size());
    for (int i = 0; i < custom; i++) {
      String name = "pool-" + (char) ('a' + i);
      b.customPool(name, customAccounts.get(i));
      pools.add(name);
    }
    TreeSet<Long> starts = new TreeSet<>(List.of(1L));
    for (int i = r.nextInt(3); i > 0; i--) {
      starts.add(2 + (long) r.nextInt((int) Math.max(1, blocks - 2)));
    }
    for (long from : starts) {
      b.era(era(r, from, blocks, pools, hasTreasury));
    }
    b.producers(r.nextBoolean() ? IncentivePolicy.ProducerRule.SIGNERS : IncentivePolicy.ProducerRule.PROPOSER);
    return b.service(service(r)).build();
  }

  private static Era era(Random r, long from, long blocks, List<String> pools, boolean hasTreasury) {
    Subsidy subsidy = switch (r.nextInt(10)) {
      case 0, 1 -> Subsidy.NONE;
      case 2, 3 -> Subsidy.constant(Amount.of(r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(2_000_000)));
      case 4 -> Subsidy.constant(Amount.of(HUGE + r.nextInt(1_000_000))); // value × share passes 2^63: the exact slow path
      default -> Subsidy.halving(Amount.of(1 + r.nextInt(2_000_000)), 10 + r.nextInt((int) Math.max(1, blocks / 2)));
    };
    long whole = WHOLES[r.nextInt(WHOLES.length)];
    List<String> chosen = new ArrayList<>();
    for (String p : pools) {
      boolean tier = p.equals(IncentivePolicy.SECURE_NODES) || p.equals(IncentivePolicy.SUPER_NODES);
      if (r.nextInt(tier ? 8 : 4) != 0) {
        chosen.add(p);
      }
    }
    if (chosen.isEmpty()) {
      chosen.add(pools.get(r.nextInt(pools.size())));
    }
    long[] weights = new long[chosen.size()];
    long total = 0;
    for (int i = 0; i < weights.length; i++) {
      weights[i] = r.nextInt(6) == 0 ? 0 : 1 + r.nextInt(100); // some pools are listed with 0 parts
      total += weights[i];
    }
    Map<String, Long> shares = new TreeMap<>();
    long left = whole;
    for (int i = 0; i < weights.length; i++) {
      long part = total == 0 ? 0 : whole * weights[i] / total;
      shares.put(chosen.get(i), part);
      left -= part;
    }
    shares.merge(chosen.get(r.nextInt(chosen.size())), left, Long::sum); // what the floors left
    List<FeeRule> fees = new ArrayList<>(List.of(FeeRule.values()));
    if (!hasTreasury) {
      fees.remove(FeeRule.TREASURY);
    }
    return new Era(from, subsidy, shares, whole, fees.get(r.nextInt(fees.size())));
  }

  private static ServiceRules service(Random r) {
    int interval = 2 + r.nextInt(3);
    int minWindows = (8 + interval - 1) / interval;
    int maxWindows = 24 / interval;
    int windows = minWindows + r.nextInt(maxWindows - minWindows + 1);
    long epoch = (long) interval * windows;
    long secureBond = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(3_000);
    long superBond = secureBond + r.nextInt(20_000);
    return new ServiceRules(epoch, interval, threshold(r), threshold(r), Amount.of(secureBond), Amount.of(superBond),
        r.nextInt((int) (3 * epoch) + 1), r.nextBoolean() ? ServiceShare.EQUAL : ServiceShare.PROPORTIONAL, r.nextInt(7));
  }

  private static int threshold(Random r) {
    return r.nextInt(4) == 0 ? r.nextInt(101) : THRESHOLDS[r.nextInt(THRESHOLDS.length)];
  }
}
