package org.meshledger.impl.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.meshledger.impl.consensus.Fixture.CHAIN;
import static org.meshledger.impl.consensus.Fixture.GENESIS;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshledger.chain.Block;
import org.meshledger.chain.NodeId;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;

/** The state machine driven by hand: one node, its inputs chosen by the test, its outputs recorded. */
class TendermintTest {
  private final Fixture f = new Fixture(4);
  // at height 1 the proposers of rounds 0, 1, 2, 3 are validators 1, 2, 3, 0: the node under test is 0
  private final KeyPair me = f.validator(0);
  private final Fixture.Host host = new Fixture.Host(f, me.nodeId());
  private final Tendermint t = new Tendermint(f.config(me), host, 0, GENESIS, null);

  private void vote(int validator, VoteType type, int round, Candidate value) {
    KeyPair k = f.validator(validator);
    t.onMessage(k.nodeId(), Vote.sign(k, CHAIN, type, 1, round, value == null ? null : value.hash()));
  }

  private void propose(int round, Candidate value, int validRound) {
    KeyPair k = f.validator((1 + round) % 4);
    t.onMessage(k.nodeId(), Proposal.sign(k, CHAIN, 1, round, value, validRound));
  }

  private Candidate value(int proposer, long salt) {
    return f.candidate(1, GENESIS, f.validator(proposer).nodeId(), salt);
  }

  @Test
  void aSingleValidatorCommitsAlone() {
    Fixture one = new Fixture(1);
    Fixture.Host h = new Fixture.Host(one, one.validator(0).nodeId());
    Tendermint solo = new Tendermint(one.config(one.validator(0)), h, 0, GENESIS, null);
    solo.start();
    for (int i = 0; i < 5; i++) {
      solo.onTimeout(new Timeout(Timeout.Kind.NEW_HEIGHT, solo.height(), 0)); // the block interval passes
    }
    assertThat(h.chain).hasSize(6);
    for (Block b : h.chain) {
      assertThat(b.verify(one.validators).valid()).isTrue();
      assertThat(b.certificate().signatures()).hasSize(1);
    }
    assertThat(h.chain.get(1).header().previousHash()).isEqualTo(h.chain.get(0).hash());
  }

  @Test
  void nothingSignedLeavesBeforeItsSafetyRecordIsDurable() {
    host.synchronous = false;
    t.start();
    Candidate v = value(1, 1);
    propose(0, v, -1);
    assertThat(host.persisted.prevote().block()).as("the prevote is signed and its record asked for").isEqualTo(v.hash());
    assertThat(host.votes(VoteType.PREVOTE)).as("but it waits for the write").isEmpty();
    assertThat(t.pendingWrites()).isEqualTo(1);
    t.onDurable();
    assertThat(host.votes(VoteType.PREVOTE)).hasSize(1);
    assertThat(t.held()).isZero();
    assertThatThrownBy(t::onDurable).as("a durable report without a pending write").isInstanceOf(IllegalStateException.class);
  }

  @Test
  void nothingOfTheNextHeightLeavesBeforeTheBlockIsStored() {
    Fixture one = new Fixture(1);
    Fixture.Host h = new Fixture.Host(one, one.validator(0).nodeId());
    h.synchronous = false;
    Tendermint solo = new Tendermint(one.config(one.validator(0)), h, 0, GENESIS, null);
    solo.start(); // proposes, votes and commits block 1 alone: three writes (proposal, prevote, precommit records) and the block
    assertThat(h.chain).hasSize(1);
    assertThat(h.sent).as("nothing leaves before the proposal's record is durable").isEmpty();
    for (int i = 0; i < h.writes; i++) {
      solo.onDurable();
    }
    assertThat(h.sent).as("the proposal and both votes, once all is durable").hasSize(3);
    int written = h.writes;
    solo.onTimeout(new Timeout(Timeout.Kind.NEW_HEIGHT, 2, 0));
    assertThat(h.writes).isGreaterThan(written);
    assertThat(h.sent).as("height 2's proposal waits for its own record").hasSize(3);
  }

