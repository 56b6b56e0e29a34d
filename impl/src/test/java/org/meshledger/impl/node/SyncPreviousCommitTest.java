package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.meshledger.SyncProgress;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.CommitSignature;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.NodeId;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.impl.consensus.ConsensusMessage;
import org.meshledger.impl.sync.BlockSync;
import org.meshledger.spi.testsupport.TestGenesis;

/**
 * A block that block sync fetches is checked with its previous commit, the way a node checks it
 * ({@link VertxConsensus#verify} on a worker): one whose previous commit is short of a quorum or forged is
 * refused like any bad block, its server scored, and the height is fetched from another peer; one whose previous
 * commit is missing does not even decode (the consensus flood scores a frame that does not decode).
 */
class SyncPreviousCommitTest {
  private final List<KeyPair> keys = List.of(key(1), key(2), key(3), key(4));
  private final Genesis genesis = TestGenesis.chain("sync-previous-commit").validators(4).keys(keys.toArray(KeyPair[]::new))
      .consensus(LedgerNodeTest.FAST).build().genesis();
  private final NodeId liar = key(10).nodeId();
  private final NodeId honest = key(11).nodeId();

  private static KeyPair key(int i) {
    byte[] seed = new byte[32];
    seed[0] = (byte) i;
    seed[1] = 0x7c;
    return KeyPair.fromSeed(seed);
  }

  /** The first quorum of validators, in set order. */
  private List<KeyPair> quorum() {
    return genesis.validators().validators().subList(0, 3).stream()
        .map(id -> keys.stream().filter(k -> k.nodeId().equals(id)).findFirst().orElseThrow()).toList();
  }

  private CommitCertificate certificate(long height, Hash block, List<KeyPair> signers) {
    return new CommitCertificate(height, 0, block,
        signers.stream().map(k -> CommitCertificate.precommit(k, genesis.chainId(), height, 0, block)).toList());
  }

  /** A block at {@code height} on {@code previous} carrying {@code previousCommit}, certified by a quorum. */
  private Block block(long height, Hash previous, Optional<CommitCertificate> previousCommit) {
    BlockHeader h = new BlockHeader(genesis.chainId(), height, previous, previousCommit.map(CommitCertificate::hash).orElse(Hash.ZERO),
        genesis.genesisTime().toEpochMilli() + height, genesis.validators().validators().get(0), MerkleTree.rootOf(List.of()), 0, Hash.ZERO,
        genesis.validators().hash());
    return new Block(h, List.of(), previousCommit, certificate(height, h.hash(), quorum()));
  }

  /** What a peer's DECISION frame decodes to: the block as the wire brings it. */
  private static Block overTheWire(Block b) {
    return ((ConsensusMessage.Decision) ConsensusMessage.decode(ConsensusMessage.encode(new ConsensusMessage.Decision(b)))).block();
  }

  /** Block sync whose verification is the node's, run at once; records penalties and deliveries. */
  private static final class Host implements BlockSync.Host {
    final Genesis genesis;
    BlockSync sync;
    long now;
    final List<String> penalties = new ArrayList<>();
    final List<Block> delivered = new ArrayList<>();
    final List<Map.Entry<NodeId, ConsensusMessage>> sent = new ArrayList<>();

    Host(Genesis genesis) {
      this.genesis = genesis;
    }

    @Override
    public long now() {
      return now;
    }

    @Override
    public void send(NodeId to, ConsensusMessage message) {
      sent.add(Map.entry(to, message));
    }

    @Override
    public void serve(NodeId to, long from, long upTo) {
      sync.served(to);
    }

    @Override
    public void verify(NodeId from, Block block) {
      sync.onVerified(from, block, VertxConsensus.verify(block, genesis)); // on a worker in a node
    }

    @Override
    public boolean deliver(Block block) {
      delivered.add(block);
      sync.onCommitted(block.height(), block.transactions().size());
      return true;
    }

