package org.meshledger.impl.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.meshledger.Verification;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.CommitSignature;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.Signature;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;
import org.meshledger.crypto.KeyPair;
import org.meshledger.impl.consensus.Candidate;

/**
 * Block h carries a certificate for block h-1 (its previous commit) and its header names that certificate's hash:
 * the evidence of who signed block h-1 is the same on every node. The constructor refuses what does not fit
 * together, saying what; {@link Block#verify} refuses a previous commit that is forged or short of a quorum; the
 * encoding keeps it.
 */
class PreviousCommitTest {
  private static final String CHAIN = "previous-commit";
  private static final List<KeyPair> KEYS = BlockVerificationTest.keys(4);
  private static final ValidatorSet SET = BlockVerificationTest.set(KEYS);
  private static final Hash BLOCK_1 = Hash.sha256(new byte[] {1});

  /** Precommits of {@code signers} for {@code block} at {@code height}, round 0. */
  private static CommitCertificate certificate(long height, Hash block, List<KeyPair> signers) {
    return new CommitCertificate(height, 0, block, signers.stream().map(k -> CommitCertificate.precommit(k, CHAIN, height, 0, block)).toList());
  }

  /** A header for block 2 on {@code BLOCK_1} that names {@code previousCommitHash}. */
  private static BlockHeader header2(Hash previousCommitHash) {
    return new BlockHeader(CHAIN, 2, BLOCK_1, previousCommitHash, 1_700_000_000_000L, SET.validators().get(0), MerkleTree.rootOf(List.of()), 0,
        Hash.ZERO, SET.hash());
  }

  /** Block 2 carrying {@code previous} (its header names it), certified by every validator. */
  private static Block block2(CommitCertificate previous) {
    BlockHeader h = header2(previous.hash());
    return new Block(h, List.of(), Optional.of(previous), certificate(2, h.hash(), KEYS));
  }

  private static Block block1() {
    BlockHeader h = new BlockHeader(CHAIN, 1, Hash.sha256(new byte[] {0}), Hash.ZERO, 1_700_000_000_000L, SET.validators().get(0),
        MerkleTree.rootOf(List.of()), 0, Hash.ZERO, SET.hash());
    return new Block(h, List.of(), Optional.empty(), certificate(1, h.hash(), KEYS));
  }

