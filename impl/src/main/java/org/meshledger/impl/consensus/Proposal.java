package org.meshledger.impl.consensus;

import java.util.Objects;
import org.meshledger.chain.Hash;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.Signature;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;
import org.meshledger.crypto.KeyPair;
import org.meshledger.crypto.SignatureDomain;

/**
 * The round's proposer offers a block. {@code validRound} is the round of a proof of lock (2f+1 prevotes
 * for this block) when the proposer re-proposes its valid value, else -1.
 *
 * <p>Signed bytes (domain {@link SignatureDomain#PROPOSAL}, bound to the chain id): {@code u8 1, i64 height,
 * i32 round, i32 validRound, blockHash[32]}. The header hash binds the transactions through its Merkle root.
 *
 * <p>Wire: {@code u8 version=2, i64 height, i32 round, i32 validRound, candidate, proposer[32], signature[64]}, where
 * the candidate is {@link Candidate#writeTo}'s {@code header, u32 count, transactions, bool, [previous commit]}.
 * Version 2 added the previous commit; version 1 is refused.
 */
public record Proposal(long height, int round, Candidate value, int validRound, NodeId proposer, Signature signature)
    implements ConsensusMessage {
  public static final int VERSION = 2;

  public Proposal {
    if (round < 0) {
      throw new IllegalArgumentException("proposal round cannot be negative: " + round);
    }
    if (validRound < -1 || validRound >= round) {
      throw new IllegalArgumentException("proposal valid round must be -1 or below the round " + round + ", got " + validRound);
    }
    Objects.requireNonNull(value, "value");
    if (value.height() != height) {
      throw new IllegalArgumentException("proposal for height " + height + " carries a block of height " + value.height());
    }
    Objects.requireNonNull(proposer, "proposer");
    Objects.requireNonNull(signature, "signature");
  }

  public static Proposal sign(KeyPair key, String chainId, long height, int round, Candidate value, int validRound) {
    Signature s = key.sign(SignatureDomain.PROPOSAL, chainId, signedBytes(height, round, validRound, value.hash()));
    return new Proposal(height, round, value, validRound, key.nodeId(), s);
  }

  public static byte[] signedBytes(long height, int round, int validRound, Hash block) {
    CanonicalWriter w = new CanonicalWriter(56).u8(VERSION).i64(height).i32(round).i32(validRound);
    block.writeTo(w);
    return w.toByteArray();
  }

  public boolean verify(String chainId, SignatureVerifier verifier) {
    return verifier.verify(proposer, SignatureDomain.PROPOSAL, chainId, signedBytes(height, round, validRound, value.hash()), signature);
  }

  @Override
  public void writeTo(CanonicalWriter w) {
    w.u8(VERSION).i64(height).i32(round).i32(validRound);
    value.writeTo(w);
    proposer.writeTo(w);
    signature.writeTo(w);
  }

  static Proposal readFrom(CanonicalReader r) {
    r.version(VERSION, "proposal");
    long height = r.i64("proposal height");
    int round = r.i32("proposal round");
    int validRound = r.i32("proposal valid round");
    Candidate value;
    try {
      value = Candidate.readFrom(r, "proposal");
    } catch (IllegalArgumentException e) {
      throw new DecodeException("proposal: " + e.getMessage());
    }
    NodeId proposer = NodeId.readFrom(r, "proposal proposer");
    Signature signature = Signature.readFrom(r, "proposal signature");
    try {
      return new Proposal(height, round, value, validRound, proposer, signature);
    } catch (IllegalArgumentException e) {
      throw new DecodeException("proposal: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "PROPOSAL[h" + height + " r" + round + " vr" + validRound + " " + value.hash().toHex().substring(0, 8)
        + " by " + proposer.toHex().substring(0, 8) + "]";
  }
}
