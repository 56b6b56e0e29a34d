package org.meshledger.impl.incentives;

import java.util.Map;
import java.util.Optional;
import org.meshledger.TransactionValidator;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.Hash;
import org.meshledger.impl.ledger.BlockExecution;
import org.meshledger.impl.ledger.CommittedState;
import org.meshledger.impl.ledger.Executor;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.StoreContext;

/**
 * One node as far as execution goes: a block store of one kind, the committed state over it (genesis balances laid
 * over), and an executor of its own. It executes a block on its own state with the challenge material read from its
 * own store, appends the block with the changes, and chains the state digest, as a node does. It can restart: close
 * the store and open it again from its files.
 */
final class StoreNode implements AutoCloseable {
  final String storeName;
  private final StoreContext context;
  private final Map<AccountId, Amount> genesisBalances;
  private final Executor executor;
  BlockStore store;
  CommittedState state;
  Hash digest;

  StoreNode(String storeName, StoreContext context, Map<AccountId, Amount> genesisBalances, Incentives incentives, TransactionValidator validator) {
    this.storeName = storeName;
    this.context = context;
    this.genesisBalances = Map.copyOf(genesisBalances);
    this.executor = new Executor(incentives, Amount.ZERO, validator, true);
    this.digest = context.genesisHash();
    open();
  }

  private void open() {
    store = BlockStores.open(storeName, context);
    state = new CommittedState(store, genesisBalances);
  }

  /** Executes {@code block} over this node's committed state, without storing it. */
  BlockExecution execute(Block block) {
    return executor.execute(state, Executor.BlockInfo.of(block), block.transactions(), digest,
        h -> Challenges.material(store.block(h).orElseThrow(() -> new AssertionError(storeName + " store has no block " + h))));
  }

  /** Appends {@code block} with what executing it changed and moves the digest on. */
  void append(Block block, BlockExecution execution) {
    store.append(block, execution.changes());
    digest = execution.stateDigest();
  }

  /** Closes the store and opens it again, as a node does when it restarts. */
  void restart() {
    store.close();
    open();
  }

  Incentives incentives() {
    return executor.incentives();
  }

  /** The incentive state after the last stored block. */
  IncentiveState incentiveState() {
    return store.record(IncentiveState.KEY).map(IncentiveState::decode).orElseGet(executor.incentives()::initial);
  }

  Optional<byte[]> record(String key) {
    return store.record(key);
  }

  long balance(AccountId account) {
    return state.account(account).balance().units();
  }

  long nonce(AccountId account) {
    return state.account(account).nextNonce();
  }

  @Override
  public void close() {
    store.close();
  }
}
