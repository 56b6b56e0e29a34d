package org.meshledger.impl.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.meshledger.impl.consensus.Fixture.CHAIN;
import static org.meshledger.impl.consensus.Fixture.GENESIS;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.meshledger.chain.Block;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.CommitSignature;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Signature;
import org.meshledger.crypto.KeyPair;
import org.meshledger.crypto.SignatureDomain;

/**
 * The previous commit in consensus: each node assembles its own certificate for a block, the proposer of the next
 * block puts its own into it, and every node that commits that next block holds the proposer's; and a validator
 * prevotes nil for a proposal whose previous commit does not verify.
 */
class PreviousCommitConsensusTest {
  private final Fixture f = new Fixture(4);

  /** A validator's machine with its recording host, at height 1. */
  private record Node(KeyPair key, Fixture.Host host, Tendermint machine) {}

  private Node node(int validator) {
    KeyPair key = f.validator(validator);
    Fixture.Host host = new Fixture.Host(f, key.nodeId());
    Tendermint machine = new Tendermint(f.config(key), host, 0, GENESIS, null);
    machine.start();
    return new Node(key, host, machine);
  }

  private void precommit(Node to, int validator, long height, Hash block) {
    KeyPair k = f.validator(validator);
    to.machine().onMessage(k.nodeId(), Vote.sign(k, CHAIN, VoteType.PRECOMMIT, height, 0, block));
  }

  private static Proposal lastProposal(Node n) {
    List<Proposal> sent = n.host().sent.stream().filter(m -> m instanceof Proposal).map(Proposal.class::cast).toList();
    return sent.get(sent.size() - 1);
  }

  @Test
  void twoNodesWithDifferentCertificatesForBlockOneAgreeOnBlockTwosPreviousCommit() {
    // the proposers of height 1 and 2 in round 0 are validators 1 and 2 (round robin over the sorted set)
    Node a = node(0);
    Node b = node(2);
    Candidate one = f.candidate(1, GENESIS, f.validator(1).nodeId(), 1);
    Proposal p1 = Proposal.sign(f.validator(1), CHAIN, 1, 0, one, -1);
    a.machine().onMessage(p1.proposer(), p1);
    b.machine().onMessage(p1.proposer(), p1);
    for (int v : new int[] {1, 2, 3}) {
      precommit(a, v, 1, one.hash()); // a commits with the precommits of validators 1, 2, 3
    }
    for (int v : new int[] {0, 1, 3}) {
      precommit(b, v, 1, one.hash()); // b with those of 0, 1, 3
    }
    CommitCertificate certOfA = a.host().chain.get(0).certificate();
    CommitCertificate certOfB = b.host().chain.get(0).certificate();
    assertThat(a.host().chain.get(0).hash()).isEqualTo(b.host().chain.get(0).hash());
    assertThat(certOfA).as("each node assembled its own certificate for block 1").isNotEqualTo(certOfB);

    // height 2: b proposes, with the certificate it holds for block 1
    a.machine().onTimeout(new Timeout(Timeout.Kind.NEW_HEIGHT, 2, 0));
    b.machine().onTimeout(new Timeout(Timeout.Kind.NEW_HEIGHT, 2, 0));
    Proposal p2 = lastProposal(b);
    assertThat(p2.height()).isEqualTo(2);
    assertThat(p2.value().previousCommit()).contains(certOfB);
    a.machine().onMessage(p2.proposer(), p2);
    Vote prevote = a.host().lastVote(VoteType.PREVOTE);
    assertThat(prevote.height()).isEqualTo(2);
    assertThat(prevote.block()).as("a prevotes for block 2 although it carries another certificate for block 1 than a's own")
        .isEqualTo(p2.value().hash());

    for (int v : new int[] {1, 2, 3}) {
      precommit(a, v, 2, p2.value().hash());
    }
    for (int v : new int[] {0, 1, 3}) {
      precommit(b, v, 2, p2.value().hash());
    }
    Block twoAtA = a.host().chain.get(1);
    Block twoAtB = b.host().chain.get(1);
    assertThat(twoAtA.hash()).isEqualTo(twoAtB.hash());
    assertThat(twoAtA.previousCommit()).as("both hold block 2 with the proposer's certificate for block 1").contains(certOfB)
        .isEqualTo(twoAtB.previousCommit());
    assertThat(twoAtA.previousCommitSigners()).containsExactlyElementsOf(certOfB.signers());
    assertThat(twoAtA.verify(f.validators).valid()).isTrue();
  }

  /** Node a (validator 0) at height 2, after block 1 committed with the precommits of validators 1 to 3. */
  private Node atHeightTwo() {
    Node a = node(0);
    Candidate one = f.candidate(1, GENESIS, f.validator(1).nodeId(), 1);
    Proposal p1 = Proposal.sign(f.validator(1), CHAIN, 1, 0, one, -1);
    a.machine().onMessage(p1.proposer(), p1);
    for (int v : new int[] {1, 2, 3}) {
      precommit(a, v, 1, one.hash());
    }
    a.machine().onTimeout(new Timeout(Timeout.Kind.NEW_HEIGHT, 2, 0));
    return a;
  }

  /** Offers {@code a} a proposal for block 2 by its proposer (validator 2) carrying {@code previous}; returns a's prevote. */
  private Vote prevoteFor(Node a, CommitCertificate previous, long salt) {
    Block one = a.host().chain.get(0);
    Candidate two = f.candidate(2, one.hash(), Optional.of(previous), f.validator(2).nodeId(), salt);
    a.machine().onMessage(f.validator(2).nodeId(), Proposal.sign(f.validator(2), CHAIN, 2, 0, two, -1));
    Vote v = a.host().lastVote(VoteType.PREVOTE);
    assertThat(v.height()).isEqualTo(2);
    return v;
  }

  @Test
  void aValidatorPrevotesNilForAProposalWhosePreviousCommitIsShortOfAQuorum() {
    Node a = atHeightTwo();
    Hash one = a.host().chain.get(0).hash();
    assertThat(prevoteFor(a, f.certificate(1, one, List.of(f.validator(1), f.validator(2))), 1).isNil())
        .as("two precommits of four for block 1").isTrue();
  }

  @Test
  void aValidatorPrevotesNilForAProposalWhosePreviousCommitHasAForgedSignature() {
    Node a = atHeightTwo();
    Hash one = a.host().chain.get(0).hash();
    CommitCertificate honest = f.certificate(1, one, f.quorum());
    List<CommitSignature> forged = new ArrayList<>(honest.signatures());
    // validator 3's key signs in the name of the first signer: a quorum of names, not of signatures
    Signature byAnother = f.validator(3).sign(SignatureDomain.VOTE, CHAIN, CommitCertificate.voteMessage(1, 0, one));
    forged.set(0, new CommitSignature(forged.get(0).validator(), byAnother));
    assertThat(prevoteFor(a, new CommitCertificate(1, 0, one, forged), 1).isNil()).isTrue();
  }

  @Test
  void aValidatorPrevotesForAProposalWhosePreviousCommitIsAnyValidQuorum() {
    Node a = atHeightTwo();
    Hash one = a.host().chain.get(0).hash();
    CommitCertificate notMine = f.certificate(1, one, List.of(f.validator(0), f.validator(2), f.validator(3)));
    assertThat(notMine).isNotEqualTo(a.host().chain.get(0).certificate());
    Vote v = prevoteFor(a, notMine, 1);
    assertThat(v.isNil()).as("a valid certificate other than this node's own").isFalse();
  }
}
