package org.meshledger.impl.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshledger.SyncProgress;
import org.meshledger.Verification;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.crypto.KeyPair;
import org.meshledger.impl.consensus.ConsensusMessage;

/** Block sync driven by hand: its inputs chosen by the test, its actions recorded by a fake host. */
class BlockSyncTest {
  private static final BlockSync.Settings SETTINGS = new BlockSync.Settings(100, 1000, 500, 4, 16, 8, 300, 5_000, 2);
  private static final KeyPair VALIDATOR = KeyPair.fromSeed(new byte[32]);
  private static final ValidatorSet VALIDATORS = ValidatorSet.of(List.of(VALIDATOR.nodeId()));
  private static final NodeId A = KeyPair.fromSeed(seed(1)).nodeId();
  private static final NodeId B = KeyPair.fromSeed(seed(2)).nodeId();

  private static byte[] seed(int b) {
    byte[] s = new byte[32];
    s[0] = (byte) b;
    return s;
  }

  /** A fake world: records what sync asks for; delivering commits. */
  private static final class Host implements BlockSync.Host {
    long now;
    BlockSync sync;
    final List<Map.Entry<NodeId, ConsensusMessage>> sent = new ArrayList<>();
    final List<Block> verifying = new ArrayList<>();
    final List<Block> delivered = new ArrayList<>();
    final List<String> penalties = new ArrayList<>();
    final List<SyncProgress> progress = new ArrayList<>();

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
      sent.add(Map.entry(to, new ConsensusMessage.SyncRequest(from, (int) (upTo - from + 1)))); // recorded as what was served
      sync.served(to);
    }

    @Override
    public void verify(NodeId from, Block block) {
      verifying.add(block);
    }

    @Override
    public boolean deliver(Block block) {
      delivered.add(block);
      sync.onCommitted(block.height(), block.transactions().size());
      return true;
    }

    @Override
    public void penalize(NodeId peer, int points, String reason) {
      penalties.add((peer.equals(A) ? "A" : "B") + " " + points);
    }

    @Override
    public void progress(SyncProgress p, boolean started, boolean finished) {
      progress.add(p);
    }

