package org.meshledger.impl.incentives;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.meshledger.IncentivePolicy;
import org.meshledger.IncentiveReport.ServiceOutcome;
import org.meshledger.IncentiveReport;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Payload;
import org.meshledger.chain.TransactionResult;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;
import org.meshledger.spi.Payout;
import org.meshledger.spi.RewardContext;
import org.meshledger.spi.RewardRule;

/**
 * Applies a chain's {@link IncentivePolicy} during execution, the same way on every node: collects each block's
 * fees, runs the service-node transactions (registration, exit, challenge answers), and at the block's end has the
 * {@link RewardRule} pay for it, closing the epoch when it ends. Sans-IO: it reads and writes through
 * {@link State} and reads old blocks through {@link History}. Its own state is the ledger record
 * {@link IncentiveState#KEY}; tier pools accrue in {@linkplain #pool(String) pool accounts} and bonds in
 * {@link #ESCROW}, so the sum of all balances is always the total supply.
 */
public final class Incentives {
  /** The account that holds every locked bond. Nobody holds its key: it is a hash, not a public key. */
  public static final AccountId ESCROW = system("meshledger/escrow/bonds");

  /** The state execution reads and writes. */
  public interface State {
    AccountState account(AccountId account);

    void put(AccountId account, AccountState state);

    Optional<byte[]> record(String key);

    void putRecord(String key, byte[] value);
  }

  /** Reads the material of old blocks (see {@link Challenges#material}). */
  public interface History {
    /** The material of the block at {@code height}, at least 1 and below the executing block. */
    Hash material(long height);
  }

  private final String chainId;
  private final Hash genesisHash;
  private final List<Member> members;
  private final IncentivePolicy policy;
  private final RewardRule rule;
  /** {@link #initial()}'s encoding: what a block compares its state with when no block wrote the record yet. */
  private byte[] initialEncoded;

  /**
   * @param chainId the chain's id
   * @param genesisHash the genesis hash (the first window's challenge derives from it)
   * @param members the genesis members: those with a service role are registered from the start
   * @param policy the chain's policy
   * @param rule the reward rule the policy names
   */
  public Incentives(String chainId, Hash genesisHash, List<Member> members, IncentivePolicy policy, RewardRule rule) {
    this.chainId = Objects.requireNonNull(chainId, "chainId");
    this.genesisHash = Objects.requireNonNull(genesisHash, "genesisHash");
    this.members = List.copyOf(members);
    this.policy = Objects.requireNonNull(policy, "policy");
    this.rule = Objects.requireNonNull(rule, "rule");
    if (!rule.name().equals(policy.rule())) {
      throw new IllegalArgumentException("the policy names reward rule '" + policy.rule() + "' but '" + rule.name() + "' was given");
    }
  }

  /** The incentives of {@code genesis}, computed by {@code rule}. */
  public static Incentives of(Genesis genesis, RewardRule rule) {
    return new Incentives(genesis.chainId(), genesis.hash(), genesis.members(), genesis.incentives(), rule);
  }

  public String chainId() {
    return chainId;
  }

  public IncentivePolicy policy() {
    return policy;
  }

  /** The account of a tier's pool, where its share accrues until the epoch ends. */
  public static AccountId pool(String name) {
    return system("meshledger/pool/" + name);
  }

  private static AccountId system(String name) {
    return new AccountId(Hash.sha256(name.getBytes(StandardCharsets.UTF_8)).bytes());
  }

  /** The incentive state in {@code state}, or the genesis's (its service nodes registered) if no block wrote one. */
  public IncentiveState read(State state) {
    return state.record(IncentiveState.KEY).map(IncentiveState::decode).orElseGet(this::initial);
  }

  private byte[] initialEncoded() {
    if (initialEncoded == null) {
      initialEncoded = initial().encode(); // once: a chain that pays nothing compares with it every block
    }
    return initialEncoded;
  }

