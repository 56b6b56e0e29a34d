package org.meshledger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.genesis.Role;

/**
 * How a chain pays for its work: what each block mints, how that and the fees are shared between the pools
 * (block producers, Secure Nodes, Super Nodes, treasury, custom pools), and how service nodes earn their pool by
 * evidence on the ledger. Part of the genesis, so every node computes the same payouts; all amounts are exact
 * integers in the smallest unit.
 *
 * <p><b>Eras.</b> A change of rules is a new {@link Era} from a later height (Horizen reached its split through
 * four such forks; Zcash's ZIP 207/214 streams have the same shape). The era in force at a height gives the block
 * subsidy, the shares and the fee rule. A pool's part of a block is {@code floor(value × share / outOf)}; what
 * rounding leaves goes to the treasury (or, with no treasury, is burnt).
 *
 * <p><b>Service nodes</b> ({@link ServiceRules}) are members registered in the genesis with the role
 * {@link Role#SECURE_NODE} or {@link Role#SUPER_NODE}, or by a registration transaction that locks a bond. Each
 * epoch is cut into challenge windows; each window's challenge is derived from a block the chain has already
 * fixed, and a node answers it with a signed {@code CHALLENGE_RESPONSE} that validators check during execution.
 * At the epoch's end each tier's pool goes to the nodes that answered enough windows on time.
 *
 * <p>Instances are immutable and validated on construction: every error is an {@link IllegalArgumentException}
 * naming the field ({@code eras[2].shares}, {@code service.secureThresholdPercent}).
 */
public final class IncentivePolicy {
  /** The pool of the validators that produced and signed blocks. */
  public static final String PRODUCERS = "producers";
  /** The pool of the Secure Node tier. */
  public static final String SECURE_NODES = "secure-nodes";
  /** The pool of the Super Node tier. */
  public static final String SUPER_NODES = "super-nodes";
  /** The treasury's pool. */
  public static final String TREASURY = "treasury";
  /** The name of the reward rule that implements this class's rules (see {@code org.meshledger.spi.RewardRule}). */
  public static final String DEFAULT_RULE = "default";

  private static final List<String> BUILT_IN = List.of(PRODUCERS, SECURE_NODES, SUPER_NODES, TREASURY);

  /** Where a block's fees go. */
  public enum FeeRule {
    /** Added to the block subsidy and shared like it. */
    SHARED,
    /** To the producers' pool of the block, whole. */
    PRODUCERS,
    /** To the treasury, whole. */
    TREASURY,
    /** Destroyed: total supply shrinks by them. */
    BURN
  }

  /** Who shares the producers' pool of a block. */
  public enum ProducerRule {
    /**
     * The validators whose precommits are in the commit certificate the block carries (for the block before it),
     * in equal shares: evidence on the ledger that they did the work. Block 1 carries none: its pool goes to its
     * proposer.
     */
    SIGNERS,
    /** The block's proposer alone (Horizen's miners; favours the validators that propose most). */
    PROPOSER
  }

  /** How a tier's pool is shared at the end of an epoch between the nodes that met its threshold. */
  public enum ServiceShare {
    /** In equal parts. */
    EQUAL,
    /** In proportion to the windows each answered on time. */
    PROPORTIONAL
  }

  /**
   * What each block mints: {@code initial}, halved every {@code halvingInterval} blocks counted from the chain's
   * start (at heights {@code halvingInterval}, {@code 2 × halvingInterval}, ..., like Bitcoin and Horizen), or a
   * constant with {@code halvingInterval} 0.
   *
   * @param initial the subsidy of the first block
   * @param halvingInterval blocks between halvings; 0 for a constant subsidy
   */
  public record Subsidy(Amount initial, long halvingInterval) {
    /** No subsidy: only fees are shared. */
    public static final Subsidy NONE = new Subsidy(Amount.ZERO, 0);

    public Subsidy {
      Objects.requireNonNull(initial, "initial");
      if (halvingInterval < 0) {
        throw new IllegalArgumentException("halvingInterval cannot be negative, got " + halvingInterval);
      }
    }