  @Test
  void anIdleChainWaitsForTheHeartbeatUnlessWorkComesAndAnEarlyTimerIsArmedAgain() {
    Fixture one = new Fixture(1);
    KeyPair k = one.validator(0);
    Fixture.Host h = new Fixture.Host(one, k.nodeId());
    h.work = false;
    ConsensusParameters params = new ConsensusParameters(java.time.Duration.ofMillis(1000), java.time.Duration.ofMillis(500),
        java.time.Duration.ofMillis(250), java.time.Duration.ofMillis(250), java.time.Duration.ofSeconds(10), 100);
    Tendermint solo = new Tendermint(new ConsensusConfig(CHAIN, one.validators, params, k, SignatureVerifier.DIRECT), h, 0, GENESIS, null);
    solo.start(); // block 1 at once, then the wait for height 2
    assertThat(h.chain).hasSize(1);
    h.now = 249; // the interval (250 ms) has not quite passed by the host's clock when the timer fires
    solo.onTimeout(new Timeout(Timeout.Kind.NEW_HEIGHT, 2, 0));
    assertThat(solo.waitingForHeight()).isTrue();
    assertThat(h.lastDelay(Timeout.Kind.NEW_HEIGHT)).as("armed again for the last millisecond").isEqualTo(1);
    h.now = 250;
    solo.onTimeout(new Timeout(Timeout.Kind.NEW_HEIGHT, 2, 0));
    assertThat(solo.waitingForHeight()).as("idle: waits on").isTrue();
    assertThat(h.lastDelay(Timeout.Kind.NEW_HEIGHT)).as("for the heartbeat (10 s) after the commit").isEqualTo(10_000 - 250);
    h.now = 3_000;
    h.work = true;
    solo.onWork();
    assertThat(h.chain).as("work arrived after the interval: height 2 starts, and a lone validator decides it").hasSize(2);
    h.work = false;
    h.now = 3_100;
    solo.onTimeout(new Timeout(Timeout.Kind.NEW_HEIGHT, 3, 0)); // before the interval: armed again
    h.now = 13_000;
    solo.onTimeout(new Timeout(Timeout.Kind.NEW_HEIGHT, 3, 0));
    assertThat(h.chain).as("the heartbeat passed: an empty block").hasSize(3);
  }

  @Test
  void timeoutsGrowWithTheRound() {
    t.start();
    assertThat(host.lastDelay(Timeout.Kind.PROPOSE)).isEqualTo(1000);
    t.onTimeout(new Timeout(Timeout.Kind.PROPOSE, 1, 0));
    assertThat(host.lastVote(VoteType.PREVOTE).isNil()).isTrue();
    for (int v = 1; v <= 2; v++) {
      vote(v, VoteType.PREVOTE, 0, null);
    }
    assertThat(host.lastDelay(Timeout.Kind.PREVOTE)).isEqualTo(500);
    for (int v = 1; v <= 3; v++) {
      vote(v, VoteType.PRECOMMIT, 0, value(1, 9)); // two thirds precommitted, for a block this node never saw
    }
    assertThat(host.lastDelay(Timeout.Kind.PRECOMMIT)).isEqualTo(500);
    t.onTimeout(new Timeout(Timeout.Kind.PRECOMMIT, 1, 0));
    assertThat(t.round()).isEqualTo(1);
    assertThat(host.lastDelay(Timeout.Kind.PROPOSE)).isEqualTo(1250);
    t.onTimeout(new Timeout(Timeout.Kind.PRECOMMIT, 1, 0)); // stale: ignored
    assertThat(t.round()).isEqualTo(1);
  }

  @Test
  void aLockedValidatorPrevotesNilForAnotherValueUntilALaterProofOfLock() {
    t.start();
    Candidate v = value(1, 1);
    propose(0, v, -1);
    assertThat(host.lastVote(VoteType.PREVOTE).block()).isEqualTo(v.hash());
    vote(1, VoteType.PREVOTE, 0, v);
    vote(2, VoteType.PREVOTE, 0, v);
    assertThat(host.lastVote(VoteType.PRECOMMIT).block()).as("locked on v").isEqualTo(v.hash());
    vote(1, VoteType.PRECOMMIT, 0, null);
    vote(2, VoteType.PRECOMMIT, 0, null);
    t.onTimeout(new Timeout(Timeout.Kind.PRECOMMIT, 1, 0));

    Candidate w = value(2, 2);
    propose(1, w, -1);
    assertThat(host.lastVote(VoteType.PREVOTE).round()).isEqualTo(1);
    assertThat(host.lastVote(VoteType.PREVOTE).isNil()).as("locked on v: no prevote for w").isTrue();

    // two others prevoted w in round 1 as well: with this node's nil no quorum; then round 2 begins (f+1 are there)
    vote(1, VoteType.PREVOTE, 1, w);
    vote(2, VoteType.PREVOTE, 1, w);
    vote(1, VoteType.PREVOTE, 2, null);
    vote(3, VoteType.PREVOTE, 2, null);
    assertThat(t.round()).isEqualTo(2);
    // round 2 re-proposes w with a proof of lock from round 1, once the third prevote for w shows up
    propose(2, w, 1);
    assertThat(host.votes(VoteType.PREVOTE)).noneMatch(x -> x.round() == 2);
    vote(3, VoteType.PREVOTE, 1, w);
    assertThat(host.lastVote(VoteType.PREVOTE).round()).isEqualTo(2);
    assertThat(host.lastVote(VoteType.PREVOTE).block()).as("a proof of lock newer than the lock unlocks").isEqualTo(w.hash());
  }

