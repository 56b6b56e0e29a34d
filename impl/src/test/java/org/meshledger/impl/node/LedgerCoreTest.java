package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.TransactionValidator;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.impl.consensus.Candidate;
import org.meshledger.impl.incentives.DefaultRewardRule;
import org.meshledger.impl.incentives.IncentiveState;
import org.meshledger.impl.ledger.BlockExecution;
import org.meshledger.impl.ledger.CommittedState;
import org.meshledger.impl.ledger.Executor;
import org.meshledger.impl.ledger.Mempool;
import org.meshledger.impl.ledger.StateDigest;
import org.meshledger.impl.store.InMemoryBlockStore;
import org.meshledger.spi.StoreContext;
import org.meshledger.spi.testsupport.TestGenesis;

/**
 * The ledger's decisions with no Vert.x, no thread and no clock of their own: two nodes' cores, each over its own
 * store, one proposing from its mempool and the other accepting and executing what it proposed, driven by hand as a
 * simulator drives them. Both compute the same digests block after block; a proposal on another digest, height or an
 * earlier time is refused.
 */
class LedgerCoreTest {
  private final KeyPair validator = KeyPair.fromSeed(Hash.sha256(new byte[] {1}).bytes());
  private final KeyPair alice = KeyPair.fromSeed(Hash.sha256(new byte[] {2}).bytes());
  private final Genesis genesis = TestGenesis.chain("core").keys(validator).consensus(LedgerNodeTest.FAST).fund(1_000, alice)
      .build().genesis();
  private long now = genesis.genesisTime().toEpochMilli() + 1_000;

  /** One node's ledger as its driver holds it: the store, and the core over the view, mempool and executor. */
  private final class Side {
    final InMemoryBlockStore store;
    final StateLoader loader;
    final Mempool mempool;
    final LedgerCore core;

    Side(Path dir) {
      store = new InMemoryBlockStore(new StoreContext(dir, genesis.chainId(), genesis.hash()));
      CommittedView view = new CommittedView();
      loader = new StateLoader(new CommittedState(store, genesis), store, Set.of(validator.accountId()), Set.of(IncentiveState.KEY));
      mempool = new Mempool(genesis.chainId(), Mempool.Config.DEFAULTS, view, () -> now);
      core = new LedgerCore(view, new BlockMaterials(), loader, mempool, Executor.of(genesis, new DefaultRewardRule(), TransactionValidator.ACCEPT_ALL),
          () -> now, 100, 1 << 20, 60_000);
      core.resume(0, StateDigest.initial(genesis), genesis.genesisTime().toEpochMilli(), Optional.empty());
    }

    /** Reads what {@code txs} need, here and now: a simulator's store answers at once. */
    void load(List<Transaction> txs) {
      StateLoader.Needs needs = core.needs(txs);
      if (!needs.isEmpty()) {
        core.loading();
        core.loaded(loader.load(needs));
      }
    }

    BlockExecution execute(Block block) {
      load(block.transactions());
      BlockExecution ex = core.attempt(block);
      while (ex == null) { // a pass that read state no earlier pass knew of: load it and run again
        core.loading();
        core.loaded(loader.load(core.missed()));
        ex = core.attempt(block);
      }
      store.append(block, ex.changes());
      core.stored(block, 1_000);
      return ex;
    }
  }

  @Test
  void twoNodesAgreeOnEveryBlockTheOneProposesAndTheOtherAccepts(@TempDir Path dir) {
    Side proposer = new Side(dir.resolve("a"));
    Side follower = new Side(dir.resolve("b"));
    Hash previous = genesis.hash();
    for (int height = 1; height <= 4; height++) {
      Transaction tx = Transaction.sign(genesis.chainId(), alice, height - 1, Amount.of(1), Payload.DataWrite.of("k", new byte[] {(byte) height}));
      proposer.load(List.of(tx));
      assertThat(proposer.mempool.add(tx).valid()).isTrue();
      assertThat(proposer.core.hasWork()).isTrue();
      now += 100;
      Candidate c = proposer.core.propose(genesis.chainId(), genesis.validators(), validator.nodeId(), height, previous, now);
      assertThat(c.transactions()).containsExactly(tx);
      assertThat(follower.core.accept(c)).as("block %d carries the digest the follower computed", height).isTrue();
      assertThat(follower.core.accept(Candidate.of(header(c.header(), c.header().timeMillis(), Hash.sha256(new byte[] {9})), c.transactions(),
          c.previousCommit()))).as("another digest").isFalse();
      Block block = c.certify(new CommitCertificate(height, 0, c.hash(),
          List.of(CommitCertificate.precommit(validator, genesis.chainId(), height, 0, c.hash()))));
      BlockExecution a = proposer.execute(block);
      BlockExecution b = follower.execute(block);
      assertThat(b.stateDigest()).as("digest after block %d", height).isEqualTo(a.stateDigest());
      assertThat(proposer.core.hasWork()).as("the mempool is empty once its transaction committed").isFalse();
      assertThat(follower.core.accept(c)).as("a height already executed").isFalse();
      previous = block.hash();
    }
    assertThat(proposer.store.current("k").orElseThrow().version()).isEqualTo(4);
    assertThat(follower.store.current("k")).isEqualTo(proposer.store.current("k"));
    now -= 10_000;
    Candidate late = proposer.core.propose(genesis.chainId(), genesis.validators(), validator.nodeId(), 5, previous, now);
    assertThat(late.header().timeMillis()).as("a proposer whose clock is behind uses the last block's time").isGreaterThan(now);
    assertThat(follower.core.accept(late)).isTrue();
    Hash tip = previous;
    assertThatThrownBy(() -> proposer.core.propose(genesis.chainId(), genesis.validators(), validator.nodeId(), 7, tip, now))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("block 7");
  }

  private static BlockHeader header(BlockHeader h, long time, Hash digest) {
    return new BlockHeader(h.chainId(), h.height(), h.previousHash(), h.previousCommitHash(), time, h.proposer(), h.transactionsRoot(),
        h.transactionCount(), digest, h.validatorSetHash());
  }
}
