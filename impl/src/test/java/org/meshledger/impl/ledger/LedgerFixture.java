package org.meshledger.impl.ledger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.meshledger.IncentivePolicy;
import org.meshledger.TransactionValidator;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.impl.incentives.Challenges;
import org.meshledger.impl.incentives.DefaultRewardRule;
import org.meshledger.impl.incentives.Incentives;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.contract.TestChain;

/**
 * A store, the genesis balances laid over it and an executor, moving on block by block as a node would:
 * execute, append with the changes, chain the digest. Blocks are real and certified (from {@link TestChain}).
 */
final class LedgerFixture implements AutoCloseable {
  static final String CHAIN = "exec-test";
  static final AccountId TREASURY = KeyPair.fromSeed(Hash.sha256("treasury".getBytes(StandardCharsets.UTF_8)).bytes()).accountId();

  final TestChain chain;
  final List<KeyPair> users;
  final Map<AccountId, Amount> genesisBalances = new HashMap<>();
  final BlockStore store;
  final CommittedState state;
  final Executor executor;
  Hash digest;
  Hash lastHash;
  BlockExecution last;

  LedgerFixture(String storeName, Path dir, long seed, TransactionValidator validator) {
    chain = new TestChain(CHAIN, seed);
    users = chain.users();
    for (KeyPair u : users) {
      genesisBalances.put(u.accountId(), Amount.of(TestChain.INITIAL_BALANCE));
    }
    store = BlockStores.open(storeName, chain.context(dir));
    state = new CommittedState(store, genesisBalances);
    executor = new Executor(incentives(chain), Amount.ZERO, validator, true);
    digest = chain.genesisHash();
    lastHash = chain.genesisHash();
  }

  /** Executes {@code txs} as the next block, appends it with its changes and returns the execution. */
  BlockExecution commit(List<Transaction> txs) {
    long height = store.height() + 1;
    Block block = chain.block(CHAIN, height, lastHash, txs);
    last = executor.execute(state, Executor.BlockInfo.of(block), txs, digest, history());
    store.append(block, last.changes());
    lastHash = block.hash();
    digest = last.stateDigest();
    return last;
  }

  /** Every fee to the treasury, nothing minted: the rules these tests check the fees against. */
  static Incentives incentives(TestChain chain) {
    return new Incentives(CHAIN, chain.genesisHash(), List.of(), IncentivePolicy.feesTo(TREASURY), new DefaultRewardRule());
  }

  /** Old blocks' challenge material, from the store. */
  Incentives.History history() {
    return h -> Challenges.material(store.block(h).orElseThrow());
  }

  /** Executes {@code txs} as a block at {@code height} after the last one without committing it. */
  BlockExecution execute(Executor with, long height, List<Transaction> txs, Hash previousDigest) {
    return with.execute(state, new Executor.BlockInfo(height, lastHash, TREASURY, List.of()), txs, previousDigest, history());
  }

  KeyPair user(int i) {
    return users.get(i);
  }

  /** Signs a transaction of this chain with fee 1. */
  static Transaction tx(KeyPair from, long nonce, Payload payload) {
    return Transaction.sign(CHAIN, from, nonce, Amount.of(1), payload);
  }

  static Payload.DataWrite write(String key, String value) {
    return Payload.DataWrite.of(key, value.getBytes(StandardCharsets.UTF_8));
  }

  static Payload.Transfer pay(KeyPair to, long units) {
    return new Payload.Transfer(to.accountId(), Amount.of(units));
  }

  long balance(KeyPair k) {
    return state.account(k.accountId()).balance().units();
  }

  long nonce(KeyPair k) {
    return state.account(k.accountId()).nextNonce();
  }

  @Override
  public void close() {
    store.close();
  }
}
