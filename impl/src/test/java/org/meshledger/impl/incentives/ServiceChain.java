package org.meshledger.impl.incentives;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.meshledger.IncentivePolicy;
import org.meshledger.IncentiveReport;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Payload;
import org.meshledger.chain.TransactionResult;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;

/**
 * Drives {@link Incentives} block by block over in-memory state, as execution does, with a made-up chain: block
 * {@code h}'s hash and material are hashes of its height. What a node adds around it (transactions, signatures,
 * storage) is tested elsewhere; here every number of the payout rules can be checked.
 */
final class ServiceChain implements Incentives.State, Incentives.History {
  static final String CHAIN = "rewards";
  static final Hash GENESIS = Hash.sha256("genesis".getBytes(StandardCharsets.UTF_8));

  final TreeMap<AccountId, AccountState> accounts = new TreeMap<>();
  final TreeMap<String, byte[]> records = new TreeMap<>();
  final Incentives incentives;
  final List<AccountId> validators = new ArrayList<>();
  final Amount genesisSupply;
  long height;
  Incentives.BlockRun run;

  ServiceChain(IncentivePolicy policy, List<Member> members, Map<AccountId, Amount> balances) {
    this.incentives = new Incentives(CHAIN, GENESIS, members, policy, new DefaultRewardRule());
    members.stream().filter(m -> m.has(Role.VALIDATOR)).forEach(m -> validators.add(m.account()));
    Amount total = Amount.ZERO;
    for (Map.Entry<AccountId, Amount> b : balances.entrySet()) {
      accounts.put(b.getKey(), new AccountState(b.getValue(), 0));
      total = total.plus(b.getValue());
    }
    genesisSupply = total;
  }

  static KeyPair key(String name) {
    return KeyPair.fromSeed(Hash.sha256(name.getBytes(StandardCharsets.UTF_8)).bytes());
  }

  static Hash hashOf(long height) {
    return height == 0 ? GENESIS : Hash.sha256(("block " + height).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Hash material(long h) {
    if (h < 1 || h > height) {
      throw new AssertionError("material of block " + h + " asked while block " + height + " executes");
    }
    return Hash.sha256(("material " + h).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public AccountState account(AccountId account) {
    return accounts.getOrDefault(account, AccountState.EMPTY);
  }

  @Override
  public void put(AccountId account, AccountState state) {
    accounts.put(account, state);
  }

  @Override
  public Optional<byte[]> record(String key) {
    return Optional.ofNullable(records.get(key));
  }

  @Override
  public void putRecord(String key, byte[] value) {
    records.put(key, value);
  }

  /** Starts the next block. */
  ServiceChain begin() {
    height++;
    run = incentives.begin(this, height, hashOf(height - 1));
    return this;
  }

  /** The open window as a service node computes it: from the hash of the block before the window's first. */
  Challenges.Window open() {
    IncentivePolicy.ServiceRules rules = incentives.policy().service();
    long start = height - (height - 1) % rules.challengeInterval();
    return Challenges.window(CHAIN, rules, start, hashOf(start - 1));
  }

  /** {@code node}'s correct answer to the open window. */
  Payload.ChallengeResponse answerOf(AccountId node) {
    Challenges.Window w = open();
    Hash material = w.target() == 0 ? GENESIS : material(w.target());
    return new Payload.ChallengeResponse(w.epoch(), w.challenge(), Challenges.proof(CHAIN, w, node, material));
  }

  TransactionResult answer(AccountId node) {
    return run.answer(node, answerOf(node), this);
  }

  /** Ends the block: proposed by validator {@code (h - 1) mod n}, every validator signing the commit it carries. */
  ServiceChain end() {
    AccountId proposer = validators.get((int) ((height - 1) % validators.size()));
    run.end(proposer, height == 1 ? List.of() : validators);
    run = null;
    return this;
  }

  long balance(AccountId a) {
    return account(a).balance().units();
  }

  IncentiveState state() {
    return incentives.read(this);
  }

  IncentiveReport.EpochRewards epoch(long e) {
    return EpochRecord.decode(records.get(EpochRecord.key(e)));
  }

  /** Genesis supply + minted - burnt, and the sum of all balances: equal after every block. */
  long[] supply() {
    IncentiveState s = state();
    long sum = accounts.values().stream().mapToLong(a -> a.balance().units()).sum();
    return new long[] {genesisSupply.units() + s.minted().units() - s.burnt().units(), sum};
  }
}