    /** A constant subsidy of {@code amount} per block. */
    public static Subsidy constant(Amount amount) {
      return new Subsidy(amount, 0);
    }

    /** {@code initial}, halved every {@code interval} blocks. */
    public static Subsidy halving(Amount initial, long interval) {
      if (interval < 1) {
        throw new IllegalArgumentException("a halving interval is at least 1 block, got " + interval);
      }
      return new Subsidy(initial, interval);
    }

    /** The subsidy of the block at {@code height}. */
    public Amount at(long height) {
      if (halvingInterval == 0) {
        return initial;
      }
      long halvings = height / halvingInterval;
      return halvings >= 63 ? Amount.ZERO : Amount.of(initial.units() >> halvings);
    }
  }

  /**
   * The rules from one height on, until the next era.
   *
   * @param fromHeight the first height, at least 1; the first era starts at 1
   * @param subsidy what each block mints
   * @param shares each pool's share, as parts of {@code outOf}; the parts add up to exactly {@code outOf} (kept sorted by pool name)
   * @param outOf the whole, at least 1 (100 for percent, 10,000 for basis points)
   * @param fees where fees go
   */
  public record Era(long fromHeight, Subsidy subsidy, Map<String, Long> shares, long outOf, FeeRule fees) {
    public Era {
      if (fromHeight < 1) {
        throw new IllegalArgumentException("fromHeight must be at least 1, got " + fromHeight);
      }
      Objects.requireNonNull(subsidy, "subsidy");
      Objects.requireNonNull(fees, "fees");
      if (outOf < 1) {
        throw new IllegalArgumentException("outOf must be at least 1, got " + outOf);
      }
      TreeMap<String, Long> copy = new TreeMap<>();
      long sum = 0;
      for (Map.Entry<String, Long> e : shares.entrySet()) {
        String pool = Objects.requireNonNull(e.getKey(), "pool name");
        long part = Objects.requireNonNull(e.getValue(), "share of " + pool);
        if (part < 0) {
          throw new IllegalArgumentException("shares." + pool + " cannot be negative, got " + part);
        }
        copy.put(pool, part);
        sum = Math.addExact(sum, part);
      }
      if (sum != outOf) {
        throw new IllegalArgumentException("shares add up to " + sum + ", not outOf = " + outOf + " (" + copy + ")");
      }
      shares = Collections.unmodifiableSortedMap(copy);
    }

    /** The share of {@code pool}, 0 if the era gives it none. */
    public long share(String pool) {
      return shares.getOrDefault(pool, 0L);
    }

    /** {@code floor(value × share(pool) / outOf)}, exact for any value that fits a long. */
    public Amount part(String pool, Amount value) {
      long v = value.units();
      long s = share(pool);
      long low = v * s; // both are non-negative: the product fits a long iff its high half is 0 and it is not negative
      if (Math.multiplyHigh(v, s) == 0 && low >= 0) {
        return Amount.of(low / outOf);
      }
      return Amount.of(java.math.BigInteger.valueOf(v).multiply(java.math.BigInteger.valueOf(s)).divide(java.math.BigInteger.valueOf(outOf))
          .longValueExact());
    }
  }