  @Test
  void aLockedValidatorPrevotesItsLockedValueWhenReproposed() {
    t.start();
    Candidate v = value(1, 1);
    propose(0, v, -1);
    vote(1, VoteType.PREVOTE, 0, v);
    vote(2, VoteType.PREVOTE, 0, v);
    vote(1, VoteType.PRECOMMIT, 0, null);
    vote(2, VoteType.PRECOMMIT, 0, null);
    t.onTimeout(new Timeout(Timeout.Kind.PRECOMMIT, 1, 0));
    propose(1, v, 0);
    assertThat(host.lastVote(VoteType.PREVOTE).round()).isEqualTo(1);
    assertThat(host.lastVote(VoteType.PREVOTE).block()).isEqualTo(v.hash());
  }

  @Test
  void anInvalidBlockGetsANilPrevote() {
    t.start();
    Candidate wrongParent = f.candidate(1, org.meshledger.chain.Hash.sha256(new byte[] {9}), f.validator(1).nodeId(), 1);
    propose(0, wrongParent, -1);
    assertThat(host.lastVote(VoteType.PREVOTE).isNil()).isTrue();
  }

  @Test
  void aProposalFromTheWrongProposerIsIgnored() {
    t.start();
    KeyPair notProposer = f.validator(3);
    t.onMessage(notProposer.nodeId(), Proposal.sign(notProposer, CHAIN, 1, 0, value(3, 1), -1));
    assertThat(host.votes(VoteType.PREVOTE)).isEmpty();
  }

  @Test
  void commitsWithACertificateFromThePrecommits() {
    t.start();
    Candidate v = value(1, 1);
    propose(0, v, -1);
    vote(1, VoteType.PRECOMMIT, 0, v);
    vote(2, VoteType.PRECOMMIT, 0, v);
    assertThat(host.chain).isEmpty();
    vote(3, VoteType.PRECOMMIT, 0, v);
    assertThat(host.chain).hasSize(1);
    Block b = host.chain.get(0);
    assertThat(b.hash()).isEqualTo(v.hash());
    assertThat(b.verify(f.validators).valid()).isTrue();
    assertThat(t.height()).isEqualTo(2);
  }

  @Test
  void aFollowerCommitsFromTheValidatorsPrecommitsAndNeverSigns() {
    KeyPair outsider = org.meshledger.impl.sim.Schedule.key(9);
    Fixture.Host fh = new Fixture.Host(f, outsider.nodeId());
    Tendermint follower = new Tendermint(f.config(outsider), fh, 0, GENESIS, null);
    follower.start();
    Candidate v = value(1, 1);
    KeyPair p = f.validator(1);
    follower.onMessage(p.nodeId(), Proposal.sign(p, CHAIN, 1, 0, v, -1));
    for (int i = 0; i < 3; i++) {
      KeyPair k = f.validator(i);
      follower.onMessage(k.nodeId(), Vote.sign(k, CHAIN, VoteType.PRECOMMIT, 1, 0, v.hash()));
    }
    assertThat(fh.chain).extracting(Block::hash).containsExactly(v.hash());
    assertThat(fh.sent).isEmpty();
    assertThat(fh.persisted).isNull();
  }

  /** Certified blocks committed by validators 1-3, each carrying the certificate of the one before. */
  private List<Block> certifiedChain(int length) {
    List<Block> chain = new java.util.ArrayList<>();
    org.meshledger.chain.Hash previous = GENESIS;
    for (long h = 1; h <= length; h++) {
      java.util.Optional<org.meshledger.chain.CommitCertificate> previousCommit = chain.isEmpty() ? java.util.Optional.empty()
          : java.util.Optional.of(chain.get(chain.size() - 1).certificate());
      Candidate c = f.candidate(h, previous, previousCommit, f.validator(1).nodeId(), h);
      List<org.meshledger.chain.CommitSignature> sigs = new java.util.ArrayList<>();
      for (int i = 1; i < 4; i++) {
        sigs.add(Vote.sign(f.validator(i), CHAIN, VoteType.PRECOMMIT, h, 0, c.hash()).asCommitSignature());
      }
      chain.add(c.certify(new org.meshledger.chain.CommitCertificate(h, 0, c.hash(), sigs)));
      previous = c.hash();
    }
    return chain;
  }

