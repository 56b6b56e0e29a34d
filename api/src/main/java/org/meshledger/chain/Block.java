package org.meshledger.chain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.meshledger.Verification;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;

/**
 * A committed block: its header, its transactions in order, and the commit certificate that makes it final.
 * The certificate is not part of the block's hash (it signs that hash).
 *
 * <p>The constructor checks what is cheap (counts, heights, that the certificate names this header);
 * {@link #verify} checks everything an auditor needs, with nothing but the validator set.
 *
 * @param header what the block commits to
 * @param transactions the transactions, in execution order
 * @param certificate precommits of more than two thirds of the validators for {@code header}
 */
public record Block(BlockHeader header, List<Transaction> transactions, CommitCertificate certificate) {
  /** The version byte that starts the encoding. */
  public static final int VERSION = 1;

  public Block {
    Objects.requireNonNull(header, "header");
    transactions = List.copyOf(transactions);
    Objects.requireNonNull(certificate, "certificate");
    if (transactions.size() != header.transactionCount()) {
      throw new IllegalArgumentException("block " + header.height() + " holds " + transactions.size()
          + " transactions but its header counts " + header.transactionCount());
    }
    if (certificate.height() != header.height()) {
      throw new IllegalArgumentException("certificate for height " + certificate.height() + " attached to block " + header.height());
    }
    if (!certificate.blockHash().equals(header.hash())) {
      throw new IllegalArgumentException("certificate at height " + header.height() + " signs another block: " + certificate.blockHash());
    }
  }

  public long height() {
    return header.height();
  }

  /** The hash of the header. */
  public Hash hash() {
    return certificate.blockHash();
  }

  /**
   * Checks the block on its own: transactions of this chain, each correctly signed and listed once, the
   * Merkle root and count they make, a proposer and a valid certificate from {@code validators}. The link to the previous
   * block is the caller's to check ({@code header().previousHash()}). Never throws for a bad block.
   */
  public Verification verify(ValidatorSet validators) {
    if (!header.validatorSetHash().equals(validators.hash())) {
      return Verification.failed("block " + height() + " names validator set " + header.validatorSetHash() + ", not the one given");
    }
    if (!validators.contains(header.proposer())) {
      return Verification.failed("block " + height() + " was proposed by " + header.proposer() + ", not a validator");
    }
    java.util.Set<Hash> seen = new java.util.HashSet<>();
    for (int i = 0; i < transactions.size(); i++) {
      Transaction tx = transactions.get(i);
      if (!tx.chainId().equals(header.chainId())) {
        return Verification.failed("block " + height() + " transaction " + i + " is for chain " + tx.chainId());
      }
      if (!seen.add(tx.id())) {
        return Verification.failed("block " + height() + " lists transaction " + tx.id() + " twice");
      }
      if (!tx.verifySignature()) {
        return Verification.failed("block " + height() + " transaction " + i + " (" + tx.id() + ") has a bad signature");
      }
    }
    Hash root = MerkleTree.rootOf(transactions);
    if (!root.equals(header.transactionsRoot())) {
      return Verification.failed("block " + height() + " transactions make root " + root + ", header says " + header.transactionsRoot());
    }
    return certificate.verify(header, validators);
  }

  /** The inclusion proof of the transaction at {@code index}, verifiable against the header alone. */
  public MerkleProof proof(int index) {
    List<Hash> ids = new ArrayList<>(transactions.size());
    transactions.forEach(t -> ids.add(t.id()));
    return MerkleTree.proof(ids, index);
  }

  public void writeTo(CanonicalWriter w) {
    w.u8(VERSION);
    header.writeTo(w);
    w.count(transactions.size());
    transactions.forEach(t -> t.writeTo(w));
    certificate.writeTo(w);
  }

  public byte[] encode() {
    int size = 512 + 96 * certificate.signatures().size();
    for (Transaction t : transactions) {
      size += t.encodedSize();
    }
    CanonicalWriter w = new CanonicalWriter(size);
    writeTo(w);
    return w.toByteArray();
  }

  public static Block decode(byte[] bytes) {
    CanonicalReader r = new CanonicalReader(bytes);
    Block b = readFrom(r);
    r.end("block");
    return b;
  }

  /** Smallest possible encoded transaction, used to bound the count before allocating. */
  private static final int MIN_TRANSACTION_BYTES = 1 + 4 + 1 + 1 + AccountId.BYTES + 8 + 8 + Signature.BYTES;

  public static Block readFrom(CanonicalReader r) {
    r.version(VERSION, "block");
    BlockHeader header = BlockHeader.readFrom(r);
    int n = r.count(Limits.MAX_BLOCK_TRANSACTIONS, MIN_TRANSACTION_BYTES, "block transactions");
    List<Transaction> txs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      txs.add(Transaction.readFrom(r));
    }
    CommitCertificate cert = CommitCertificate.readFrom(r);
    try {
      return new Block(header, txs, cert);
    } catch (IllegalArgumentException e) {
      throw new DecodeException("block: " + e.getMessage());
    }
  }
}
