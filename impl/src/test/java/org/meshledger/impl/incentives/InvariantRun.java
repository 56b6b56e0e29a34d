package org.meshledger.impl.incentives;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.meshledger.IncentivePolicy;
import org.meshledger.IncentiveReport;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Payload;
import org.meshledger.chain.TransactionResult;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;
import org.meshledger.impl.ledger.BlockExecution;
import org.meshledger.impl.ledger.Executor;
import org.meshledger.spi.RewardRules;
import org.meshledger.spi.contract.TestChain;

/**
 * One seeded run: a random policy and cast, then {@code blocks} blocks of {@link Traffic}, each certified by
 * {@link TestChain}, executed and appended by two {@link StoreNode}s (the in-memory store with a
 * {@link DefaultRewardRule} and H2 with the rule found by name, as a node finds it; H2 restarts once), with every
 * invariant checked after every block. Everything random comes from the seed.
 */
final class InvariantRun implements AutoCloseable {
  static final String CHAIN = "invariants";

  /** What runs did, counted by name: blocks, epochs, transactions by result and kind, service results by outcome. */
  static final class Figures {
    private final TreeMap<String, Long> counts = new TreeMap<>();

    void add(String what, long n) {
      counts.merge(what, n, Long::sum);
    }

    long get(String what) {
      return counts.getOrDefault(what, 0L);
    }

    void addAll(Figures other) {
      other.counts.forEach(this::add);
    }

    @Override
    public String toString() {
      return counts.toString();
    }
  }

  private final long seed;
  private final int blocks;
  private final TestChain chain;
  private final IncentivePolicy policy;
  private final Amount genesisSupply;
  private final Map<AccountId, Amount> balances = new TreeMap<>();
  private final TreeSet<AccountId> accounts = new TreeSet<>();
  private final List<AccountId> validators = new ArrayList<>();
  private final StoreNode memory;
  private final StoreNode h2;
  private final ServiceModel model;
  private final Traffic traffic;
  private final EpochAudit audit;
  private final long restartAt;
  private long minted;
  private final Figures figures = new Figures();

  InvariantRun(long seed, int blocks, Path dir) {
    this.seed = seed;
    this.blocks = blocks;
    Random r = new Random(seed);
    chain = new TestChain(CHAIN, seed);
    KeyPair treasury = Traffic.key(seed, "treasury");
    List<KeyPair> custom = List.of(Traffic.key(seed, "custom-0"), Traffic.key(seed, "custom-1"));
    policy = RandomPolicies.draw(r, blocks, treasury.accountId(), custom.stream().map(KeyPair::accountId).toList());
    List<KeyPair> spenders = new ArrayList<>(chain.users());
    chain.users().forEach(u -> balances.put(u.accountId(), Amount.of(TestChain.INITIAL_BALANCE)));
    List<Member> members = new ArrayList<>();
    Map<AccountId, Role> genesisTiers = new TreeMap<>();
    List<KeyPair> service = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      KeyPair k = Traffic.key(seed, "genesis-service-" + i);
      Role tier = r.nextBoolean() ? Role.SECURE_NODE : Role.SUPER_NODE;
      members.add(Member.of("genesis-service-" + i, k.nodeId(), tier));
      genesisTiers.put(k.accountId(), tier);
      service.add(k);
      balances.put(k.accountId(), Amount.of(r.nextInt(50_000)));
    }
    for (int i = 2 + r.nextInt(3); i > 0; i--) {
      KeyPair k = Traffic.key(seed, "candidate-" + i);
      service.add(k);
      balances.put(k.accountId(), Amount.of(r.nextInt((int) Math.min(2 * policy.service().superBond().units() + 1, 100_000))));
    }
    List<KeyPair> observers = List.of(Traffic.key(seed, "observer-0"), Traffic.key(seed, "observer-1"));
    observers.forEach(o -> balances.put(o.accountId(), Amount.of(10_000)));
    KeyPair poor = Traffic.key(seed, "poor");
    balances.put(poor.accountId(), Amount.of(3));
    spenders.addAll(service);
    spenders.addAll(observers);
    spenders.add(treasury);
    spenders.addAll(custom);
    genesisSupply = balances.values().stream().reduce(Amount.ZERO, Amount::plus);

    Incentives incentives = new Incentives(CHAIN, chain.genesisHash(), members, policy, new DefaultRewardRule());
    Incentives byName = new Incentives(CHAIN, chain.genesisHash(), members, policy, RewardRules.find(policy.rule()));
    memory = new StoreNode("memory", chain.context(dir.resolve("memory")), balances, incentives, Traffic.VALIDATOR);
    h2 = new StoreNode("h2", chain.context(dir.resolve("h2")), balances, byName, Traffic.VALIDATOR);
    model = new ServiceModel(CHAIN, chain.genesisHash(), policy, genesisTiers);
    audit = new EpochAudit(policy);

