package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.NodeOptions;
import org.meshledger.Spreading;
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
import org.meshledger.impl.ledger.StateDigest;
import org.meshledger.impl.spreading.RelayPropagator;
import org.meshledger.impl.store.InMemoryBlockStore;
import org.meshledger.spi.StoreContext;
import org.meshledger.spi.testsupport.TestGenesis;

/**
 * The ledger's part of valid(v), which every honest validator answers alike: a proposal must follow the last
 * executed block, carry the state digest this node computed, and not go back in time. A proposal from a node
 * whose state differs (another host validator, say) is refused, so the chain stops rather than forks.
 */
class NodeLedgerValidityTest {
  private final Vertx vertx = Vertx.vertx();
  private final KeyPair validator = KeyPair.generate();
  private final KeyPair alice = KeyPair.generate();
  private final Genesis genesis = TestGenesis.chain("validity").keys(validator).consensus(LedgerNodeTest.FAST).fund(1_000, alice)
      .build().genesis();

  @AfterEach
  void tearDown() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private NodeLedger ledger(Path dir) {
    NodeLedger l = unstarted(dir);
    l.start(0, StateDigest.initial(genesis), genesis.genesisTime().toEpochMilli(), java.util.Optional.empty());
    return l;
  }

  private NodeLedger unstarted(Path dir) {
    InMemoryBlockStore store = new InMemoryBlockStore(new StoreContext(dir, genesis.chainId(), genesis.hash()));
    return new NodeLedger(vertx.getOrCreateContext(), genesis, store, new NodeOptions(), TransactionValidator.ACCEPT_ALL,
        new RelayPropagator(Spreading.flooding(), task -> {}) /* no network: the ledger's batches go nowhere */, () -> true, new org.meshledger.impl.host.HostCallbacks("test"),
        new org.meshledger.impl.incentives.DefaultRewardRule());
  }

  private Candidate propose(NodeLedger l, long height, Hash previous, long now) {
    return l.propose(genesis.chainId(), genesis.validators(), validator.nodeId(), height, previous, now);
  }

  private static Candidate withHeader(Candidate c, BlockHeader h) {
    return Candidate.of(h, c.transactions(), c.previousCommit());
  }

  private static BlockHeader header(BlockHeader h, long time, Hash digest) {
    return new BlockHeader(h.chainId(), h.height(), h.previousHash(), h.previousCommitHash(), time, h.proposer(), h.transactionsRoot(),
        h.transactionCount(), digest, h.validatorSetHash());
  }

  @Test
  void aProposalMustCarryThisNodesDigestFollowTheLastBlockAndNotGoBackInTime(@TempDir Path dir) throws Exception {
    NodeLedger l = ledger(dir);
    long t0 = genesis.genesisTime().toEpochMilli() + 1_000;
    Candidate good = propose(l, 1, genesis.hash(), t0);
    assertThat(l.accept(good)).isTrue();
    assertThat(l.accept(withHeader(good, header(good.header(), t0, Hash.sha256(new byte[] {1}))))).as("another state digest").isFalse();
    assertThat(l.accept(withHeader(good, header(good.header(), genesis.genesisTime().toEpochMilli() - 1, good.header().stateDigest()))))
        .as("before the genesis").isFalse();
    assertThat(l.accept(propose(l, 1, genesis.hash(), t0))).isTrue();

    // Block 1 commits with a transaction; the digest moves, and block 2 must carry the new one.
    Transaction tx = Transaction.sign(genesis.chainId(), alice, 0, Amount.of(1), Payload.DataWrite.of("k", new byte[] {1}));
    Candidate one = Candidate.of(new BlockHeader(genesis.chainId(), 1, genesis.hash(), Hash.ZERO, t0, validator.nodeId(),
        org.meshledger.chain.MerkleTree.rootOf(List.of(tx)), 1, StateDigest.initial(genesis), genesis.validators().hash()), List.of(tx), java.util.Optional.empty());
    Block b1 = one.certify(new CommitCertificate(1, 0, one.hash(), List.of()));
    var executed = l.execute(b1).toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    Candidate stale = withHeader(propose(l, 2, b1.hash(), t0 + 100), header(propose(l, 2, b1.hash(), t0 + 100).header(), t0 + 100,
        StateDigest.initial(genesis)));
    assertThat(l.accept(stale)).as("the digest before block 1").isFalse();
    Candidate two = propose(l, 2, b1.hash(), t0 + 100);
    assertThat(two.header().stateDigest()).isEqualTo(executed.stateDigest());
    assertThat(two.previousCommit()).as("block 2 carries the certificate block 1 was executed with").contains(b1.certificate());
    assertThat(two.header().previousCommitHash()).isEqualTo(b1.certificate().hash());
    assertThat(l.accept(two)).isTrue();
    assertThat(l.accept(withHeader(two, header(two.header(), t0 - 1, two.header().stateDigest())))).as("earlier than block 1").isFalse();
    assertThat(propose(l, 2, b1.hash(), t0 - 5_000).header().timeMillis()).as("a proposer whose clock is behind uses block 1's time")
        .isEqualTo(t0);
    assertThat(l.accept(good)).as("a height already executed").isFalse();
  }

  @Test
  void aProposalCarriesTheCertificateOfTheLastBlockWhichARestartedNodeIsGiven(@TempDir Path dir) {
    NodeLedger l = ledger(dir);
    long t0 = genesis.genesisTime().toEpochMilli() + 1_000;
    assertThat(propose(l, 1, genesis.hash(), t0).previousCommit()).as("block 1 has no previous block").isEmpty();

    // A node that resumes after block 7 proposes block 8 with the certificate it read for block 7 (off the event loop).
    Hash seven = Hash.sha256(new byte[] {7});
    CommitCertificate certificate = new CommitCertificate(7, 2, seven, List.of(CommitCertificate.precommit(validator, genesis.chainId(), 7, 2, seven)));
    NodeLedger resumed = unstarted(dir.resolve("resumed"));
    resumed.start(7, StateDigest.initial(genesis), t0, java.util.Optional.of(certificate));
    Candidate eight = propose(resumed, 8, seven, t0 + 100);
    assertThat(eight.previousCommit()).contains(certificate);
    assertThat(eight.header().previousCommitHash()).isEqualTo(certificate.hash());
  }
}