  /** The state before any block: the genesis's service nodes registered, nothing minted. */
  public IncentiveState initial() {
    List<ServiceNode> nodes = new ArrayList<>();
    for (Member m : members) {
      Role tier = m.has(Role.SUPER_NODE) ? Role.SUPER_NODE : m.has(Role.SECURE_NODE) ? Role.SECURE_NODE : null;
      if (tier != null) {
        nodes.add(ServiceNode.registered(m.account(), tier, Amount.ZERO, 0));
      }
    }
    return IncentiveState.EMPTY.withNodes(nodes);
  }

  /** Starts the block at {@code height}, whose previous block's hash is {@code previousHash}. */
  public BlockRun begin(State state, long height, Hash previousHash) {
    return new BlockRun(state, height, previousHash);
  }

  /** One block's run: call the transaction methods in block order, then {@link #end} once. */
  public final class BlockRun {
    private final State state;
    private final long height;
    private final byte[] before;
    private IncentiveState s;
    private Amount fees = Amount.ZERO;

    private BlockRun(State state, long height, Hash previousHash) {
      this.state = state;
      this.height = height;
      Optional<byte[]> stored = state.record(IncentiveState.KEY);
      this.before = stored.orElse(null);
      this.s = stored.map(IncentiveState::decode).orElseGet(Incentives.this::initial);
      IncentivePolicy.ServiceRules rules = policy.service();
      if (!s.nodes().isEmpty() && Challenges.startsWindow(rules, height)) {
        Hash anchor = height == 1 ? genesisHash : previousHash;
        s = s.withChallenge(Challenges.window(chainId, rules, height, anchor));
      }
    }

    /** A fee the block's transaction paid (already taken from its sender). */
    public void fee(Amount fee) {
      fees = fees.plus(fee);
    }

    /** Registers {@code sender} as a service node of {@code tier}, locking the bond; the fee is paid already. */
    public TransactionResult register(AccountId sender, Role tier) {
      String pool = tier == Role.SUPER_NODE ? IncentivePolicy.SUPER_NODES : IncentivePolicy.SECURE_NODES;
      if (policy.eras().stream().noneMatch(e -> e.share(pool) > 0)) {
        return TransactionResult.failed("no era of this chain's incentive policy gives the " + pool + " pool a share: a "
            + tier.jsonName() + " would lock its bond and earn nothing");
      }
      ServiceNode existing = s.node(sender);
      if (existing != null) {
        return TransactionResult.failed(existing.leaving() ? "still leaving the service nodes: its bond returns at block "
            + (existing.exitHeight() + policy.service().unbondingDelay()) + "; register again after that"
            : "already registered as " + existing.tier().jsonName());
      }
      Amount bond = policy.service().bond(tier);
      AccountState from = state.account(sender);
      if (from.balance().compareTo(bond) < 0) {
        return TransactionResult.failed("balance " + from.balance() + " after the fee cannot lock the " + tier.jsonName() + " bond of " + bond);
      }
      if (!bond.isZero()) {
        state.put(sender, new AccountState(from.balance().minus(bond), from.nextNonce()));
        credit(ESCROW, bond);
      }
      s = s.withNode(ServiceNode.registered(sender, tier, bond, height));
      return TransactionResult.accepted();
    }

    /** Starts {@code sender}'s exit. */
    public TransactionResult exit(AccountId sender) {
      ServiceNode n = s.node(sender);
      if (n == null) {
        return TransactionResult.failed("not a registered service node");
      }
      if (n.leaving()) {
        return TransactionResult.failed("already leaving since block " + n.exitHeight());
      }
      s = s.withNode(n.exiting(height));
      return TransactionResult.accepted();
    }