    List<AccountId> targets = new ArrayList<>();
    spenders.forEach(k -> targets.add(k.accountId()));
    targets.add(poor.accountId());
    chain.validators().validators().forEach(v -> validators.add(new AccountId(v.key())));
    targets.addAll(validators);
    targets.add(Incentives.pool(IncentivePolicy.SECURE_NODES));
    targets.add(Incentives.pool(IncentivePolicy.SUPER_NODES));
    accounts.addAll(targets);
    accounts.add(Incentives.ESCROW);
    accounts.addAll(balances.keySet());
    traffic = new Traffic(new Random(seed * 31 + 17), CHAIN, chain.genesisHash(), memory, model, policy.service(), spenders, service, observers, poor,
        targets);
    restartAt = 1 + r.nextInt(blocks);
  }

  /** The run's setting, for a failure message. */
  String describe() {
    return "policy " + policy + ", genesis service nodes " + model.nodes().size() + ", H2 restarts after block " + restartAt;
  }

  Figures run() {
    Hash last = chain.genesisHash();
    for (long h = 1; h <= blocks; h++) {
      last = step(h, last);
    }
    IncentiveState s = memory.incentiveState();
    figures.add("blocks", blocks);
    figures.add("eras", policy.eras().size());
    figures.add("epochs", blocks / policy.service().epochLength());
    figures.add("minted", s.minted().units());
    figures.add("burnt", s.burnt().units());
    return figures;
  }

  /** Plans, certifies, executes and appends block {@code h} on both nodes and checks everything; returns its hash. */
  private Hash step(long h, Hash last) {
    String at = "seed " + seed + ", block " + h;
    List<Traffic.Planned> planned = traffic.plan(h, last);
    Block block = chain.block(CHAIN, h, last, planned.stream().map(Traffic.Planned::tx).toList());
    Map<String, Long> poolsBefore = pools(memory);
    Map<AccountId, Long> balancesBefore = new HashMap<>();
    accounts.forEach(a -> balancesBefore.put(a, memory.balance(a)));
    SortedMap<AccountId, Amount> creditsBefore = memory.incentiveState().epochRewards();
    BlockExecution a = memory.execute(block);
    BlockExecution b = h2.execute(block);
    assertThat(b.results()).as("%s: the two nodes' results", at).isEqualTo(a.results());
    assertThat(b.changes()).as("%s: the two nodes' state changes", at).isEqualTo(a.changes());
    assertThat(b.stateDigest()).as("%s: the two nodes' state digests", at).isEqualTo(a.stateDigest());
    long fees = 0;
    Map<String, Long> poolTransfers = new HashMap<>();
    for (int i = 0; i < planned.size(); i++) {
      Traffic.Planned p = planned.get(i);
      TransactionResult result = a.results().get(i);
      assertThat(p.expect().matches(result)).as("%s, transaction %d (%s from %s): expected %s, got %s", at, i, p.what(), p.tx().sender(), p.expect(),
          result).isTrue();
      count(p, result);
      if (result.outcome() != TransactionResult.Outcome.INVALID) {
        fees += p.tx().fee().units();
      }
      if (result.isAccepted() && p.tx().payload() instanceof Payload.Transfer t) {
        for (String pool : List.of(IncentivePolicy.SECURE_NODES, IncentivePolicy.SUPER_NODES)) {
          if (t.to().equals(Incentives.pool(pool))) {
            poolTransfers.merge(pool, t.amount().units(), Long::sum);
          }
        }
      }
    }
    memory.append(block, a);
    h2.append(block, b);
    accounts.addAll(a.changes().accounts().keySet());
    traffic.executed(block, planned);
    minted += policy.eraAt(h).subsidy().at(h).units();
    audit.block(h, fees, poolTransfers, poolsBefore);
    Map<AccountId, ServiceNode> before = new TreeMap<>();
    model.nodes().forEach(n -> before.put(n.account(), n));
    List<IncentiveReport.ServiceResult> results = model.end(h);
    results.forEach(r -> figures.add(r.outcome().name(), 1));
    checkState(h, at);
    checkEpoch(h, at, before, results);
    checkBalances(h, block, balancesBefore, creditsBefore, before, at);
    if (h == restartAt) {
      h2.restart();
      checkState(h, at + " (H2 restarted)");
    }
    return block.hash();
  }

  /** Every account's balance is what the block's transactions and payout made it (see {@link BalanceAudit}). */
  private void checkBalances(long h, Block block, Map<AccountId, Long> balancesBefore, SortedMap<AccountId, Amount> creditsBefore,
      Map<AccountId, ServiceNode> nodesBefore, String at) {
    boolean closes = Challenges.endsEpoch(policy.service(), h);
    SortedMap<AccountId, Amount> creditsAfter = closes ? memory.record(EpochRecord.key(policy.service().epochOf(h))).map(EpochRecord::decode)
        .map(IncentiveReport.EpochRewards::rewards).orElse(new TreeMap<>()) : memory.incentiveState().epochRewards();
    Map<AccountId, Long> returned = new TreeMap<>();
    nodesBefore.values().stream().filter(n -> model.node(n.account()) == null).forEach(n -> returned.put(n.account(), n.bond().units()));
    Set<AccountId> payable = new TreeSet<>(policy.customPools().values());
    policy.treasury().ifPresent(payable::add);
    Executor.BlockInfo info = Executor.BlockInfo.of(block);
    payable.add(info.proposer());
    payable.addAll(info.signers());
    if (closes) {
      payable.addAll(nodesBefore.keySet());
    }
    Map<AccountId, Long> credited = BalanceAudit.check(balancesBefore, memory::balance, traffic.balanceChanges(), creditsBefore, creditsAfter,
        returned, payable, at);
    audit.checkBlockCredits(h, info, credited, validators, at);
  }

  /**
   * The state after block {@code h}: the same incentive records on both nodes; minted as the policy says; the balances
   * of both nodes add up to the supply and none is negative; the registered nodes are the model's and the escrow
   * holds their bonds; the tier pools are empty after an epoch's end.
   */
  private void checkState(long h, String at) {
    sameRecord(IncentiveState.KEY, at);
    IncentiveState s = memory.incentiveState();
    assertThat(s.minted().units()).as("%s: minted = the subsidies of the policy's eras", at).isEqualTo(minted);
    long supply = genesisSupply.units() + s.minted().units() - s.burnt().units();
    for (StoreNode node : List.of(memory, h2)) {
      long sum = 0;
      for (AccountId a : accounts) {
        long balance = node.balance(a);
        assertThat(balance).as("%s: %s balance of %s", at, node.storeName, a).isNotNegative();
        sum += balance;
      }
      assertThat(sum).as("%s: %s: the balances add up to genesis %s + minted %s - burnt %s", at, node.storeName, genesisSupply, s.minted(), s.burnt())
          .isEqualTo(supply);
    }
    if (policy.treasury().isPresent() && policy.eras().stream().noneMatch(e -> e.fees() == IncentivePolicy.FeeRule.BURN)) {
      assertThat(s.burnt()).as("%s: with a treasury and no era that burns fees nothing is burnt", at).isEqualTo(Amount.ZERO);
    }
    assertThat(s.nodes()).as("%s: the registered service nodes", at).isEqualTo(model.nodes());
    long bonds = s.nodes().stream().mapToLong(n -> n.bond().units()).sum();
    for (StoreNode node : List.of(memory, h2)) {
      assertThat(node.balance(Incentives.ESCROW)).as("%s: %s: the escrow holds the registered nodes' bonds", at, node.storeName).isEqualTo(bonds)
          .isEqualTo(model.bonds());
    }
    if (Challenges.endsEpoch(policy.service(), h)) {
      sameRecord(EpochRecord.key(policy.service().epochOf(h)), at);
      assertThat(pools(memory).values()).as("%s: the tier pools are paid out at the epoch's end", at).containsOnly(0L);
    }
  }

  /** The epoch's money so far, and at its end the epoch record (see {@link EpochAudit}). */
  private void checkEpoch(long h, String at, Map<AccountId, ServiceNode> before, List<IncentiveReport.ServiceResult> results) {
    IncentiveState s = memory.incentiveState();
    IncentivePolicy.ServiceRules rules = policy.service();
    if (Challenges.endsEpoch(rules, h)) {
      long epoch = rules.epochOf(h);
      audit.checkClose(epoch, h, s, memory.record(EpochRecord.key(epoch)).map(EpochRecord::decode), results, before, at);
    } else {
      audit.checkRunning(s, pools(memory).values().stream().mapToLong(Long::longValue).sum(), at);
    }
  }

  /** The ledger record {@code key}, checked to be the same on both nodes. */
  private Optional<byte[]> sameRecord(String key, String at) {
    Optional<byte[]> one = memory.record(key);
    Optional<byte[]> two = h2.record(key);
    assertThat(two.isPresent()).as("%s: record %s on both nodes or neither", at, key).isEqualTo(one.isPresent());
    one.ifPresent(v -> assertThat(two.orElseThrow()).as("%s: record %s on the two nodes", at, key).isEqualTo(v));
    return one;
  }

  private static Map<String, Long> pools(StoreNode node) {
    Map<String, Long> pools = new TreeMap<>();
    for (String pool : List.of(IncentivePolicy.SECURE_NODES, IncentivePolicy.SUPER_NODES)) {
      pools.put(pool, node.balance(Incentives.pool(pool)));
    }
    return pools;
  }

  private void count(Traffic.Planned p, TransactionResult result) {
    figures.add("transactions", 1);
    figures.add(result.outcome().name().toLowerCase(java.util.Locale.ROOT), 1);
    if (result.isAccepted()) {
      figures.add("accepted " + p.tx().kind().name().toLowerCase(java.util.Locale.ROOT), 1);
    }
  }

  @Override
  public void close() {
    memory.close();
    h2.close();
  }
}
