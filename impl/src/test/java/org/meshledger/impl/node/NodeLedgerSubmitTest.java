package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.NodeOptions;
import org.meshledger.Spreading;
import org.meshledger.SubmitTimeoutException;
import org.meshledger.TransactionRejectedException;
import org.meshledger.TransactionValidator;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.impl.consensus.Candidate;
import org.meshledger.impl.ledger.StateDigest;
import org.meshledger.impl.spreading.RelayPropagator;
import org.meshledger.impl.store.InMemoryBlockStore;
import org.meshledger.spi.StoreContext;
import org.meshledger.spi.testsupport.TestGenesis;

/**
 * A submit that is not final in time fails with a {@link SubmitTimeoutException} naming what held it up, and the
 * transaction stays in the mempool; a node that is catching up says so instead of talking about nonce windows.
 * The ledger alone, with no consensus: nothing commits unless the test executes a block.
 */
class NodeLedgerSubmitTest {
  private static final Duration TIMEOUT = Duration.ofMillis(300);
  private final Vertx vertx = Vertx.vertx();
  private final KeyPair validator = KeyPair.generate();
  private final KeyPair alice = KeyPair.generate();
  private final KeyPair bob = KeyPair.generate();
  private final Genesis genesis = TestGenesis.chain("submit").keys(validator).consensus(LedgerNodeTest.FAST).fund(1_000, alice, bob)
      .build().genesis();
  private final io.vertx.core.Context context = vertx.getOrCreateContext();

  @AfterEach
  void tearDown() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private NodeLedger ledger(Path dir) {
    return ledger(dir, TIMEOUT);
  }

  private NodeLedger ledger(Path dir, Duration submitTimeout) {
    InMemoryBlockStore store = new InMemoryBlockStore(new StoreContext(dir, genesis.chainId(), genesis.hash()));
    NodeLedger l = new NodeLedger(context, genesis, store, new NodeOptions().setSubmitTimeout(submitTimeout), TransactionValidator.ACCEPT_ALL,
        new RelayPropagator(Spreading.flooding(), task -> {}) /* no network: the ledger's batches go nowhere */, () -> true, new org.meshledger.impl.host.HostCallbacks("test"),
        new org.meshledger.impl.incentives.DefaultRewardRule());
    l.start(0, StateDigest.initial(genesis), genesis.genesisTime().toEpochMilli(), java.util.Optional.empty());
    return l;
  }

  private Transaction tx(KeyPair from, long nonce) {
    return Transaction.sign(genesis.chainId(), from, nonce, Amount.of(1), Payload.DataWrite.of("k" + nonce, new byte[] {1}));
  }

  /** The failure of {@code f}, within ten times the submit timeout. */
  private static Throwable failure(Future<Receipt> f) throws Exception {
    try {
      Receipt r = f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + r);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
  }

  private <T> T onContext(java.util.concurrent.Callable<T> c) throws Exception {
    return Future.<T>future(p -> context.runOnContext(v -> {
      try {
        p.complete(c.call());
      } catch (Exception e) {
        p.fail(e);
      }
    })).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void withNoBlockCommittedTheSubmitTimesOutSayingNoQuorumAndTheTransactionStays(@TempDir Path dir) throws Exception {
    NodeLedger l = ledger(dir);
    Transaction t = tx(alice, 0);
    long began = System.nanoTime();
    Throwable e = failure(l.submit(t));
    long waited = (System.nanoTime() - began) / 1_000_000;

    assertThat(e).isInstanceOf(SubmitTimeoutException.class);
    SubmitTimeoutException timeout = (SubmitTimeoutException) e;
    assertThat(timeout.transactionId()).isEqualTo(t.id());
    assertThat(timeout.reason()).startsWith("no quorum: no block was committed since the submit (the chain is at height 0)");
    assertThat(timeout.getMessage()).as("what was awaited, for how long, and the setting that says so")
        .startsWith("timed out after 300 ms (NodeOptions.submitTimeout) waiting for transaction " + t.id() + " to be final: no quorum")
        .contains("may still become final", "Ledger.receipt(" + t.id() + ")");
    // The timeout is the behaviour under test: never sooner than the setting; later only by scheduling delay, so the
    // upper bound is generous for two busy cores.
    assertThat(waited).as("ms until the failure").isBetween(TIMEOUT.toMillis(), TIMEOUT.toMillis() + 10_000);
    assertThat(onContext(l::hasWork)).as("the transaction is not withdrawn").isTrue();
    assertThat(onContext(() -> l.propose(genesis.chainId(), genesis.validators(), validator.nodeId(), 1, genesis.hash(),
        System.currentTimeMillis()).transactions())).containsExactly(t);
  }

  @Test
  void whenBlocksCommitWithoutItTheReasonIsThatItIsStillInTheMempool(@TempDir Path dir) throws Exception {
    // A longer timeout than the others': the block must execute (its accounts are read on a worker) and be stored
    // before the submit times out, also on two busy cores.
    NodeLedger l = ledger(dir, Duration.ofSeconds(3));
    Transaction gap = tx(alice, 1); // nonce 0 never comes: it cannot be proposed
    Future<Receipt> waiting = l.submit(gap);
    Transaction other = tx(bob, 0);
    onContext(() -> {
      long t0 = genesis.genesisTime().toEpochMilli() + 1_000;
      Candidate one = Candidate.of(new BlockHeader(genesis.chainId(), 1, genesis.hash(), Hash.ZERO, t0, validator.nodeId(),
          MerkleTree.rootOf(List.of(other)), 1, StateDigest.initial(genesis), genesis.validators().hash()), List.of(other), java.util.Optional.empty());
      Block b1 = one.certify(new CommitCertificate(1, 0, one.hash(), List.of()));
      l.execute(b1).onSuccess(ex -> l.stored(b1, ex)); // completes once alice's and bob's accounts are read
      return null;
    });
    Throwable e = failure(waiting);

    assertThat(e).isInstanceOf(SubmitTimeoutException.class);
    assertThat(((SubmitTimeoutException) e).reason()).startsWith("not yet proposed: still in the mempool (1 transactions wait) while blocks 1 to 1"
        + " committed without it");
  }

  @Test
  void aNodeThatIsCatchingUpSaysSoInsteadOfNamingANonceWindow(@TempDir Path dir) throws Exception {
    NodeLedger l = ledger(dir);
    onContext(() -> {
      l.syncProgress(1_200, 5_000);
      return null;
    });
    Throwable far = failure(l.submit(tx(alice, 103)));
    assertThat(far).isInstanceOf(TransactionRejectedException.class);
    assertThat(((TransactionRejectedException) far).reason())
        .isEqualTo("the node is catching up (height 1,200 of 5,000): submit again when it is in sync, or to another node");

    Throwable near = failure(l.submit(tx(alice, 0)));
    assertThat(near).isInstanceOf(SubmitTimeoutException.class);
    assertThat(((SubmitTimeoutException) near).reason()).startsWith("the node is catching up (height 1,200 of 5,000)");

    onContext(() -> {
      l.syncProgress(5_000, 5_001); // one block behind: in sync for this purpose
      return null;
    });
    Throwable inSync = failure(l.submit(tx(bob, 103)));
    assertThat(((TransactionRejectedException) inSync).reason()).isEqualTo("nonce 103 is outside the window [0, 64)");
  }
}
