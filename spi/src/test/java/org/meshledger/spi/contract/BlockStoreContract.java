package org.meshledger.spi.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.StorageException;
import org.meshledger.Verification;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.chain.LocatedTransaction;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.StateChanges;
import org.meshledger.spi.StoreContext;
import org.meshledger.spi.contract.TestChain.ChainBlock;

/**
 * The behaviour every {@link BlockStore} owes a node. Extend it in your store's tests, implement
 * {@link #open(StoreContext)}, and your store runs the same suite as the bundled H2 and in-memory stores:
 *
 * <pre>{@code
 * class MyBlockStoreTest extends BlockStoreContract {
 *   protected BlockStore open(StoreContext context) { return new MyBlockStore(context); }
 * }
 * }</pre>
 *
 * <p>The blocks are real ({@link TestChain}: signed transactions, linked headers, quorum certificates), so a
 * store that checks or re-derives anything meets what a node would give it. A store that keeps nothing
 * across {@code close} overrides {@link #persistent()} to return false and the reopen tests are skipped. The
 * tests of the ledger's records are inherited from {@code RecordsContract} and run with the rest.
 * Randomized parts use {@link #SEED}; a failure message names it.
 *
 * <p>Needs JUnit 5, AssertJ and an {@link org.meshledger.crypto.Ed25519Provider} ({@code org.meshledger:meshledger})
 * on the test class path.
 */
public abstract class BlockStoreContract extends RecordsContract {
  /** The seed of the test chain; fixed, so a failure replays. */
  protected static final long SEED = 20_240_501L;
  /** The chain id of the test chain. */
  protected static final String CHAIN = "contract-chain";

  /** A fresh directory per test: the data directory stores are opened in. */
  @TempDir
  protected Path directory;

  protected TestChain chain;
  private final List<BlockStore> opened = new ArrayList<>();

  /** Opens (creating if needed) a store of the implementation under test for {@code context}. */
  protected abstract BlockStore open(StoreContext context);

  /** True if the store keeps its blocks across close and reopen (the default); in-memory stores return false. */
  @Override
  protected boolean persistent() {
    return true;
  }

  /** The test chain of the running test. */
  @Override
  protected TestChain chain() {
    return chain;
  }

  @BeforeEach
  void newChain() {
    chain = new TestChain(CHAIN, SEED);
  }

  @AfterEach
  void closeAll() {
    opened.forEach(BlockStore::close);
  }

  /** Opens a store for the test chain in {@link #directory}; closed after the test. */
  @Override
  protected BlockStore store() {
    BlockStore s = open(chain.context(directory));
    opened.add(s);
    return s;
  }