  /**
   * How service nodes prove their work and earn their tier's pool.
   *
   * @param epochLength blocks per epoch; a multiple of {@code challengeInterval}
   * @param challengeInterval blocks per challenge window: a window's challenge is answered in a block of that
   *     window, at most this many blocks after the block its challenge derives from
   * @param secureThresholdPercent the least share of an epoch's windows a Secure Node answers on time to earn
   * @param superThresholdPercent the same for a Super Node
   * @param secureBond what a registration as a Secure Node locks
   * @param superBond what a registration as a Super Node locks
   * @param unbondingDelay blocks after an exit before the bond returns
   * @param share how a tier's pool is shared between the nodes that earned
   * @param maxPenalty the penalty cap: a node that fails an epoch right after a failed one gains 2 penalty points up
   *     to this cap, loses 1 per epoch it meets the threshold, and earns {@code (maxPenalty - penalty) /
   *     maxPenalty} of its share while it has any (0 disables penalties)
   */
  public record ServiceRules(long epochLength, long challengeInterval, int secureThresholdPercent, int superThresholdPercent,
      Amount secureBond, Amount superBond, long unbondingDelay, ServiceShare share, int maxPenalty) {
    /**
     * Epochs of 100 blocks with 25 windows of 4 blocks; thresholds 92% and 96% and bonds in Horizen's proportion
     * (42 and 500 units), an unbonding delay of one epoch, equal shares, a penalty cap of 4.
     */
    public static final ServiceRules DEFAULTS = new ServiceRules(100, 4, 92, 96, Amount.of(42), Amount.of(500), 100, ServiceShare.EQUAL, 4);

    public ServiceRules {
      if (challengeInterval < 1) {
        throw new IllegalArgumentException("challengeInterval must be at least 1 block, got " + challengeInterval);
      }
      if (epochLength < challengeInterval || epochLength % challengeInterval != 0) {
        throw new IllegalArgumentException("epochLength must be a multiple of challengeInterval (" + challengeInterval + "), got " + epochLength);
      }
      checkPercent("secureThresholdPercent", secureThresholdPercent);
      checkPercent("superThresholdPercent", superThresholdPercent);
      Objects.requireNonNull(secureBond, "secureBond");
      Objects.requireNonNull(superBond, "superBond");
      if (unbondingDelay < 0) {
        throw new IllegalArgumentException("unbondingDelay cannot be negative, got " + unbondingDelay);
      }
      Objects.requireNonNull(share, "share");
      if (maxPenalty < 0 || maxPenalty > 100) {
        throw new IllegalArgumentException("maxPenalty must be 0 to 100, got " + maxPenalty);
      }
    }

    private static void checkPercent(String field, int value) {
      if (value < 0 || value > 100) {
        throw new IllegalArgumentException(field + " must be 0 to 100, got " + value);
      }
    }

    /** Challenge windows per epoch. */
    public long windowsPerEpoch() {
      return epochLength / challengeInterval;
    }

    /** The epoch of the block at {@code height} (blocks 1 to epochLength are epoch 0). */
    public long epochOf(long height) {
      return (height - 1) / epochLength;
    }

    /** The window of the block at {@code height} within its epoch, from 0. */
    public long windowOf(long height) {
      return ((height - 1) % epochLength) / challengeInterval;
    }

    /** The threshold of {@code tier} in percent. */
    public int thresholdPercent(Role tier) {
      return tier == Role.SUPER_NODE ? superThresholdPercent : secureThresholdPercent;
    }

    /** The bond of {@code tier}. */
    public Amount bond(Role tier) {
      return tier == Role.SUPER_NODE ? superBond : secureBond;
    }

    /** Whether {@code answered} of an epoch's windows meets {@code tier}'s threshold (exact integers). */
    public boolean meetsThreshold(Role tier, long answered) {
      return answered * 100 >= (long) thresholdPercent(tier) * windowsPerEpoch();
    }
  }

  private final List<Era> eras;
  private final AccountId treasury;
  private final Map<String, AccountId> customPools;
  private final ProducerRule producers;
  private final ServiceRules service;
  private final String rule;

