package org.meshledger.impl.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.meshledger.impl.consensus.Fixture.CHAIN;
import static org.meshledger.impl.consensus.Fixture.GENESIS;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.codec.DecodeException;
import org.meshledger.crypto.KeyPair;
import org.meshledger.crypto.SignatureDomain;

class MessagesTest {
  private final Fixture f = new Fixture(4);
  private final KeyPair k = f.validator(0);
  private final Hash block = Hash.sha256(new byte[] {7});

  private Candidate withTransactions() {
    KeyPair user = org.meshledger.impl.sim.Schedule.key(12);
    List<Transaction> txs = List.of(
        Transaction.sign(CHAIN, user, 1, Amount.of(1), Payload.DataWrite.of("k", new byte[] {1, 2})),
        Transaction.sign(CHAIN, user, 2, Amount.of(1), Payload.DataWrite.of("k", new byte[] {3})));
    CommitCertificate previous = f.certificate(2, GENESIS, f.quorum());
    return Candidate.of(new BlockHeader(CHAIN, 3, GENESIS, previous.hash(), 5, k.nodeId(), MerkleTree.rootOf(txs), 2, Hash.ZERO,
        f.validators.hash()), txs, java.util.Optional.of(previous));
  }

  private static ConsensusMessage roundTrip(ConsensusMessage m) {
    return ConsensusMessage.decode(ConsensusMessage.encode(m));
  }

  @Test
  void everyMessageSurvivesARoundTrip() {
    Vote nil = Vote.sign(k, CHAIN, VoteType.PREVOTE, 3, 1, null);
    Vote yes = Vote.sign(k, CHAIN, VoteType.PRECOMMIT, 3, 1, block);
    Proposal p = Proposal.sign(k, CHAIN, 3, 2, withTransactions(), 1);
    assertThat(roundTrip(nil)).isEqualTo(nil);
    assertThat(roundTrip(yes)).isEqualTo(yes);
    Proposal back = (Proposal) roundTrip(p);
    assertThat(back).isEqualTo(p);
    assertThat(back.verify(CHAIN, SignatureVerifier.DIRECT)).isTrue();
    assertThat(roundTrip(new ConsensusMessage.SyncRequest(42, 16))).isEqualTo(new ConsensusMessage.SyncRequest(42, 16));
    assertThat(roundTrip(new ConsensusMessage.Status(7))).isEqualTo(new ConsensusMessage.Status(7));
    Candidate c = withTransactions();
    Vote pc = Vote.sign(k, CHAIN, VoteType.PRECOMMIT, 3, 0, c.hash());
    Block b = c.certify(new CommitCertificate(3, 0, c.hash(), List.of(pc.asCommitSignature())));
    ConsensusMessage.Decision d = (ConsensusMessage.Decision) roundTrip(new ConsensusMessage.Decision(b));
    assertThat(d.block().hash()).isEqualTo(b.hash());
    assertThat(d.block().transactions()).isEqualTo(b.transactions());
    assertThat(d.block()).as("with its previous commit").isEqualTo(b);
    assertThat(back.value().previousCommit()).as("a proposal carries the previous commit").isEqualTo(p.value().previousCommit()).isPresent();
  }

  @Test
  void aPrecommitSignsExactlyWhatACertificateVerifies() {
    assertThat(Vote.signedBytes(VoteType.PRECOMMIT, 9, 4, block)).isEqualTo(CommitCertificate.voteMessage(9, 4, block));
    Vote v = Vote.sign(k, CHAIN, VoteType.PRECOMMIT, 9, 4, block);
    assertThat(v.asCommitSignature()).isEqualTo(CommitCertificate.precommit(k, CHAIN, 9, 4, block));
  }