    /** Checks and counts {@code sender}'s answer to the open challenge. */
    public TransactionResult answer(AccountId sender, Payload.ChallengeResponse r, History history) {
      IncentivePolicy.ServiceRules rules = policy.service();
      ServiceNode n = s.node(sender);
      if (n == null) {
        return TransactionResult.failed("rejected challenge response: " + sender + " is not a registered service node");
      }
      if (n.leaving()) {
        return TransactionResult.failed("rejected challenge response: the node is leaving the service nodes since block " + n.exitHeight());
      }
      Challenges.Window open = s.challenge();
      long epoch = rules.epochOf(height);
      long window = rules.windowOf(height);
      if (open == null || open.epoch() != epoch || open.window() != window) {
        return TransactionResult.failed("rejected challenge response: no challenge is open at block " + height);
      }
      if (r.epoch() != epoch || !r.challenge().equals(open.challenge())) {
        Challenges.Window prev = s.previous();
        boolean late = r.epoch() < epoch || prev != null && r.epoch() == prev.epoch() && r.challenge().equals(prev.challenge());
        return TransactionResult.failed("rejected challenge response: " + (late ? "late" : "wrong challenge") + ": it answers epoch " + r.epoch()
            + " challenge " + r.challenge() + ", the open one is window " + window + " of epoch " + epoch + " (" + open.challenge() + ")");
      }
      long windowStart = height - (height - 1) % rules.challengeInterval();
      if (n.registeredHeight() >= windowStart) {
        return TransactionResult.failed("rejected challenge response: registered at block " + n.registeredHeight()
            + ", in this window; answers count from the next window");
      }
      long index = open.index(rules);
      if (n.lastAnswered() == index) {
        return TransactionResult.failed("rejected challenge response: replayed: window " + window + " of epoch " + epoch + " is answered already");
      }
      Hash material = open.target() == 0 ? genesisHash : history.material(open.target());
      byte[] expected = Challenges.proof(chainId, open, sender, material);
      if (!Arrays.equals(expected, r.proof())) {
        return TransactionResult.failed("rejected challenge response: wrong proof for window " + window + " of epoch " + epoch + " (over block "
            + open.target() + ")");
      }
      s = s.withNode(n.answered(index));
      return TransactionResult.accepted();
    }

    /**
     * Pays for the block and, at an epoch's last block, closes the epoch; writes the state record if it changed.
     * The rule is called once for the block (subsidy and fees, the tier pools accruing their parts) and, at an
     * epoch's end, once more with the epoch's evidence and the pools, which then hold this block's parts too.
     */
    public void end(AccountId proposer, List<AccountId> signers) {
      IncentivePolicy.ServiceRules rules = policy.service();
      IncentivePolicy.Era era = policy.eraAt(height);
      Amount subsidy = era.subsidy().at(height);
      Payout block = pay(new RewardContext(height, policy, era, proposer, signers, subsidy, fees, Optional.empty()));
      s = s.withTotals(s.minted().plus(subsidy), s.burnt(), s.epochRewards());
      if (Challenges.endsEpoch(rules, height)) {
        long epochStart = height - rules.epochLength() + 1;
        TreeMap<String, Amount> pools = new TreeMap<>();
        for (String pool : List.of(IncentivePolicy.SECURE_NODES, IncentivePolicy.SUPER_NODES)) {
          AccountId account = pool(pool);
          AccountState held = state.account(account);
          if (!held.balance().isZero()) {
            pools.put(pool, held.balance());
            state.put(account, new AccountState(Amount.ZERO, held.nextNonce()));
          }
        }
        List<RewardContext.ServiceStanding> standings = new ArrayList<>();
        for (ServiceNode n : s.nodes()) {
          boolean whole = n.registeredHeight() < epochStart;
          boolean eligible = whole && !n.leaving() && rules.meetsThreshold(n.tier(), n.answered());
          standings.add(new RewardContext.ServiceStanding(n.account(), n.tier(), n.answered(), rules.windowsPerEpoch(), n.penalty(), eligible));
        }
        RewardContext.EpochEvidence evidence = new RewardContext.EpochEvidence(rules.epochOf(height), pools, standings);
        Payout service = pay(new RewardContext(height, policy, era, proposer, signers, Amount.ZERO, Amount.ZERO, Optional.of(evidence)));
        closeEpoch(rules, epochStart, evidence, service);
      }
      releaseBonds(rules);
      byte[] after = s.encode();
      if (!Arrays.equals(before != null ? before : initialEncoded(), after)) {
        state.putRecord(IncentiveState.KEY, after);
      }
    }