  /** Appends {@code n} blocks of {@code txs} transactions each and returns them. */
  protected List<ChainBlock> appendBlocks(BlockStore store, int n, int txs) {
    List<ChainBlock> blocks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ChainBlock b = chain.next(txs);
      store.append(b.block(), b.changes());
      blocks.add(b);
    }
    return blocks;
  }

  // ---- append and reads ----

  @Test
  void emptyStoreHasNothing() {
    BlockStore store = store();
    assertThat(store.height()).isZero();
    assertThat(store.block(1)).isEmpty();
    assertThat(store.header(1)).isEmpty();
    assertThat(store.block(chain.genesisHash())).isEmpty();
    assertThat(store.transaction(Hash.ZERO)).isEmpty();
    assertThat(store.current("key-0")).isEmpty();
    assertThat(store.history("key-0", 0, 10)).isEmpty();
    assertThat(store.account(chain.users().get(0).accountId())).isEqualTo(AccountState.EMPTY);
  }

  @Test
  void appendedBlocksReadBackByHeightAndHash() {
    BlockStore store = store();
    List<ChainBlock> blocks = appendBlocks(store, 12, 7);
    assertThat(store.height()).isEqualTo(12);
    for (ChainBlock b : blocks) {
      Block read = store.block(b.height()).orElseThrow();
      assertThat(read).as("block %d", b.height()).isEqualTo(b.block());
      assertThat(read.previousCommit()).as("block %d keeps the previous commit it carries (part of its hash)", b.height())
          .isEqualTo(b.block().previousCommit());
      assertThat(read.previousCommit().isPresent()).as("block %d has a previous commit", b.height()).isEqualTo(b.height() > 1);
      assertThat(read.verify(chain.validators())).isEqualTo(Verification.ok());
      assertThat(store.block(b.hash())).contains(b.block());
      assertThat(store.header(b.height())).contains(b.block().header());
    }
    assertThat(store.block(13)).isEmpty();
    assertThat(store.header(13)).isEmpty();
    assertThat(store.block(Long.MAX_VALUE)).isEmpty();
    assertThat(store.block(Hash.sha256(new byte[] {1}))).isEmpty();
  }

  @Test
  void aGroupOfBlocksAppendsLikeOneByOneAndSurvivesAReopen() {
    BlockStore store = store();
    appendBlocks(store, 2, 3);
    List<ChainBlock> group = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      group.add(chain.next(i * 2));
    }
    store.appendAll(group.stream().map(ChainBlock::block).toList(), group.stream().map(ChainBlock::changes).toList());
    assertThat(store.height()).isEqualTo(8);
    for (ChainBlock b : group) {
      assertThat(store.block(b.height())).contains(b.block());
      for (Transaction tx : b.block().transactions()) {
        assertThat(store.transaction(tx.id()).orElseThrow().height()).isEqualTo(b.height());
      }
    }
    if (persistent()) {
      store.close();
      BlockStore again = store();
      assertThat(again.height()).isEqualTo(8);
      assertThat(again.block(8)).contains(group.get(5).block());
    }
  }

  @Test
  void aGroupWithABlockThatDoesNotFitLeavesAPrefixAndTheStoreUsable() {
    BlockStore store = store();
    appendBlocks(store, 1, 2);
    ChainBlock b2 = chain.next(2);
    ChainBlock b3 = chain.next(2);
    ChainBlock b4 = chain.next(2);
    List<Block> wrongOrder = List.of(b2.block(), b4.block(), b3.block());
    assertThatThrownBy(() -> store.appendAll(wrongOrder, List.of(b2.changes(), b4.changes(), b3.changes())))
        .isInstanceOf(StorageException.class);
    assertThat(store.height()).as("none of the group, or the blocks before the one that did not fit").isBetween(1L, 2L);
    if (store.height() == 1) {
      store.append(b2.block(), b2.changes());
    }
    store.appendAll(List.of(b3.block(), b4.block()), List.of(b3.changes(), b4.changes()));
    assertThat(store.height()).isEqualTo(4);
    assertThat(store.block(4)).contains(b4.block());
    assertThatThrownBy(() -> store.appendAll(List.of(b3.block()), List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyBlocksAndLargeBlocksRoundTrip() {
    BlockStore store = store();
    ChainBlock empty = chain.next(0);
    store.append(empty.block(), empty.changes());
    ChainBlock large = chain.next(300);
    store.append(large.block(), large.changes());
    assertThat(store.block(1)).contains(empty.block());
    assertThat(store.block(2)).contains(large.block());
    assertThat(store.block(large.hash())).contains(large.block());
  }

  @Test
  void transactionsAreFoundByIdWithTheirPlace() {
    BlockStore store = store();
    List<ChainBlock> blocks = appendBlocks(store, 5, 9);
    for (ChainBlock b : blocks) {
      List<Transaction> txs = b.block().transactions();
      for (int i = 0; i < txs.size(); i++) {
        LocatedTransaction found = store.transaction(txs.get(i).id()).orElseThrow();
        assertThat(found.transaction()).isEqualTo(txs.get(i));
        assertThat(found.height()).isEqualTo(b.height());
        assertThat(found.index()).isEqualTo(i);
        assertThat(found.blockHash()).isEqualTo(b.hash());
      }
    }
    assertThat(store.transaction(Hash.sha256(new byte[] {42}))).isEmpty();
    assertThat(store.transaction(blocks.get(0).hash())).as("a block hash is not a transaction id").isEmpty();
  }

  /**
   * A faulty proposer can put a transaction in a block where it is invalid (ahead of its sender's earlier nonce, or
   * replayed after it applied): it has no effect there, and its sender may submit it again. Looked up by id, it is
   * where it took effect, not its first place.
   */
  @Test
  void aTransactionInSeveralBlocksIsFoundWhereItTookEffect() {
    BlockStore store = store();
    appendBlocks(store, 2, 3);
    KeyPair alice = chain.users().get(0);
    Transaction first = chain.sign(alice, Payload.DataWrite.of("twice", bytes("1")));
    Transaction second = chain.sign(alice, Payload.DataWrite.of("twice", bytes("2")));
    ChainBlock early = chain.nextInvalid(List.of(second));
    store.append(early.block(), early.changes());
    assertThat(store.transaction(second.id()).orElseThrow().height()).as("only in a block where it was invalid").isEqualTo(early.height());
    ChainBlock applied = chain.next(List.of(first, second));
    store.append(applied.block(), applied.changes());
    ChainBlock replayed = chain.nextInvalid(List.of(second, second));
    store.append(replayed.block(), replayed.changes());
    Consumer<BlockStore> check = s -> {
      LocatedTransaction found = s.transaction(second.id()).orElseThrow();
      assertThat(found.height()).as("the block where it took effect").isEqualTo(applied.height());
      assertThat(found.index()).isEqualTo(1);
      assertThat(found.blockHash()).isEqualTo(applied.hash());
      assertThat(s.rejected(applied.height())).as("it applied there").doesNotContainKey(1);
      assertThat(s.transaction(first.id()).orElseThrow().height()).isEqualTo(applied.height());
    };
    check.accept(store);
    if (persistent()) {
      store.close();
      check.accept(store()); // the index as it comes back from disk
    }
  }

  @Test
  void currentValueIsTheLatestAppliedWriteAndStaleWritesAreAbsent() {
    BlockStore store = store();
    KeyPair alice = chain.users().get(0);
    KeyPair bob = chain.users().get(1);
    Transaction first = chain.sign(alice, Payload.DataWrite.of("shipment-42", bytes("packed")));
    Transaction second = chain.sign(bob, Payload.DataWrite.ifVersion("shipment-42", bytes("shipped"), 1));
    ChainBlock b1 = chain.next(List.of(first, second));
    store.append(b1.block(), b1.changes());
    // bob read version 1 and writes again: stale, rejected by the node, not in the changes
    Transaction stale = chain.sign(bob, Payload.DataWrite.ifVersion("shipment-42", bytes("lost"), 1));
    Transaction third = chain.sign(alice, Payload.DataWrite.ifVersion("shipment-42", bytes("delivered"), 2));
    ChainBlock b2 = chain.next(List.of(stale, third));
    assertThat(b2.changes().writes()).hasSize(1);
    store.append(b2.block(), b2.changes());

    DataEntry current = store.current("shipment-42").orElseThrow();
    assertThat(current.value()).isEqualTo(bytes("delivered"));
    assertThat(current.version()).isEqualTo(3);
    assertThat(current.writer()).isEqualTo(alice.accountId());
    assertThat(current.height()).isEqualTo(2);
    assertThat(current.index()).isEqualTo(1);
    assertThat(current.transactionId()).isEqualTo(third.id());
    assertThat(store.history("shipment-42", 0, 10)).extracting(DataEntry::version).containsExactly(1L, 2L, 3L);
    assertThat(store.history("shipment-42", 0, 10)).containsExactlyElementsOf(concat(b1.changes().writes(), b2.changes().writes()));
    assertThat(store.current("shipment-4")).as("keys are not prefixes").isEmpty();
    assertThat(store.current("shipment-420")).isEmpty();
  }

  @Test
  void rejectedResultsAndTheStateDigestReadBackWithTheirBlock() {
    BlockStore store = store();
    KeyPair alice = chain.users().get(0);
    ChainBlock b1 = chain.next(List.of(chain.sign(alice, Payload.DataWrite.of("k", bytes("1")))));
    ChainBlock b2 = chain.next(List.of(chain.sign(alice, Payload.DataWrite.of("j", bytes("1"))),
        chain.sign(alice, Payload.DataWrite.ifVersion("k", bytes("stale"), 0))));
    store.append(b1.block(), b1.changes());
    store.append(b2.block(), b2.changes());
    assertThat(b2.changes().rejected()).containsOnlyKeys(1);

    assertThat(store.rejected(1)).as("all accepted").isEmpty();
    assertThat(store.rejected(2)).isEqualTo(b2.changes().rejected());
    assertThat(store.rejected(3)).as("no such block yet").isEmpty();
    assertThat(store.stateDigest(1)).contains(b1.changes().stateDigest());
    assertThat(store.stateDigest(2)).contains(b2.changes().stateDigest());
    assertThat(store.stateDigest(3)).isEmpty();
    assertThatThrownBy(() -> store.rejected(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.stateDigest(0)).isInstanceOf(IllegalArgumentException.class);

    ChainBlock b3 = chain.next(1);
    store.append(b3.block(), new StateChanges(b3.changes().writes(), b3.changes().accounts()));
    assertThat(store.stateDigest(3)).as("appended without a digest").isEmpty();
    if (persistent()) {
      store.close();
      opened.remove(store);
      BlockStore reopened = store();
      assertThat(reopened.rejected(2)).isEqualTo(b2.changes().rejected());
      assertThat(reopened.stateDigest(2)).contains(b2.changes().stateDigest());
    }
  }

  @Test
  void resultsThatNameNoTransactionOfTheBlockAreRejected() {
    BlockStore store = store();
    ChainBlock b1 = chain.next(2);
    java.util.TreeMap<Integer, org.meshledger.chain.TransactionResult> beyond = new java.util.TreeMap<>();
    beyond.put(2, org.meshledger.chain.TransactionResult.invalid("no such transaction"));
    assertRejected(store, new ChainBlock(b1.block(), new StateChanges(b1.changes().writes(), b1.changes().accounts(), beyond, null)),
        "names transaction 2");
  }

  @Test
  void historyPagesThroughEveryWriteOldestFirst() {
    BlockStore store = store();
    List<DataEntry> expected = new ArrayList<>();
    KeyPair writer = chain.users().get(2);
    for (int block = 0; block < 6; block++) {
      List<Transaction> txs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        txs.add(chain.sign(writer, Payload.DataWrite.of("log", bytes("entry " + block + "." + i))));
        txs.add(chain.sign(writer, Payload.DataWrite.of("log-other", bytes("noise"))));
      }
      ChainBlock b = chain.next(txs);
      store.append(b.block(), b.changes());
      b.changes().writes().stream().filter(w -> w.key().equals("log")).forEach(expected::add);
    }
    assertThat(expected).hasSize(30);
    List<DataEntry> paged = new ArrayList<>();
    long after = 0;
    while (true) {
      List<DataEntry> page = store.history("log", after, 7);
      assertThat(page.size()).isLessThanOrEqualTo(7);
      paged.addAll(page);
      if (page.size() < 7) {
        break;
      }
      after = page.get(page.size() - 1).version();
    }
    assertThat(paged).containsExactlyElementsOf(expected);
    assertThat(store.history("log", 28, 100)).extracting(DataEntry::version).containsExactly(29L, 30L);
    assertThat(store.history("log", 30, 100)).isEmpty();
    assertThat(store.history("log", Long.MAX_VALUE, 1)).isEmpty();
    assertThat(store.history("log", 0, 1)).containsExactly(expected.get(0));
    assertThat(store.current("log")).contains(expected.get(29));
  }

  @Test
  void randomChainMatchesTheExecutor() {
    BlockStore store = store();
    appendBlocks(store, 15, 20);
    for (int k = 0; k < TestChain.KEYS; k++) {
      String key = "key-" + k;
      long version = chain.version(key);
      if (version == 0) {
        assertThat(store.current(key)).isEmpty();
      } else {
        assertThat(store.current(key).orElseThrow().version()).as("%s (seed %d)", key, SEED).isEqualTo(version);
        assertThat(store.history(key, 0, Integer.MAX_VALUE)).hasSize((int) version);
      }
    }
    for (KeyPair u : chain.users()) {
      assertThat(store.account(u.accountId())).as("account of %s (seed %d)", u, SEED).isEqualTo(chain.state(u.accountId()));
    }
  }

  @Test
  void accountsHoldTheirLatestState() {
    BlockStore store = store();
    KeyPair alice = chain.users().get(0);
    AccountId carol = KeyPair.fromSeed(new byte[32]).accountId();
    ChainBlock b1 = chain.next(List.of(chain.sign(alice, new Payload.Transfer(carol, Amount.of(500)))));
    store.append(b1.block(), b1.changes());
    assertThat(store.account(carol)).isEqualTo(new AccountState(Amount.of(500), 0));
    assertThat(store.account(alice.accountId())).isEqualTo(new AccountState(Amount.of(TestChain.INITIAL_BALANCE - 501), 1));
    ChainBlock b2 = chain.next(List.of(chain.sign(alice, new Payload.Transfer(carol, Amount.of(20)))));
    store.append(b2.block(), b2.changes());
    assertThat(store.account(carol)).isEqualTo(new AccountState(Amount.of(520), 0));
    assertThat(store.account(alice.accountId())).isEqualTo(new AccountState(Amount.of(TestChain.INITIAL_BALANCE - 522), 2));
    assertThat(store.account(chain.users().get(4).accountId())).as("untouched").isEqualTo(AccountState.EMPTY);
  }

  // ---- rejected appends leave the store unchanged ----

  @Test
  void appendAtTheWrongHeightIsRejected() {
    BlockStore store = store();
    ChainBlock b1 = chain.next(3);
    ChainBlock b2 = chain.next(3);
    assertRejected(store, b2, "height");
    store.append(b1.block(), b1.changes());
    assertRejected(store, b1, "height");
    store.append(b2.block(), b2.changes());
    assertThat(store.height()).isEqualTo(2);
  }

  @Test
  void appendWithTheWrongPreviousHashIsRejected() {
    BlockStore store = store();
    Hash bogus = Hash.sha256(bytes("not the genesis"));
    ChainBlock first = chain.next(3);
    assertRejected(store, new ChainBlock(chain.block(CHAIN, 1, bogus, first.block().transactions()), first.changes()), "previous");
    store.append(first.block(), first.changes());
    ChainBlock second = chain.next(3);
    Block linkedToGenesis = chain.block(CHAIN, 2, chain.genesisHash(), second.block().transactions());
    assertRejected(store, new ChainBlock(linkedToGenesis, second.changes()), "previous");
    store.append(second.block(), second.changes());
    assertThat(store.height()).isEqualTo(2);
  }

  @Test
  void appendOfAnotherChainsBlockIsRejected() {
    BlockStore store = store();
    TestChain other = new TestChain("other-chain", chain.genesisHash(), 4, SEED);
    assertRejected(store, other.next(3), "chain");
    ChainBlock b1 = chain.next(3);
    store.append(b1.block(), b1.changes());
    assertThat(store.height()).isEqualTo(1);
  }

  @Test
  void appendWithChangesThatDoNotBelongToTheBlockIsRejected() {
    BlockStore store = store();
    KeyPair alice = chain.users().get(0);
    Transaction w1 = chain.sign(alice, Payload.DataWrite.of("k", bytes("v1")));
    Transaction t = chain.sign(alice, new Payload.Transfer(chain.users().get(1).accountId(), Amount.of(3)));
    ChainBlock good = chain.next(List.of(w1, t));
    DataEntry write = good.changes().writes().get(0);
    Map<AccountId, AccountState> accounts = good.changes().accounts();
    List<DataEntry> wrongVersion = List.of(new DataEntry("k", write.value(), 2, write.writer(), 1, 0, write.transactionId()));
    List<DataEntry> wrongValue = List.of(new DataEntry("k", bytes("v2"), 1, write.writer(), 1, 0, write.transactionId()));
    List<DataEntry> wrongKey = List.of(new DataEntry("j", write.value(), 1, write.writer(), 1, 0, write.transactionId()));
    List<DataEntry> notData = List.of(new DataEntry("k", write.value(), 1, write.writer(), 1, 1, t.id()));
    List<DataEntry> outside = List.of(new DataEntry("k", write.value(), 1, write.writer(), 1, 2, write.transactionId()));
    List<DataEntry> wrongHeight = List.of(new DataEntry("k", write.value(), 1, write.writer(), 2, 0, write.transactionId()));
    List<DataEntry> wrongWriter = List.of(new DataEntry("k", write.value(), 1, t.sender().equals(write.writer())
        ? chain.users().get(1).accountId() : t.sender(), 1, 0, write.transactionId()));
    for (List<DataEntry> bad : List.of(wrongVersion, wrongValue, wrongKey, notData, outside, wrongHeight, wrongWriter)) {
      assertRejected(store, new ChainBlock(good.block(), new StateChanges(bad, accounts)), "");
    }
    store.append(good.block(), good.changes());
    // the next write of k must be version 2, not 1 again
    Transaction w2 = chain.sign(alice, Payload.DataWrite.of("k", bytes("v2")));
    ChainBlock next = chain.next(List.of(w2));
    DataEntry e = next.changes().writes().get(0);
    assertRejected(store, new ChainBlock(next.block(), new StateChanges(List.of(new DataEntry("k", e.value(), 1, e.writer(), 2, 0, e.transactionId())),
        next.changes().accounts())), "");
    store.append(next.block(), next.changes());
    assertThat(store.current("k").orElseThrow().version()).isEqualTo(2);
  }

  /** Appending {@code b} fails with a StorageException whose message contains {@code reason}; nothing changed. */
  private void assertRejected(BlockStore store, ChainBlock b, String reason) {
    long height = store.height();
    Optional<Block> last = height == 0 ? Optional.empty() : store.block(height);
    Map<String, Optional<DataEntry>> current = new java.util.HashMap<>();
    for (DataEntry w : b.changes().writes()) {
      current.put(w.key(), store.current(w.key()));
    }
    Map<AccountId, AccountState> accounts = new java.util.HashMap<>();
    for (AccountId a : b.changes().accounts().keySet()) {
      accounts.put(a, store.account(a));
    }
    assertThatThrownBy(() -> store.append(b.block(), b.changes()))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(reason);
    assertThat(store.height()).as("height after a rejected append").isEqualTo(height);
    assertThat(height == 0 ? Optional.empty() : store.block(height)).isEqualTo(last);
    assertThat(store.block(height + 1)).isEmpty();
    store.block(b.hash()).ifPresent(found -> assertThat(found.height()).as("rejected block found by hash").isLessThanOrEqualTo(height));
    for (Transaction tx : b.block().transactions()) {
      if (store.transaction(tx.id()).isPresent()) {
        assertThat(store.transaction(tx.id()).orElseThrow().height()).as("rejected transaction found").isLessThanOrEqualTo(height);
      }
    }
    current.forEach((k, v) -> assertThat(store.current(k)).as("current %s after a rejected append", k).isEqualTo(v));
    accounts.forEach((a, v) -> assertThat(store.account(a)).as("account after a rejected append").isEqualTo(v));
  }

  // ---- arguments and lifecycle ----

  @Test
  void badArgumentsFailFast() {
    BlockStore store = store();
    appendBlocks(store, 1, 2);
    assertThatThrownBy(() -> store.block(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.block(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.header(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.current("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.history("", 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.history("k", -1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.history("k", 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.history("k", 0, -5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.block((Hash) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.transaction(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.current(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.account(null)).isInstanceOf(NullPointerException.class);
    ChainBlock next = chain.next(1);
    assertThatThrownBy(() -> store.append(null, next.changes())).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.append(next.block(), null)).isInstanceOf(NullPointerException.class);
    assertThat(store.height()).isEqualTo(1);
  }

  @Test
  void closeIsIdempotentAndThenEveryCallFails() {
    BlockStore store = store();
    appendBlocks(store, 1, 2);
    store.close();
    store.close();
    ChainBlock next = chain.next(1);
    List<Consumer<BlockStore>> calls = List.of(
        BlockStore::height, s -> s.block(1), s -> s.block(Hash.ZERO), s -> s.header(1), s -> s.transaction(Hash.ZERO),
        s -> s.current("k"), s -> s.history("k", 0, 1), s -> s.account(chain.users().get(0).accountId()),
        s -> s.append(next.block(), next.changes()));
    for (Consumer<BlockStore> call : calls) {
      assertThatThrownBy(() -> call.accept(store)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void reopenedStoreHoldsEverythingAndAppendingContinues() {
    assumeThat(persistent()).as("the store keeps nothing across close").isTrue();
    BlockStore store = store();
    List<ChainBlock> blocks = appendBlocks(store, 6, 10);
    store.close();
    BlockStore reopened = store();
    assertThat(reopened.height()).isEqualTo(6);
    for (ChainBlock b : blocks) {
      assertThat(reopened.block(b.height())).contains(b.block());
      assertThat(reopened.block(b.hash())).contains(b.block());
      Transaction last = b.block().transactions().get(b.block().transactions().size() - 1);
      assertThat(reopened.transaction(last.id()).orElseThrow().height()).isEqualTo(b.height());
    }
    for (KeyPair u : chain.users()) {
      assertThat(reopened.account(u.accountId())).isEqualTo(chain.state(u.accountId()));
    }
    for (int k = 0; k < TestChain.KEYS; k++) {
      assertThat(reopened.current("key-" + k).map(DataEntry::version).orElse(0L)).isEqualTo(chain.version("key-" + k));
    }
    appendBlocks(reopened, 2, 10);
    assertThat(reopened.height()).isEqualTo(8);
    assertThat(reopened.block(7).orElseThrow().header().previousHash()).isEqualTo(blocks.get(5).hash());
  }

  @Test
  void storeOfAnotherGenesisRefusesToOpen() {
    assumeThat(persistent()).as("the store keeps nothing across close").isTrue();
    BlockStore store = store();
    appendBlocks(store, 1, 2);
    store.close();
    Hash otherGenesis = Hash.sha256(bytes("another network"));
    assertThatThrownBy(() -> open(new StoreContext(directory, CHAIN, otherGenesis)).close())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(otherGenesis.toString())
        .hasMessageContaining(chain.genesisHash().toString());
    assertThatThrownBy(() -> open(new StoreContext(directory, "other-chain", chain.genesisHash())).close())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("other-chain");
    assertThat(store().height()).as("still opens for its own chain").isEqualTo(1);
  }

  // ---- concurrency ----

  @Test
  void concurrentReadersSeeWholeBlocksOnly() throws Exception {
    List<ChainBlock> blocks = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      blocks.add(chain.next(25));
    }
    BlockStore store = store();
    AtomicBoolean done = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(3);
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      int reader = r;
      Thread t = new Thread(() -> {
        started.countDown();
        java.util.Random random = new java.util.Random(SEED + reader);
        try {
          do {
            readOnce(store, blocks, random);
          } while (!done.get());
          readOnce(store, blocks, random);
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "contract-reader-" + r);
      readers.add(t);
      t.start();
    }
    started.await();
    try {
      for (ChainBlock b : blocks) {
        store.append(b.block(), b.changes());
      }
    } finally {
      done.set(true);
      for (Thread t : readers) {
        t.join();
      }
    }
    if (!failures.isEmpty()) {
      AssertionError e = new AssertionError("a reader saw part of a block (seed " + SEED + ")", failures.peek());
      failures.stream().skip(1).forEach(e::addSuppressed);
      throw e;
    }
    assertThat(store.height()).isEqualTo(40);
  }

  /** One round of reads during appends: whatever a reader sees must belong to a whole, visible block. */
  private static void readOnce(BlockStore store, List<ChainBlock> blocks, java.util.Random random) {
    long h = store.height();
    if (h > 0) {
      Block top = store.block(h).orElseThrow(() -> new AssertionError("height " + h + " but no block " + h));
      assertThat(top).isEqualTo(blocks.get((int) h - 1).block());
      assertThat(MerkleTree.rootOf(top.transactions())).isEqualTo(top.header().transactionsRoot());
    }
    ChainBlock probe = blocks.get(random.nextInt(blocks.size()));
    Transaction tx = probe.block().transactions().get(random.nextInt(probe.block().transactions().size()));
    Optional<LocatedTransaction> found = store.transaction(tx.id());
    if (found.isPresent()) {
      assertThat(found.get().height()).isEqualTo(probe.height());
      assertThat(store.block(probe.height())).as("block of a visible transaction").contains(probe.block());
      assertThat(store.height()).isGreaterThanOrEqualTo(probe.height());
    }
    Optional<Block> byHash = store.block(probe.hash());
    byHash.ifPresent(b -> assertThat(b).isEqualTo(probe.block()));
    String key = "key-" + random.nextInt(TestChain.KEYS);
    Optional<DataEntry> current = store.current(key);
    if (current.isPresent()) {
      long at = current.get().height();
      assertThat(store.block(at)).as("block of a visible write").isPresent();
      List<DataEntry> history = store.history(key, 0, Integer.MAX_VALUE);
      assertThat(history.size()).as("history of %s is whole up to the current version", key)
          .isGreaterThanOrEqualTo((int) current.get().version());
    }
    // nonces are consecutive: an account state that counts past tx's nonce means tx's block is visible
    AccountState state = store.account(tx.sender());
    if (state.nextNonce() > tx.nonce()) {
      assertThat(store.transaction(tx.id())).as("transaction counted by its sender's nonce").isPresent();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