  @Test
  void certifiedBlocksFromSyncCommitInOrderOnly() {
    List<Block> chain = certifiedChain(3);
    t.start();
    assertThat(t.onCertifiedBlock(chain.get(1))).as("block 2 before block 1").isFalse();
    assertThat(t.onCertifiedBlock(chain.get(0))).isTrue();
    assertThat(t.onCertifiedBlock(chain.get(0))).as("block 1 again").isFalse();
    assertThat(t.onCertifiedBlock(chain.get(1))).isTrue();
    assertThat(t.onCertifiedBlock(chain.get(2))).isTrue();
    assertThat(host.chain).extracting(Block::hash).containsExactlyElementsOf(chain.stream().map(Block::hash).toList());
    assertThat(t.height()).isEqualTo(4);
  }

  @Test
  void aCertifiedBlockWithoutAQuorumOfSignersIsNotCommitted() {
    Block b = certifiedChain(1).get(0);
    org.meshledger.chain.CommitCertificate c = b.certificate();
    List<org.meshledger.chain.CommitSignature> two = List.of(c.signatures().get(0), c.signatures().get(1));
    Block twoOfFour = new Block(b.header(), b.transactions(), b.previousCommit(), new org.meshledger.chain.CommitCertificate(1, 0, c.blockHash(), two));
    t.start();
    assertThat(t.onCertifiedBlock(twoOfFour)).as("two signers of four").isFalse();
    assertThat(host.chain).isEmpty();
  }

  /**
   * Issue 11, bug 2: a validator whose store lost blocks it had committed follows without signing until the
   * chain reaches the height of its safety record, and then signs again, even when sync brings the blocks up to
   * and past that height in one go (the Vert.x driver used to swap machines on a scheduled task, which lost
   * that race and left the validator following for good).
   */
  @Test
  void aValidatorBehindItsSafetyRecordSignsAgainOnceSyncPassesIt() {
    List<Block> chain = certifiedChain(4);
    SafetyRecord signedAt3 = SafetyRecord.empty(3); // it had reached height 3 before its store lost blocks 1 and 2
    Tendermint rebuilt = new Tendermint(f.config(me), host, 0, GENESIS, signedAt3);
    rebuilt.start();
    assertThat(rebuilt.signing()).isFalse();
    rebuilt.onTimeout(new Timeout(Timeout.Kind.PROPOSE, 1, 0));
    assertThat(host.sent).as("nothing signed below the record's height").isEmpty();
    for (Block b : chain) { // all four blocks in one turn
      assertThat(rebuilt.onCertifiedBlock(b)).isTrue();
    }
    assertThat(rebuilt.height()).isEqualTo(5);
    assertThat(rebuilt.signing()).isTrue();
    rebuilt.onTimeout(new Timeout(Timeout.Kind.NEW_HEIGHT, 5, 0));
    rebuilt.onTimeout(new Timeout(Timeout.Kind.PROPOSE, 5, 0));
    assertThat(host.lastVote(VoteType.PREVOTE)).as("it prevotes at height 5").isNotNull();
    assertThat(host.lastVote(VoteType.PREVOTE).height()).isEqualTo(5);
    assertThat(host.persisted.height()).isEqualTo(5);
  }

  @Test
  void aValidatorReachingItsSafetyRecordsHeightResumesItsRoundAndVote() {
    t.start();
    Candidate v = value(1, 1);
    propose(0, v, -1);
    Vote signed = host.lastVote(VoteType.PREVOTE);
    SafetyRecord record = host.persisted;
    // its store lost everything; the record is for height 1, the chain restarts at 0: height 1 is the record's
    Fixture.Host after = new Fixture.Host(f, me.nodeId());
    Tendermint restarted = new Tendermint(f.config(me), after, 0, GENESIS, record);
    restarted.start();
    restarted.onTimeout(new Timeout(Timeout.Kind.PROPOSE, 1, 0));
    assertThat(after.votes(VoteType.PREVOTE)).containsOnly(signed);
  }