  @Test
  void theConstructorRefusesAPreviousCommitThatDoesNotFitTheHeaderSayingWhat() {
    CommitCertificate good = certificate(1, BLOCK_1, KEYS.subList(0, 3));
    BlockHeader h = header2(good.hash());
    CommitCertificate own = certificate(2, h.hash(), KEYS);
    assertThat(new Block(h, List.of(), Optional.of(good), own).previousCommit()).contains(good);

    assertThatThrownBy(() -> new Block(h, List.of(), Optional.empty(), own)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("block 2 carries no previous commit; every block above height 1 must carry a certificate for block 1");
    assertThatThrownBy(() -> new Block(h, List.of(), null, own)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("Optional.empty() for block 1");

    CommitCertificate otherHeight = certificate(2, BLOCK_1, KEYS.subList(0, 3));
    assertThatThrownBy(() -> new Block(header2(otherHeight.hash()), List.of(), Optional.of(otherHeight), own))
        .hasMessage("block 2 carries a previous commit for height 2, not 1");

    Hash elsewhere = Hash.sha256(new byte[] {9});
    CommitCertificate otherBlock = certificate(1, elsewhere, KEYS.subList(0, 3));
    assertThatThrownBy(() -> new Block(header2(otherBlock.hash()), List.of(), Optional.of(otherBlock), own))
        .hasMessage("block 2 carries a previous commit that signs block " + elsewhere + ", not its previous block " + BLOCK_1);

    // another valid certificate for block 1 (other signers) than the one the header names: the header decides
    CommitCertificate otherSigners = certificate(1, BLOCK_1, KEYS.subList(1, 4));
    assertThatThrownBy(() -> new Block(h, List.of(), Optional.of(otherSigners), own))
        .hasMessage("block 2 carries a previous commit that hashes to " + otherSigners.hash() + " but its header names " + good.hash()
            + ": the header must name the hash of the certificate the block carries");

    Block one = block1();
    assertThatThrownBy(() -> new Block(one.header(), List.of(), Optional.of(good), one.certificate()))
        .hasMessage("block 1 has no previous block but carries a previous commit for height 1; give it Optional.empty()");

    // a proposal is checked the same way before anyone votes for it
    assertThatThrownBy(() -> Candidate.of(h, List.of(), Optional.of(otherSigners))).hasMessageContaining("hashes to " + otherSigners.hash());
    assertThatThrownBy(() -> Candidate.of(h, List.of(), Optional.empty())).hasMessageContaining("carries no previous commit");
    assertThat(Candidate.of(h, List.of(), Optional.of(good)).certify(own)).isEqualTo(new Block(h, List.of(), Optional.of(good), own));
  }

  @Test
  void verifyRefusesAForgedOrInsufficientPreviousCommit() {
    assertThat(block2(certificate(1, BLOCK_1, KEYS.subList(0, 3))).verify(SET)).as("a quorum of three of four").isEqualTo(Verification.ok());
    assertThat(block2(certificate(1, BLOCK_1, KEYS)).verify(SET)).isEqualTo(Verification.ok());

    assertRejected(block2(certificate(1, BLOCK_1, KEYS.subList(0, 2))).verify(SET),
        "block 2 carries a previous commit that does not verify: certificate at height 1 has 2 signatures; 3 of 4 validators are needed");

    List<KeyPair> withOutsider = new ArrayList<>(KEYS.subList(0, 2));
    withOutsider.add(BlockVerificationTest.key(50));
    assertRejected(block2(certificate(1, BLOCK_1, withOutsider)).verify(SET),
        "previous commit that does not verify: certificate at height 1 is signed by " + BlockVerificationTest.key(50).nodeId() + ", not a validator");

    // a signature that is not the validator's precommit of block 1: flipped, for another round, for another chain
    CommitCertificate honest = certificate(1, BLOCK_1, KEYS.subList(0, 3));
    List<CommitSignature> flipped = new ArrayList<>(honest.signatures());
    byte[] bytes = flipped.get(1).signature().bytes();
    bytes[7] ^= 1;
    flipped.set(1, new CommitSignature(flipped.get(1).validator(), new Signature(bytes)));
    assertRejected(block2(new CommitCertificate(1, 0, BLOCK_1, flipped)).verify(SET),
        "previous commit that does not verify: certificate at height 1 has a bad signature from " + flipped.get(1).validator());
    List<CommitSignature> otherRound = KEYS.subList(0, 3).stream().map(k -> CommitCertificate.precommit(k, CHAIN, 1, 1, BLOCK_1)).toList();
    assertRejected(block2(new CommitCertificate(1, 0, BLOCK_1, otherRound)).verify(SET), "previous commit that does not verify", "bad signature");
    List<CommitSignature> otherChain = KEYS.subList(0, 3).stream().map(k -> CommitCertificate.precommit(k, "other", 1, 0, BLOCK_1)).toList();
    assertRejected(block2(new CommitCertificate(1, 0, BLOCK_1, otherChain)).verify(SET), "previous commit that does not verify", "bad signature");

    // a previous commit of a quorum, but of another validator set than the one the block names
    List<KeyPair> others = BlockVerificationTest.keys(7).subList(4, 7);
    assertRejected(block2(certificate(1, BLOCK_1, others)).verify(SET), "previous commit that does not verify", "not a validator");
  }

  private static void assertRejected(Verification v, String... reason) {
    assertThat(v.valid()).as("expected a refusal").isFalse();
    assertThat(v.reason()).contains(reason);
  }

  @Test
  void thePreviousCommitSurvivesEncodingAndItsSignersComeInValidatorSetOrder() {
    // the signers are given in another order than the set's: the certificate sorts them
    List<KeyPair> shuffled = List.of(KEYS.get(3), KEYS.get(0), KEYS.get(2));
    Block two = block2(certificate(1, BLOCK_1, shuffled));
    Block decoded = Block.decode(two.encode());
    assertThat(decoded).isEqualTo(two);
    assertThat(decoded.previousCommit()).isEqualTo(two.previousCommit());
    List<NodeId> expected = SET.validators().stream().filter(v -> shuffled.stream().anyMatch(k -> k.nodeId().equals(v))).toList();
    assertThat(decoded.previousCommitSigners()).as("in validator-set order").containsExactlyElementsOf(expected).hasSize(3);
    assertThat(decoded.header().previousCommitHash()).isEqualTo(Hash.sha256(two.previousCommit().orElseThrow().encode()));

    Block one = block1();
    assertThat(Block.decode(one.encode())).isEqualTo(one);
    assertThat(one.previousCommit()).isEmpty();
    assertThat(one.previousCommitSigners()).isEmpty();
    assertThat(one.header().previousCommitHash()).isEqualTo(Hash.ZERO);
  }

  @Test
  void aDecoderRefusesABlockWhoseEncodingDropsOrAddsThePreviousCommit() {
    Block two = block2(certificate(1, BLOCK_1, KEYS.subList(0, 3)));
    CanonicalWriter dropped = new CanonicalWriter().u8(Block.VERSION);
    two.header().writeTo(dropped);
    dropped.count(0).bool(false);
    two.certificate().writeTo(dropped);
    assertThatThrownBy(() -> Block.decode(dropped.toByteArray())).isInstanceOf(DecodeException.class)
        .hasMessage("block: block 2 carries no previous commit; every block above height 1 must carry a certificate for block 1");

    Block one = block1();
    CanonicalWriter added = new CanonicalWriter().u8(Block.VERSION);
    one.header().writeTo(added);
    added.count(0).bool(true);
    two.previousCommit().orElseThrow().writeTo(added);
    one.certificate().writeTo(added);
    assertThatThrownBy(() -> Block.decode(added.toByteArray())).isInstanceOf(DecodeException.class)
        .hasMessageContaining("block 1 has no previous block but carries a previous commit");
  }
}