  private IncentivePolicy(List<Era> eras, AccountId treasury, Map<String, AccountId> customPools, ProducerRule producers, ServiceRules service,
      String rule) {
    this.treasury = treasury;
    this.customPools = Collections.unmodifiableMap(new TreeMap<>(customPools));
    this.producers = Objects.requireNonNull(producers, "producers");
    this.service = Objects.requireNonNull(service, "service");
    if (rule == null || rule.isBlank() || rule.length() > 64) {
      throw new IllegalArgumentException("rule must name a reward rule in 1 to 64 characters, got " + rule);
    }
    this.rule = rule;
    List<Era> sorted = new ArrayList<>(eras);
    sorted.sort(Comparator.comparingLong(Era::fromHeight));
    if (sorted.isEmpty() || sorted.get(0).fromHeight() != 1) {
      throw new IllegalArgumentException("eras must include one from height 1");
    }
    for (int i = 0; i < sorted.size(); i++) {
      Era e = sorted.get(i);
      String at = "eras[" + i + "] (from height " + e.fromHeight() + ")";
      if (i > 0 && e.fromHeight() == sorted.get(i - 1).fromHeight()) {
        throw new IllegalArgumentException(at + ": two eras start at height " + e.fromHeight());
      }
      for (String pool : e.shares().keySet()) {
        if (!BUILT_IN.contains(pool) && !customPools.containsKey(pool)) {
          throw new IllegalArgumentException(at + ".shares." + pool + ": no such pool (built in: " + BUILT_IN + ", custom: "
              + customPools.keySet() + ")");
        }
      }
      if (treasury == null && e.fees() == FeeRule.TREASURY) {
        throw new IllegalArgumentException(at + ".fees: TREASURY needs a treasury account");
      }
      if (treasury == null && e.share(TREASURY) > 0) {
        throw new IllegalArgumentException(at + ".shares.treasury: a treasury share needs a treasury account");
      }
    }
    for (String pool : customPools.keySet()) {
      if (BUILT_IN.contains(pool) || pool.isBlank() || pool.length() > 64) {
        throw new IllegalArgumentException("customPools." + pool + ": a custom pool needs a name of 1 to 64 characters other than " + BUILT_IN);
      }
      Objects.requireNonNull(customPools.get(pool), "customPools." + pool);
    }
    this.eras = List.copyOf(sorted);
  }

  /** A chain with no currency: nothing minted, fees (if any are paid) burnt, no service epochs to earn in. */
  public static IncentivePolicy none() {
    return builder().era(new Era(1, Subsidy.NONE, new TreeMap<>(Map.of(PRODUCERS, 1L)), 1, FeeRule.BURN)).build();
  }

  /** Nothing minted; every fee to {@code treasury}. The simplest policy of a chain with a currency. */
  public static IncentivePolicy feesTo(AccountId treasury) {
    return builder().treasury(treasury).era(new Era(1, Subsidy.NONE, new TreeMap<>(Map.of(TREASURY, 1L)), 1, FeeRule.TREASURY)).build();
  }

  /**
   * Horizen's history as eras, in zatoshi (10^-8 ZEN): 12.5 ZEN a block halved every 840,000 blocks, fees to the
   * producers; the foundation (here the treasury) took 8.5% from the start, 12% from block 139,200; Secure and
   * Super Nodes got 10% each and the foundation 10% from block 344,700; the foundation 20% from block 455,555,
   * leaving the producers 60%.
   */
  public static IncentivePolicy horizen(AccountId treasury) {
    Subsidy zen = Subsidy.halving(Amount.of(1_250_000_000L), 840_000);
    return builder().treasury(treasury)
        .era(era(1, zen, 915, 0, 0, 85, FeeRule.PRODUCERS))
        .era(era(139_200, zen, 880, 0, 0, 120, FeeRule.PRODUCERS))
        .era(era(344_700, zen, 700, 100, 100, 100, FeeRule.PRODUCERS))
        .era(era(455_555, zen, 600, 100, 100, 200, FeeRule.PRODUCERS))
        .producers(ProducerRule.PROPOSER)
        .build();
  }

  /**
   * The product's default from height 1: {@code subsidy} per block shared producers 60%, Secure Nodes 10%, Super
   * Nodes 10%, treasury 20%, fees shared the same way, producers' pool to the signers of each commit.
   */
  public static IncentivePolicy standard(AccountId treasury, Subsidy subsidy) {
    return builder().treasury(treasury).era(era(1, subsidy, 600, 100, 100, 200, FeeRule.SHARED)).build();
  }