    @Override
    public void penalize(NodeId peer, int points, String reason) {
      penalties.add(points + " " + reason);
    }

    @Override
    public void progress(SyncProgress progress, boolean started, boolean finished) {}

    boolean asked(NodeId peer, long height) {
      return sent.stream().anyMatch(e -> e.getKey().equals(peer) && e.getValue() instanceof ConsensusMessage.SyncRequest r
          && r.height() <= height && height < r.height() + r.count());
    }
  }

  private void refusedFromTheLiarThenFetchedFromTheHonestPeer(Block bad, String reason) {
    Block one = block(1, genesis.hash(), Optional.empty());
    Block good = block(2, one.hash(), Optional.of(one.certificate()));
    Host host = new Host(genesis);
    BlockSync sync = new BlockSync(BlockSync.Settings.DEFAULT, host, 1); // holds block 1
    host.sync = sync;
    sync.onConnected(liar, 2);
    host.now += BlockSync.Settings.DEFAULT.lagGraceMillis(); // a gap of one block is left to consensus for a while
    sync.onTick();
    assertThat(host.asked(liar, 2)).isTrue();
    sync.onBlock(liar, overTheWire(bad));
    assertThat(host.penalties).hasSize(1);
    assertThat(host.penalties.get(0))
        .startsWith(BlockSync.BAD_BLOCK_POINTS + " served block 2 that does not verify: block 2 carries a previous commit that does not verify: ")
        .contains(reason);
    assertThat(host.delivered).isEmpty();

    sync.onConnected(honest, 2);
    host.now += BlockSync.Settings.DEFAULT.lagGraceMillis();
    sync.onTick();
    assertThat(host.asked(honest, 2)).as("block 2 is asked of another peer").isTrue();
    sync.onBlock(honest, overTheWire(good));
    assertThat(host.delivered).containsExactly(good);
    assertThat(host.penalties).hasSize(1);
  }

  @Test
  void aSyncedBlockWhosePreviousCommitIsShortOfAQuorumIsRefusedAndItsServerScored() {
    Block one = block(1, genesis.hash(), Optional.empty());
    CommitCertificate two = certificate(1, one.hash(), quorum().subList(0, 2));
    refusedFromTheLiarThenFetchedFromTheHonestPeer(block(2, one.hash(), Optional.of(two)), "2 signatures; 3 of 4 validators are needed");
  }

  @Test
  void aSyncedBlockWhosePreviousCommitHasAForgedSignatureIsRefusedAndItsServerScored() {
    Block one = block(1, genesis.hash(), Optional.empty());
    List<CommitSignature> sigs = new ArrayList<>(one.certificate().signatures());
    CommitSignature first = sigs.get(0);
    KeyPair other = keys.stream().filter(k -> !k.nodeId().equals(first.validator())).findFirst().orElseThrow();
    sigs.set(0, new CommitSignature(first.validator(), CommitCertificate.precommit(other, genesis.chainId(), 1, 0, one.hash()).signature()));
    CommitCertificate forged = new CommitCertificate(1, 0, one.hash(), sigs);
    refusedFromTheLiarThenFetchedFromTheHonestPeer(block(2, one.hash(), Optional.of(forged)), "bad signature from " + first.validator());
  }

  @Test
  void aDecisionWhoseBlockLacksItsPreviousCommitDoesNotDecode() {
    Block one = block(1, genesis.hash(), Optional.empty());
    Block two = block(2, one.hash(), Optional.of(one.certificate()));
    CanonicalWriter w = new CanonicalWriter().u8(ConsensusMessage.KIND_DECISION).u8(ConsensusMessage.Decision.VERSION).u8(Block.VERSION);
    two.header().writeTo(w);
    w.count(0).bool(false); // no transactions, and no previous commit
    two.certificate().writeTo(w);
    assertThatThrownBy(() -> ConsensusMessage.decode(w.toByteArray())).isInstanceOf(DecodeException.class)
        .hasMessageContaining("block 2 carries no previous commit");
  }
}
