package org.meshledger.impl.consensus;

import java.util.Objects;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.CommitSignature;
import org.meshledger.chain.Hash;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.Signature;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;
import org.meshledger.crypto.KeyPair;
import org.meshledger.crypto.SignatureDomain;

/**
 * A validator's prevote or precommit for a block hash, or for nil, in one round of one height.
 *
 * <p>Signed bytes (domain {@link SignatureDomain#VOTE}, bound to the chain id): {@code u8 1, u8 type,
 * i64 height, i32 round, hash[32]}, where nil is written as 32 zero bytes. For a precommit of a block this
 * is exactly {@link CommitCertificate#voteMessage}, so the precommits that commit a block form its
 * certificate as they are. (No header hashes to zero: that would take a SHA-256 preimage.)
 *
 * <p>Wire: {@code u8 version=1, u8 type, i64 height, i32 round, bool hasBlock, [hash[32]], validator[32],
 * signature[64]}.
 *
 * @param block the block hash voted for, or {@code null} for nil
 */
public record Vote(VoteType type, long height, int round, Hash block, NodeId validator, Signature signature)
    implements ConsensusMessage {
  public static final int VERSION = 1;

  public Vote {
    Objects.requireNonNull(type, "type");
    if (height < 1) {
      throw new IllegalArgumentException("vote height must be at least 1, got " + height);
    }
    if (round < 0) {
      throw new IllegalArgumentException("vote round cannot be negative: " + round);
    }
    Objects.requireNonNull(validator, "validator");
    Objects.requireNonNull(signature, "signature");
    if (Hash.ZERO.equals(block)) {
      throw new IllegalArgumentException("a nil vote has a null block, not the zero hash");
    }
  }

  /** Signs a vote with {@code key} for chain {@code chainId}; {@code block} null votes nil. */
  public static Vote sign(KeyPair key, String chainId, VoteType type, long height, int round, Hash block) {
    Signature s = key.sign(SignatureDomain.VOTE, chainId, signedBytes(type, height, round, block));
    return new Vote(type, height, round, block, key.nodeId(), s);
  }

  /** The bytes a validator signs for this vote. */
  public static byte[] signedBytes(VoteType type, long height, int round, Hash block) {
    CanonicalWriter w = new CanonicalWriter(48).u8(CommitCertificate.VERSION).u8(type.code()).i64(height).i32(round);
    (block == null ? Hash.ZERO : block).writeTo(w);
    return w.toByteArray();
  }

  public boolean isNil() {
    return block == null;
  }

  /** True if the signature is the validator's over this vote on chain {@code chainId}. */
  public boolean verify(String chainId, SignatureVerifier verifier) {
    return verifier.verify(validator, SignatureDomain.VOTE, chainId, signedBytes(type, height, round, block), signature);
  }

  /** This precommit as an entry of a commit certificate. */
  public CommitSignature asCommitSignature() {
    if (type != VoteType.PRECOMMIT || block == null) {
      throw new IllegalStateException("only a precommit for a block belongs in a certificate: " + this);
    }
    return new CommitSignature(validator, signature);
  }

  /** True if {@code other} is the same validator's vote of the same kind in the same round. */
  public boolean sameSlot(Vote other) {
    return type == other.type && height == other.height && round == other.round && validator.equals(other.validator);
  }

  @Override
  public void writeTo(CanonicalWriter w) {
    w.u8(VERSION).u8(type.code()).i64(height).i32(round).bool(block != null);
    if (block != null) {
      block.writeTo(w);
    }
    validator.writeTo(w);
    signature.writeTo(w);
  }

  static Vote readFrom(CanonicalReader r) {
    r.version(VERSION, "vote");
    VoteType type = VoteType.fromCode(r.u8("vote type"));
    long height = r.i64("vote height");
    int round = r.i32("vote round");
    Hash block = r.bool("vote has block") ? Hash.readFrom(r, "vote block") : null;
    NodeId validator = NodeId.readFrom(r, "vote validator");
    Signature signature = Signature.readFrom(r, "vote signature");
    try {
      return new Vote(type, height, round, block, validator, signature);
    } catch (IllegalArgumentException e) {
      throw new DecodeException("vote: " + e.getMessage());
    }
  }

  @Override
  public long height() {
    return height;
  }

  @Override
  public String toString() {
    return type + "[h" + height + " r" + round + " " + (block == null ? "nil" : block.toHex().substring(0, 8))
        + " by " + validator.toHex().substring(0, 8) + "]";
  }
}