    /** Has the rule pay for {@code context}, checks its contract, and applies the payout. */
    private Payout pay(RewardContext context) {
      Payout payout = rule.payout(context);
      if (!payout.total().equals(context.available())) {
        throw new IllegalStateException("reward rule '" + rule.name() + "' broke its contract at block " + height + ": it paid " + payout.total()
            + " of " + context.available() + " (subsidy " + context.subsidy() + ", fees " + context.fees() + ", released pools "
            + context.epochEnd().map(e -> e.pools().toString()).orElse("none") + ")");
      }
      TreeMap<AccountId, Amount> rewards = new TreeMap<>(s.epochRewards());
      payout.credits().forEach((a, v) -> {
        credit(a, v);
        rewards.merge(a, v, Amount::plus);
      });
      payout.accrued().forEach((p, v) -> credit(pool(p), v));
      s = s.withTotals(s.minted(), s.burnt().plus(payout.burnt()), rewards);
      return payout;
    }

    private void closeEpoch(IncentivePolicy.ServiceRules rules, long epochStart, RewardContext.EpochEvidence evidence, Payout service) {
      List<IncentiveReport.ServiceResult> results = new ArrayList<>();
      List<ServiceNode> next = new ArrayList<>();
      for (int i = 0; i < s.nodes().size(); i++) {
        ServiceNode n = s.nodes().get(i);
        boolean met = rules.meetsThreshold(n.tier(), n.answered());
        ServiceOutcome outcome;
        int penalty = n.penalty();
        boolean failed = false;
        if (n.leaving()) {
          outcome = ServiceOutcome.LEAVING;
        } else if (n.registeredHeight() >= epochStart) {
          outcome = ServiceOutcome.JOINED_MID_EPOCH;
        } else if (met) {
          outcome = penalty > 0 && rules.maxPenalty() > 0 ? ServiceOutcome.PENALISED : ServiceOutcome.EARNED;
          penalty = Math.max(0, penalty - 1);
        } else {
          outcome = ServiceOutcome.BELOW_THRESHOLD;
          failed = true;
          if (n.failedLast()) {
            penalty = Math.min(rules.maxPenalty(), penalty + 2);
          }
        }
        results.add(new IncentiveReport.ServiceResult(n.account(), n.tier(), n.answered(), rules.windowsPerEpoch(), outcome, penalty,
            service.credits().getOrDefault(n.account(), Amount.ZERO)));
        next.add(n.nextEpoch(penalty, failed));
      }
      if (!results.isEmpty() || !s.epochRewards().isEmpty()) { // a chain that pays nothing writes nothing
        state.putRecord(EpochRecord.key(evidence.epoch()), EpochRecord.encode(new IncentiveReport.EpochRewards(evidence.epoch(), height,
            s.epochRewards(), results)));
      }
      s = new IncentiveState(s.minted(), s.burnt(), s.challenge(), s.previous(), next, new TreeMap<>());
    }

    private void releaseBonds(IncentivePolicy.ServiceRules rules) {
      List<ServiceNode> kept = new ArrayList<>();
      boolean released = false;
      for (ServiceNode n : s.nodes()) {
        if (n.leaving() && height >= n.exitHeight() + rules.unbondingDelay()) {
          if (!n.bond().isZero()) {
            AccountState escrow = state.account(ESCROW);
            state.put(ESCROW, new AccountState(escrow.balance().minus(n.bond()), escrow.nextNonce()));
            credit(n.account(), n.bond());
          }
          released = true;
        } else {
          kept.add(n);
        }
      }
      if (released) {
        s = s.withNodes(kept);
      }
    }

    private void credit(AccountId account, Amount amount) {
      if (amount.isZero()) {
        return;
      }
      AccountState to = state.account(account);
      state.put(account, new AccountState(to.balance().plus(amount), to.nextNonce()));
    }
  }
}
