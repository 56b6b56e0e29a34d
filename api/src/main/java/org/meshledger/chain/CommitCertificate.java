package org.meshledger.chain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.meshledger.Verification;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;
import org.meshledger.crypto.KeyPair;
import org.meshledger.crypto.SignatureDomain;

/**
 * Proof that a block is final: precommit signatures of more than two thirds of the validators for the
 * block's hash at its height. Anyone with the {@link ValidatorSet} (from the genesis file) checks it offline
 * with {@link #verify}. Signatures are kept sorted by validator, one per validator, so a certificate has one
 * encoding.
 *
 * @param height the block's height, at least 1
 * @param round the consensus round in which the block was committed, at least 0
 * @param blockHash the hash of the block's header
 * @param signatures distinct validators' precommits, sorted by validator
 */
public record CommitCertificate(long height, int round, Hash blockHash, List<CommitSignature> signatures) {
  public static final int VERSION = 1;
  /** The vote type byte of a precommit in {@link #voteMessage}. */
  public static final int PRECOMMIT = 2;

  public CommitCertificate {
    if (height < 1) {
      throw new IllegalArgumentException("certificate height must be at least 1, got " + height);
    }
    if (round < 0) {
      throw new IllegalArgumentException("certificate round cannot be negative: " + round);
    }
    Objects.requireNonNull(blockHash, "blockHash");
    List<CommitSignature> sorted = new ArrayList<>(signatures);
    sorted.sort(Comparator.comparing(CommitSignature::validator));
    if (sorted.size() > Limits.MAX_VALIDATORS) {
      throw new IllegalArgumentException("a certificate holds at most " + Limits.MAX_VALIDATORS + " signatures, got " + sorted.size());
    }
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).validator().equals(sorted.get(i - 1).validator())) {
        throw new IllegalArgumentException("validator " + sorted.get(i).validator() + " signed the certificate twice");
      }
    }
    signatures = List.copyOf(sorted);
  }

  /** The bytes a validator signs (in {@link SignatureDomain#VOTE}) to precommit {@code blockHash}. */
  public static byte[] voteMessage(long height, int round, Hash blockHash) {
    CanonicalWriter w = new CanonicalWriter(48).u8(VERSION).u8(PRECOMMIT).i64(height).i32(round);
    blockHash.writeTo(w);
    return w.toByteArray();
  }

  /** Signs a precommit for a certificate: what each validator contributes. */
  public static CommitSignature precommit(KeyPair validator, String chainId, long height, int round, Hash blockHash) {
    return new CommitSignature(validator.nodeId(), validator.sign(SignatureDomain.VOTE, chainId, voteMessage(height, round, blockHash)));
  }

  /**
   * Checks that this certificate commits {@code header}: same height and hash, every signer in
   * {@code validators}, every signature valid for {@code header}'s chain, and more than two thirds signed.
   */
  public Verification verify(BlockHeader header, ValidatorSet validators) {
    return verify(header.chainId(), header.height(), header.hash(), validators);
  }

  /**
   * Checks that this certificate commits the block {@code blockHash} at {@code height} of chain {@code chainId}
   * when only its hash is at hand (the previous commit a block carries): same height and hash, every signer in
   * {@code validators}, every signature valid, and more than two thirds signed. Verifies one signature per
   * signer (the caller's thread; tens of microseconds each); never throws for a bad certificate.
   */
  public Verification verify(String chainId, long height, Hash blockHash, ValidatorSet validators) {
    if (this.height != height) {
      return Verification.failed("certificate is for height " + this.height + ", block is at " + height);
    }
    if (!this.blockHash.equals(blockHash)) {
      return Verification.failed("certificate at height " + height + " is for block " + this.blockHash + ", not " + blockHash);
    }
    if (signatures.size() < validators.quorum()) {
      return Verification.failed("certificate at height " + height + " has " + signatures.size() + " signatures; "
          + validators.quorum() + " of " + validators.size() + " validators are needed");
    }
    byte[] message = voteMessage(height, round, blockHash);
    for (CommitSignature s : signatures) {
      if (!validators.contains(s.validator())) {
        return Verification.failed("certificate at height " + height + " is signed by " + s.validator() + ", not a validator");
      }
      if (!s.validator().verifies(SignatureDomain.VOTE, chainId, message, s.signature())) {
        return Verification.failed("certificate at height " + height + " has a bad signature from " + s.validator());
      }
    }
    return Verification.ok();
  }

  /**
   * The validators whose precommits this certificate holds, sorted by key bytes: the order of
   * {@link ValidatorSet#validators()}.
   */
  public List<NodeId> signers() {
    return signatures.stream().map(CommitSignature::validator).toList();
  }

  /**
   * SHA-256 of {@link #encode()}: what the header of the next block names as its
   * {@linkplain BlockHeader#previousCommitHash() previous commit hash}. Certificates are sorted, so equal
   * certificates have equal hashes; two certificates for one block with other signers differ.
   */
  public Hash hash() {
    return Hash.sha256(encode());
  }

  public void writeTo(CanonicalWriter w) {
    w.u8(VERSION).i64(height).i32(round);
    blockHash.writeTo(w);
    w.count(signatures.size());
    for (CommitSignature s : signatures) {
      s.validator().writeTo(w);
      s.signature().writeTo(w);
    }
  }

  public byte[] encode() {
    CanonicalWriter w = new CanonicalWriter(64 + 96 * signatures.size());
    writeTo(w);
    return w.toByteArray();
  }

  public static CommitCertificate decode(byte[] bytes) {
    CanonicalReader r = new CanonicalReader(bytes);
    CommitCertificate c = readFrom(r);
    r.end("certificate");
    return c;
  }

  public static CommitCertificate readFrom(CanonicalReader r) {
    r.version(VERSION, "certificate");
    long height = r.i64("certificate height");
    int round = r.i32("certificate round");
    Hash blockHash = Hash.readFrom(r, "certificate block hash");
    int n = r.count(Limits.MAX_VALIDATORS, NodeId.BYTES + Signature.BYTES, "certificate signatures");
    List<CommitSignature> sigs = new ArrayList<>(n);
    NodeId previous = null;
    for (int i = 0; i < n; i++) {
      NodeId v = NodeId.readFrom(r, "certificate validator");
      if (previous != null && previous.compareTo(v) >= 0) {
        throw new DecodeException("certificate signatures are not sorted by distinct validator");
      }
      previous = v;
      sigs.add(new CommitSignature(v, Signature.readFrom(r, "certificate signature")));
    }
    if (height < 1 || round < 0) {
      throw new DecodeException("certificate height " + height + " / round " + round + " out of range");
    }
    return new CommitCertificate(height, round, blockHash, sigs);
  }
}