  /**
   * Issue 11, bug 4: a vote that reaches the machine again (a re-broadcast, handed over from the flood's cache)
   * counts once, and a vote that came while the node was further behind counts when it comes again.
   */
  @Test
  void aVoteMissedWhileBehindCountsWhenItComesAgain() {
    List<Block> chain = certifiedChain(2);
    t.start();
    KeyPair k1 = f.validator(1);
    KeyPair k2 = f.validator(2);
    KeyPair k3 = f.validator(3);
    Candidate v = f.candidate(3, chain.get(1).hash(), f.validator(3).nodeId(), 7); // proposer of height 3 round 0: validator 3
    Proposal p = Proposal.sign(k3, CHAIN, 3, 0, v, -1);
    Vote[] prevotes = {Vote.sign(k1, CHAIN, VoteType.PREVOTE, 3, 0, v.hash()), Vote.sign(k2, CHAIN, VoteType.PREVOTE, 3, 0, v.hash())};
    t.onMessage(k3.nodeId(), p); // at height 1: far ahead, dropped
    for (Vote pv : prevotes) {
      t.onMessage(pv.validator(), pv);
    }
    chain.forEach(t::onCertifiedBlock);
    t.onTimeout(new Timeout(Timeout.Kind.NEW_HEIGHT, 3, 0));
    t.onMessage(k3.nodeId(), p); // the re-broadcasts
    for (Vote pv : prevotes) {
      t.onMessage(pv.validator(), pv);
      t.onMessage(pv.validator(), pv); // and a copy of each
    }
    assertThat(host.lastVote(VoteType.PRECOMMIT)).as("2f+1 prevotes with its own: it precommits the value").isNotNull();
    assertThat(host.lastVote(VoteType.PRECOMMIT).block()).isEqualTo(v.hash());
  }

  @Test
  void aRestartedValidatorResendsTheVoteItSignedInsteadOfSigningAnother() {
    t.start();
    Candidate v = value(1, 1);
    propose(0, v, -1);
    Vote signed = host.lastVote(VoteType.PREVOTE);
    assertThat(host.persisted.prevote()).isEqualTo(signed);

    // crash; the new incarnation hears of another proposal first and its propose timer fires
    Fixture.Host after = new Fixture.Host(f, me.nodeId());
    Tendermint restarted = new Tendermint(f.config(me), after, 0, GENESIS, host.persisted);
    restarted.start();
    restarted.onTimeout(new Timeout(Timeout.Kind.PROPOSE, 1, 0));
    assertThat(after.votes(VoteType.PREVOTE)).containsOnly(signed);
  }

  @Test
  void aRestartedValidatorKeepsItsLock() {
    t.start();
    Candidate v = value(1, 1);
    propose(0, v, -1);
    vote(1, VoteType.PREVOTE, 0, v);
    vote(2, VoteType.PREVOTE, 0, v);
    assertThat(host.persisted.lockedRound()).isZero();
    assertThat(host.persisted.validProof()).hasSize(3);

    Fixture.Host after = new Fixture.Host(f, me.nodeId());
    Tendermint restarted = new Tendermint(f.config(me), after, 0, GENESIS, host.persisted);
    restarted.start();
    KeyPair k1 = f.validator(1);
    KeyPair k3 = f.validator(3);
    restarted.onMessage(k1.nodeId(), Vote.sign(k1, CHAIN, VoteType.PREVOTE, 1, 1, null));
    restarted.onMessage(k3.nodeId(), Vote.sign(k3, CHAIN, VoteType.PREVOTE, 1, 1, null));
    assertThat(restarted.round()).isEqualTo(1);
    KeyPair p = f.validator(2);
    restarted.onMessage(p.nodeId(), Proposal.sign(p, CHAIN, 1, 1, value(2, 2), -1));
    assertThat(after.lastVote(VoteType.PREVOTE).isNil()).as("still locked on v after the restart").isTrue();
  }

  @Test
  void equivocationIsEvidence() {
    t.start();
    KeyPair k = f.validator(2);
    NodeId id = k.nodeId();
    t.onMessage(id, Vote.sign(k, CHAIN, VoteType.PREVOTE, 1, 0, value(1, 1).hash()));
    t.onMessage(id, Vote.sign(k, CHAIN, VoteType.PREVOTE, 1, 0, null));
    KeyPair p = f.validator(1);
    t.onMessage(p.nodeId(), Proposal.sign(p, CHAIN, 1, 0, value(1, 1), -1));
    t.onMessage(p.nodeId(), Proposal.sign(p, CHAIN, 1, 0, value(1, 2), -1));
    assertThat(t.evidence()).extracting(Evidence::offender).containsExactlyInAnyOrder(id, p.nodeId());
  }
}