  private static Era era(long from, Subsidy subsidy, long producers, long secure, long superNodes, long treasury, FeeRule fees) {
    TreeMap<String, Long> shares = new TreeMap<>();
    shares.put(PRODUCERS, producers);
    shares.put(SECURE_NODES, secure);
    shares.put(SUPER_NODES, superNodes);
    shares.put(TREASURY, treasury);
    return new Era(from, subsidy, shares, 1000, fees);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The eras, sorted by height, the first from height 1. */
  public List<Era> eras() {
    return eras;
  }

  /** The era in force at {@code height}. */
  public Era eraAt(long height) {
    Era current = eras.get(0);
    for (Era e : eras) {
      if (e.fromHeight() <= height) {
        current = e;
      }
    }
    return current;
  }

  /** The index in {@link #eras()} of the era in force at {@code height}. */
  public int eraIndexAt(long height) {
    return eras.indexOf(eraAt(height));
  }

  /** The treasury account, if the chain has one. */
  public Optional<AccountId> treasury() {
    return Optional.ofNullable(treasury);
  }

  /** Custom pools by name, each paid whole to its account. */
  public Map<String, AccountId> customPools() {
    return customPools;
  }

  public ProducerRule producers() {
    return producers;
  }

  public ServiceRules service() {
    return service;
  }

  /** The name of the {@code RewardRule} that computes the payouts; {@link #DEFAULT_RULE} implements this policy. */
  public String rule() {
    return rule;
  }

  /** Whether this policy ever mints, shares a fee with a pool, or pays service nodes (false for {@link #none()}). */
  public boolean pays() {
    for (Era e : eras) {
      if (!e.subsidy().initial().isZero() || e.fees() != FeeRule.BURN) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IncentivePolicy p && eras.equals(p.eras) && Objects.equals(treasury, p.treasury) && customPools.equals(p.customPools)
        && producers == p.producers && service.equals(p.service) && rule.equals(p.rule);
  }

  @Override
  public int hashCode() {
    return Objects.hash(eras, treasury, customPools, producers, service, rule);
  }

  @Override
  public String toString() {
    return "IncentivePolicy[rule=" + rule + ", treasury=" + treasury + ", producers=" + producers + ", eras=" + eras + ", customPools="
        + customPools + ", service=" + service + "]";
  }

  /** Builds a policy; {@link #build()} validates it. */
  public static final class Builder {
    private final List<Era> eras = new ArrayList<>();
    private AccountId treasury;
    private final Map<String, AccountId> customPools = new LinkedHashMap<>();
    private ProducerRule producers = ProducerRule.SIGNERS;
    private ServiceRules service = ServiceRules.DEFAULTS;
    private String rule = DEFAULT_RULE;

    private Builder() {}

    public Builder era(Era era) {
      eras.add(Objects.requireNonNull(era, "era"));
      return this;
    }

    public Builder treasury(AccountId treasury) {
      this.treasury = Objects.requireNonNull(treasury, "treasury");
      return this;
    }

    /** A pool paid whole to {@code account}, which eras may give a share. */
    public Builder customPool(String name, AccountId account) {
      customPools.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(account, "account"));
      return this;
    }

    /** Who shares the producers' pool; default {@link ProducerRule#SIGNERS}. */
    public Builder producers(ProducerRule producers) {
      this.producers = Objects.requireNonNull(producers, "producers");
      return this;
    }

    /** The service-node rules; default {@link ServiceRules#DEFAULTS}. */
    public Builder service(ServiceRules service) {
      this.service = Objects.requireNonNull(service, "service");
      return this;
    }

    /** The reward rule by name; default {@link #DEFAULT_RULE}. */
    public Builder rule(String rule) {
      this.rule = Objects.requireNonNull(rule, "rule");
      return this;
    }

    /** @throws IllegalArgumentException naming the field that is wrong */
    public IncentivePolicy build() {
      return new IncentivePolicy(eras, treasury, customPools, producers, service, rule);
    }
  }
}
