package org.meshledger.impl.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.meshledger.impl.consensus.Fixture.CHAIN;

import org.junit.jupiter.api.Test;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Signature;
import org.meshledger.crypto.KeyPair;

class VoteSetTest {
  private final Fixture f = new Fixture(4);
  private final Hash a = Hash.sha256(new byte[] {1});
  private final Hash b = Hash.sha256(new byte[] {2});
  private final VoteSet set = new VoteSet(CHAIN, f.validators, VoteType.PRECOMMIT, 5, 2, SignatureVerifier.DIRECT);

  private Vote vote(int validator, Hash block) {
    return Vote.sign(f.validator(validator), CHAIN, VoteType.PRECOMMIT, 5, 2, block);
  }

  @Test
  void countsOneVotePerValidatorAndReachesAQuorumAtTwoThirdsPlusOne() {
    assertThat(set.add(vote(0, a), false)).isEqualTo(VoteSet.Outcome.ADDED);
    assertThat(set.add(vote(0, a), false)).isEqualTo(VoteSet.Outcome.DUPLICATE);
    assertThat(set.add(vote(1, a), false)).isEqualTo(VoteSet.Outcome.ADDED);
    assertThat(set.quorumFor(a)).isFalse();
    assertThat(set.add(vote(2, null), false)).isEqualTo(VoteSet.Outcome.ADDED);
    assertThat(set.quorumAny()).isTrue();
    assertThat(set.quorumBlock()).isNull();
    assertThat(set.add(vote(3, a), false)).isEqualTo(VoteSet.Outcome.ADDED);
    assertThat(set.quorumBlock()).isEqualTo(a);
    assertThat(set.count(null)).isEqualTo(1);
    assertThat(set.total()).isEqualTo(4);
  }

  @Test
  void rejectsNonValidatorsBadSignaturesAndOtherSlots() {
    KeyPair outsider = org.meshledger.impl.sim.Schedule.key(9);
    assertThat(set.add(Vote.sign(outsider, CHAIN, VoteType.PRECOMMIT, 5, 2, a), false)).isEqualTo(VoteSet.Outcome.INVALID);
    Vote good = vote(0, a);
    Vote forged = new Vote(good.type(), good.height(), good.round(), b, good.validator(), good.signature());
    assertThat(set.add(forged, false)).isEqualTo(VoteSet.Outcome.INVALID);
    Vote garbage = new Vote(good.type(), 5, 2, a, good.validator(), new Signature(new byte[64]));
    assertThat(set.add(garbage, false)).isEqualTo(VoteSet.Outcome.INVALID);
    assertThat(set.add(Vote.sign(f.validator(0), "other-chain", VoteType.PRECOMMIT, 5, 2, a), false)).isEqualTo(VoteSet.Outcome.INVALID);
    assertThat(set.add(Vote.sign(f.validator(0), CHAIN, VoteType.PRECOMMIT, 5, 3, a), false)).isEqualTo(VoteSet.Outcome.INVALID);
    assertThat(set.add(Vote.sign(f.validator(0), CHAIN, VoteType.PREVOTE, 5, 2, a), false)).isEqualTo(VoteSet.Outcome.INVALID);
    assertThat(set.total()).isZero();
  }

  @Test
  void anEquivocationIsKeptAsEvidenceAndCountsTheValidatorOnce() {
    set.add(vote(0, a), false);
    assertThat(set.add(vote(0, b), false)).isEqualTo(VoteSet.Outcome.EQUIVOCATION);
    assertThat(set.evidence()).hasSize(1);
    assertThat(set.evidence().get(0).offender()).isEqualTo(f.validator(0).nodeId());
    assertThat(set.total()).isEqualTo(1);
    // a flood of further made-up values is not even verified, and never counted
    for (int i = 0; i < 50; i++) {
      set.add(vote(0, Hash.sha256(new byte[] {(byte) (10 + i)})), false);
    }
    assertThat(set.votes()).hasSize(2);
    assertThat(set.evidence()).hasSize(1);
  }

  @Test
  void theEquivocatorsVoteForAValueOthersBackStillCounts() {
    set.add(vote(0, null), false);
    set.add(vote(0, b), false);
    set.add(vote(1, a), false);
    set.add(vote(2, a), false);
    assertThat(set.add(vote(0, a), false)).as("third value, but f+1 others voted for it").isEqualTo(VoteSet.Outcome.EQUIVOCATION);
    assertThat(set.quorumFor(a)).isTrue();
  }

  @Test
  void theQuorumsPrecommitsAreACertificateThatVerifies() {
    for (int i = 0; i < 3; i++) {
      set.add(vote(i, a), false);
    }
    set.add(vote(3, b), false);
    var cert = set.certificate(a);
    assertThat(cert.signatures()).hasSize(3);
    assertThat(cert.blockHash()).isEqualTo(a);
    byte[] message = org.meshledger.chain.CommitCertificate.voteMessage(5, 2, a);
    assertThat(cert.signatures()).allMatch(s -> s.validator().verifies(org.meshledger.crypto.SignatureDomain.VOTE, CHAIN, message, s.signature()));
  }
}
