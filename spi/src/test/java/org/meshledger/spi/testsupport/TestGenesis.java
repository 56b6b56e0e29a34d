package org.meshledger.spi.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;

/**
 * A genesis for tests and the keys of its members: member {@code i} is named {@code node-i} and holds
 * {@link #key(int) key(i)}; the first {@code validators} members validate, the next {@code observers} observe, and
 * members added with {@link Builder#members(int, Role...)} come last with the roles given there. What tests vary is
 * set on the {@link Builder}; everything else is fixed unless set (genesis time {@link #TIME}, permissioned,
 * {@link IncentivePolicy#feesTo} member 0's account unless a treasury is named).
 *
 * <pre>{@code
 * TestGenesis net = TestGenesis.chain("ledger-it").validators(4).observers(2).fund(alice, 1_000).fast().build();
 * Node node = Node.builder().genesis(net.genesis()).identity(net.key(0))...
 * }</pre>
 *
 * @param genesis the genesis
 * @param keys the members' keys, in member order
 */
public record TestGenesis(Genesis genesis, List<KeyPair> keys) {
  /** The genesis time of every test genesis. */
  public static final Instant TIME = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * Consensus paced for tests on loopback: 300 ms propose, 200 ms votes, +100 ms a round, 50 ms between blocks, a
   * block each 150 ms while idle, 1,000 transactions a block.
   */
  public static final ConsensusParameters FAST = new ConsensusParameters(Duration.ofMillis(300), Duration.ofMillis(200),
      Duration.ofMillis(100), Duration.ofMillis(50), Duration.ofMillis(150), 1000);

  public TestGenesis {
    keys = List.copyOf(keys);
  }

  /** A builder for a genesis of chain {@code chainId}: one validator, no observer, no balance, default consensus. */
  public static Builder chain(String chainId) {
    return new Builder(chainId);
  }

  /** The key of member {@code i} ({@code node-i}). */
  public KeyPair key(int i) {
    return keys.get(i);
  }

  /** The chain id. */
  public String chainId() {
    return genesis.chainId();
  }

  /** Number of members. */
  public int size() {
    return keys.size();
  }

  /** What tests vary in a genesis; {@link #build()} makes the keys and the genesis. */
  public static final class Builder {
    private final String chainId;
    private int validators = 1;
    private int observers;
    private final List<Set<Role>> others = new ArrayList<>();
    private final List<KeyPair> given = new ArrayList<>();
    private final Map<AccountId, Amount> balances = new LinkedHashMap<>();
    private ConsensusParameters consensus = ConsensusParameters.DEFAULTS;
    private boolean permissioned = true;
    private AccountId treasury;
    private IncentivePolicy incentives;
    private SplittableRandom keySeed;
    private Instant genesisTime = TIME;

    private Builder(String chainId) {
      this.chainId = Objects.requireNonNull(chainId, "chainId");
    }

    /** Number of validators (members {@code 0 .. n-1}); at least 1. */
    public Builder validators(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("a genesis needs at least 1 validator, got " + n);
      }
      validators = n;
      return this;
    }

    /** Number of observers (members after the validators). */
    public Builder observers(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("observers cannot be negative, got " + n);
      }
      observers = n;
      return this;
    }

    /**
     * {@code n} more members holding {@code roles}, after the validators, the observers and the members added before:
     * service nodes ({@link Role#SECURE_NODE}, {@link Role#SUPER_NODE}) or members of several roles. Validators are
     * counted with {@link #validators(int)} only, so that they stay members {@code 0 .. n-1}.
     */
    public Builder members(int n, Role... roles) {
      if (n < 0) {
        throw new IllegalArgumentException("members cannot be negative, got " + n);
      }
      Set<Role> set = Set.of(roles);
      if (set.isEmpty() || set.contains(Role.VALIDATOR)) {
        throw new IllegalArgumentException("members(n, roles) takes at least one role and not VALIDATOR (count validators with"
            + " validators(n)), got " + set);
      }
      for (int i = 0; i < n; i++) {
        others.add(set);
      }
      return this;
    }

    /** The keys of the first members, in order, for a test that already holds them; the others are generated. */
    public Builder keys(KeyPair... keys) {
      given.addAll(List.of(keys));
      return this;
    }

    /** Generated keys come from this seed (the same seed gives the same members), not from a secure random. */
    public Builder keySeed(long seed) {
      keySeed = new SplittableRandom(seed);
      return this;
    }

    /** A genesis balance of {@code amount} for {@code account}. */
    public Builder fund(AccountId account, long amount) {
      balances.put(account, Amount.of(amount));
      return this;
    }

    /** A genesis balance of {@code amount} for each of {@code keys}' accounts. */
    public Builder fund(long amount, KeyPair... keys) {
      for (KeyPair k : keys) {
        fund(k.accountId(), amount);
      }
      return this;
    }

    /** The consensus parameters ({@link ConsensusParameters#DEFAULTS} unless set). */
    public Builder consensus(ConsensusParameters parameters) {
      consensus = Objects.requireNonNull(parameters, "parameters");
      return this;
    }

    /** Consensus paced for tests: {@link TestGenesis#FAST}. */
    public Builder fast() {
      return consensus(FAST);
    }

    /** The genesis time ({@link TestGenesis#TIME} unless set); whole milliseconds, as a genesis requires. */
    public Builder genesisTime(Instant time) {
      genesisTime = Objects.requireNonNull(time, "time");
      return this;
    }

    /** Open mode: anyone may connect (permissioned unless called). */
    public Builder open() {
      permissioned = false;
      return this;
    }

    /** Where the treasury's share goes (member 0's account unless set). */
    public Builder treasury(AccountId account) {
      treasury = Objects.requireNonNull(account, "account");
      return this;
    }

    /** The incentive policy; default {@link IncentivePolicy#feesTo} the treasury (or the first key). */
    public Builder incentives(IncentivePolicy incentives) {
      this.incentives = incentives;
      return this;
    }

    /** Makes the missing keys and the genesis. */
    public TestGenesis build() {
      int size = validators + observers + others.size();
      if (given.size() > size) {
        throw new IllegalArgumentException(given.size() + " keys given for " + size + " members: raise validators, observers or members");
      }
      List<KeyPair> keys = new ArrayList<>(given);
      while (keys.size() < size) {
        keys.add(keySeed == null ? KeyPair.generate() : seeded(keySeed));
      }
      List<Member> members = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        Set<Role> roles = i < validators ? Set.of(Role.VALIDATOR)
            : i < validators + observers ? Set.of(Role.OBSERVER) : others.get(i - validators - observers);
        members.add(new Member("node-" + i, keys.get(i).nodeId(), roles));
      }
      AccountId pays = treasury != null ? treasury : keys.get(0).accountId();
      Genesis genesis = new Genesis(chainId, genesisTime, permissioned, members, consensus,
          incentives != null ? incentives : IncentivePolicy.feesTo(pays), Map.copyOf(balances));
      return new TestGenesis(genesis, keys);
    }

    private static KeyPair seeded(SplittableRandom random) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      return KeyPair.fromSeed(seed);
    }
  }
}