  @Test
  void signaturesAreBoundToTheirDomainChainAndContent() {
    Vote prevote = Vote.sign(k, CHAIN, VoteType.PREVOTE, 3, 1, block);
    byte[] asPrecommit = Vote.signedBytes(VoteType.PRECOMMIT, 3, 1, block);
    assertThat(k.nodeId().verifies(SignatureDomain.VOTE, CHAIN, asPrecommit, prevote.signature())).isFalse();
    assertThat(k.nodeId().verifies(SignatureDomain.PROPOSAL, CHAIN, Vote.signedBytes(VoteType.PREVOTE, 3, 1, block), prevote.signature())).isFalse();
    assertThat(prevote.verify("another-chain", SignatureVerifier.DIRECT)).isFalse();
    Vote nil = Vote.sign(k, CHAIN, VoteType.PREVOTE, 3, 1, null);
    assertThat(new Vote(VoteType.PREVOTE, 3, 1, block, k.nodeId(), nil.signature()).verify(CHAIN, SignatureVerifier.DIRECT)).isFalse();
    Proposal p = Proposal.sign(k, CHAIN, 3, 2, withTransactions(), -1);
    assertThat(new Proposal(3, 2, p.value(), 1, p.proposer(), p.signature()).verify(CHAIN, SignatureVerifier.DIRECT)).isFalse();
  }

  @Test
  void truncatedOrCorruptedBytesFailWithADecodeExceptionOnly() {
    List<ConsensusMessage> samples = List.of(Vote.sign(k, CHAIN, VoteType.PREVOTE, 3, 1, block), Vote.sign(k, CHAIN, VoteType.PRECOMMIT, 3, 1, null),
        Proposal.sign(k, CHAIN, 3, 2, withTransactions(), 1), new ConsensusMessage.SyncRequest(5, 8),
        new ConsensusMessage.Status(12));
    Random random = new Random(11);
    for (ConsensusMessage m : samples) {
      byte[] bytes = ConsensusMessage.encode(m);
      for (int len = 0; len < bytes.length; len++) {
        byte[] cut = java.util.Arrays.copyOf(bytes, len);
        assertThatThrownBy(() -> ConsensusMessage.decode(cut)).isInstanceOf(DecodeException.class);
      }
      byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
      assertThatThrownBy(() -> ConsensusMessage.decode(longer)).isInstanceOf(DecodeException.class);
      for (int i = 0; i < 2000; i++) {
        byte[] flipped = bytes.clone();
        flipped[random.nextInt(flipped.length)] ^= (byte) (1 + random.nextInt(255));
        try {
          ConsensusMessage.decode(flipped);
        } catch (DecodeException expected) {
          // fine: the only exception allowed
        }
      }
    }
    for (int i = 0; i < 5000; i++) {
      byte[] noise = new byte[random.nextInt(300)];
      random.nextBytes(noise);
      if (noise.length > 0) {
        noise[0] = (byte) (1 + random.nextInt(4));
      }
      try {
        ConsensusMessage.decode(noise);
      } catch (DecodeException expected) {
        // fine
      }
    }
  }

  @Test
  void hostileFieldsAreRefused() {
    assertThatThrownBy(() -> ConsensusMessage.decode(new byte[] {9})).isInstanceOf(DecodeException.class).hasMessageContaining("unknown kind");
    byte[] vote = ConsensusMessage.encode(Vote.sign(k, CHAIN, VoteType.PREVOTE, 3, 1, block));
    byte[] badVersion = vote.clone();
    badVersion[1] = 2;
    assertThatThrownBy(() -> ConsensusMessage.decode(badVersion)).isInstanceOf(DecodeException.class).hasMessageContaining("version");
    byte[] badType = vote.clone();
    badType[2] = 7;
    assertThatThrownBy(() -> ConsensusMessage.decode(badType)).isInstanceOf(DecodeException.class);
    byte[] negativeRound = vote.clone();
    negativeRound[11] = (byte) 0x80;
    assertThatThrownBy(() -> ConsensusMessage.decode(negativeRound)).isInstanceOf(DecodeException.class);
    byte[] zeroBlock = vote.clone();
    java.util.Arrays.fill(zeroBlock, 16, 48, (byte) 0);
    assertThatThrownBy(() -> ConsensusMessage.decode(zeroBlock)).isInstanceOf(DecodeException.class).hasMessageContaining("nil");
    // a proposal that claims a huge transaction count fails before allocating
    byte[] p = ConsensusMessage.encode(Proposal.sign(k, CHAIN, 3, 2, withTransactions(), 1));
    int countAt = 1 + 1 + 8 + 4 + 4 + BlockHeaderSize.of(withTransactions().header());
    p[countAt] = 0x7f;
    assertThatThrownBy(() -> ConsensusMessage.decode(p)).isInstanceOf(DecodeException.class).hasMessageContaining("transactions");
  }

  private static final class BlockHeaderSize {
    static int of(BlockHeader h) {
      return h.encode().length;
    }
  }
}