    List<ConsensusMessage.SyncRequest> requestsTo(NodeId peer) {
      return sent.stream().filter(e -> e.getKey().equals(peer) && e.getValue() instanceof ConsensusMessage.SyncRequest)
          .map(e -> (ConsensusMessage.SyncRequest) e.getValue()).toList();
    }
  }

  private final Host host = new Host();
  private final BlockSync sync = new BlockSync(SETTINGS, host, 0);
  private final List<Block> chain = chain(40);

  BlockSyncTest() {
    host.sync = sync;
  }

  private static List<Block> chain(int n) {
    List<Block> blocks = new ArrayList<>();
    Hash previous = Hash.sha256(new byte[] {1});
    java.util.Optional<CommitCertificate> previousCommit = java.util.Optional.empty();
    for (long h = 1; h <= n; h++) {
      BlockHeader header = new BlockHeader("sync-test", h, previous, previousCommit.map(CommitCertificate::hash).orElse(Hash.ZERO),
          1_700_000_000_000L + h, VALIDATOR.nodeId(), MerkleTree.rootOf(List.of()), 0, Hash.sha256(previous.bytes()), VALIDATORS.hash());
      CommitCertificate cert = new CommitCertificate(h, 0, header.hash(),
          List.of(CommitCertificate.precommit(VALIDATOR, "sync-test", h, 0, header.hash())));
      Block b = new Block(header, List.of(), previousCommit, cert);
      previousCommit = java.util.Optional.of(cert);
      blocks.add(b);
      previous = b.hash();
    }
    return blocks;
  }

  private Block block(long h) {
    return chain.get((int) h - 1);
  }

  @Test
  void fetchesWhatPeersClaimInBoundedPipelinedRangesFromSeveralPeers() {
    sync.onConnected(A, 40);
    sync.onConnected(B, 40);
    List<ConsensusMessage.SyncRequest> toA = host.requestsTo(A);
    List<ConsensusMessage.SyncRequest> toB = host.requestsTo(B);
    assertThat(toA).isNotEmpty();
    assertThat(toB).as("the second peer shares the work").isNotEmpty();
    long asked = toA.stream().mapToLong(ConsensusMessage.SyncRequest::count).sum() + toB.stream().mapToLong(ConsensusMessage.SyncRequest::count).sum();
    assertThat(asked).as("no more than the window beyond the stored height").isEqualTo(SETTINGS.window());
    assertThat(toA).allMatch(r -> r.count() <= SETTINGS.chunk());
  }

  @Test
  void verifiedBlocksReachConsensusInOrderWhateverOrderTheyArriveIn() {
    sync.onConnected(A, 4);
    assertThat(host.requestsTo(A)).containsExactly(new ConsensusMessage.SyncRequest(1, 4));
    for (long h = 4; h >= 1; h--) {
      sync.onBlock(A, block(h));
    }
    assertThat(host.verifying).hasSize(4);
    sync.onVerified(A, block(3), Verification.ok());
    sync.onVerified(A, block(2), Verification.ok());
    assertThat(host.delivered).isEmpty();
    sync.onVerified(A, block(1), Verification.ok());
    sync.onVerified(A, block(4), Verification.ok());
    assertThat(host.delivered).extracting(Block::height).containsExactly(1L, 2L, 3L, 4L);
    assertThat(host.penalties).isEmpty();
  }

  @Test
  void aReplayedOrUnaskedBlockCostsNoVerificationAndScoresThePeer() {
    sync.onConnected(A, 2);
    sync.onConnected(B, 0);
    for (long h = 1; h <= 2; h++) {
      sync.onBlock(A, block(h));
      sync.onVerified(A, block(h), Verification.ok());
    }
    for (int i = 0; i < 50; i++) {
      sync.onBlock(A, block(1)); // a replay of what it served
      sync.onBlock(B, block(3)); // a block nobody asked B for
    }
    assertThat(host.verifying).extracting(Block::height).containsExactly(1L, 2L);
    assertThat(host.penalties).hasSize(100).allMatch(p -> p.endsWith(" " + BlockSync.UNSOLICITED_POINTS));
  }

  @Test
  void aSlowPeerIsAskedLessButNotScoredAndItsLateAnswerIsNoReplay() {
    sync.onConnected(A, 8);
    List<ConsensusMessage.SyncRequest> asked = host.requestsTo(A);
    assertThat(asked).hasSize(2); // 1-4 and 5-8
    sync.onBlock(A, block(1));
    host.now += SETTINGS.requestTimeoutMillis() - 100;
    sync.onBlock(A, block(2));
    host.now += 100;
    sync.onTick(); // 3-8 expire; A delivered 100 ms ago: slow, not lying
    assertThat(host.penalties).isEmpty();
    sync.onBlock(A, block(3)); // late
    assertThat(host.penalties).isEmpty();
    assertThat(host.verifying).extracting(Block::height).containsExactly(1L, 2L);
  }

  @Test
  void aBadBlockBansItsServerAndTheHeightIsAskedOfAnotherPeer() {
    sync.onConnected(A, 4);
    sync.onConnected(B, 4);
    NodeId first = host.requestsTo(A).isEmpty() ? B : A;
    NodeId other = first.equals(A) ? B : A;
    ConsensusMessage.SyncRequest r = (first.equals(A) ? host.requestsTo(A) : host.requestsTo(B)).get(0);
    sync.onBlock(first, block(r.height()));
    sync.onVerified(first, block(r.height()), Verification.failed("forged certificate"));
    assertThat(host.penalties).containsExactly((first.equals(A) ? "A " : "B ") + BlockSync.BAD_BLOCK_POINTS);
    host.now += 200;
    sync.onTick();
    List<ConsensusMessage.SyncRequest> again = other.equals(A) ? host.requestsTo(A) : host.requestsTo(B);
    assertThat(again).anyMatch(x -> x.height() <= r.height() && r.height() < x.height() + x.count());
  }

  @Test
  void aPeerThatClaimsAHeightItCannotServeIsScoredAndDistrustedAndSyncGoesOnElsewhere() {
    sync.onConnected(A, 1_000_000); // a false height
    assertThat(host.requestsTo(A)).isNotEmpty();
    host.now += SETTINGS.requestTimeoutMillis();
    sync.onTick();
    assertThat(host.penalties).containsExactly("A " + BlockSync.TIMEOUT_POINTS);
    assertThat(sync.target()).as("its claim is capped").isEqualTo(0);
    sync.onConnected(B, 3);
    assertThat(host.requestsTo(B)).containsExactly(new ConsensusMessage.SyncRequest(1, 3));
    for (long h = 1; h <= 3; h++) {
      sync.onBlock(B, block(h));
      sync.onVerified(B, block(h), Verification.ok());
    }
    assertThat(host.delivered).hasSize(3);
    host.now += SETTINGS.distrustMillis();
    sync.onStatus(A, 1_000_000);
    assertThat(sync.target()).as("trusted again after a while, and asked again").isEqualTo(1_000_000);
  }

  @ParameterizedTest(name = "the clock reads {0} ms")
  @ValueSource(longs = {0, -60_000, 1_700_000_000_000L})
  void aGapOfOneBlockIsLeftToConsensusForAWhileThenFetched(long clock) {
    host.now = clock; // a clock below 0 once made the grace restart at every tick (the simulator's skewed clocks)
    sync.onConnected(A, 1);
    assertThat(host.requestsTo(A)).isEmpty();
    host.now += SETTINGS.lagGraceMillis();
    sync.onTick();
    assertThat(host.requestsTo(A)).containsExactly(new ConsensusMessage.SyncRequest(1, 1));
  }

  @Test
  void servesOnlyWhatItHoldsAndAFewRequestsPerPeerAtATime() {
    BlockSync at10 = new BlockSync(SETTINGS, host, 10);
    host.sync = at10;
    at10.onConnected(A, 0);
    host.sent.clear();
    at10.onRequest(A, 11, 4);
    assertThat(host.sent).as("nothing above its height").isEmpty();
    at10.onRequest(A, 8, 8);
    assertThat(host.requestsTo(A)).containsExactly(new ConsensusMessage.SyncRequest(8, 3));
  }

  @Test
  void reportsProgressWhenCatchingUpStartsWhileItRunsAndWhenItEnds() {
    sync.onConnected(A, 12);
    sync.onTick();
    assertThat(host.progress).hasSize(1);
    assertThat(host.progress.get(0).catchingUp()).isTrue();
    assertThat(host.progress.get(0).target()).isEqualTo(12);
    int answered = 0;
    while (host.delivered.size() < 12 && host.now < 10_000) { // A answers each request at once, one tick apart
      List<ConsensusMessage.SyncRequest> asked = host.requestsTo(A);
      for (; answered < asked.size(); answered++) {
        ConsensusMessage.SyncRequest r = asked.get(answered);
        for (long h = r.height(); h < r.height() + r.count(); h++) {
          sync.onBlock(A, block(h));
          sync.onVerified(A, block(h), Verification.ok());
        }
      }
      host.now += 100;
      sync.onTick();
    }
    SyncProgress last = host.progress.get(host.progress.size() - 1);
    assertThat(last.catchingUp()).isFalse();
    assertThat(last.remaining()).as("reported as soon as it is in sync: at most a block short").isLessThan(SyncProgress.CATCHING_UP_GAP);
    assertThat(host.delivered).hasSize(12);
    assertThat(host.progress).anyMatch(p -> p.blocksPerSecond() > 0);
  }
}
