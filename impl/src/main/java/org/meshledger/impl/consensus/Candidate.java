package org.meshledger.impl.consensus;

import java.util.List;
import java.util.Objects;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Transaction;

/**
 * A block that is proposed but not yet committed: a header and its transactions, without a certificate.
 * Its identity is the header's hash, which is what votes sign; the header binds the transactions through
 * its Merkle root (checked by {@link Tendermint} before it votes for a candidate).
 */
public final class Candidate {
  private final BlockHeader header;
  private final List<Transaction> transactions;
  private final Hash hash;

  private Candidate(BlockHeader header, List<Transaction> transactions) {
    this.header = Objects.requireNonNull(header, "header");
    this.transactions = List.copyOf(transactions);
    if (this.transactions.size() != header.transactionCount()) {
      throw new IllegalArgumentException("candidate " + header.height() + " holds " + this.transactions.size()
          + " transactions but its header counts " + header.transactionCount());
    }
    this.hash = header.hash();
  }

  public static Candidate of(BlockHeader header, List<Transaction> transactions) {
    return new Candidate(header, transactions);
  }

  public BlockHeader header() {
    return header;
  }

  public List<Transaction> transactions() {
    return transactions;
  }

  public long height() {
    return header.height();
  }

  /** The header's hash: what prevotes and precommits name. */
  public Hash hash() {
    return hash;
  }

  /** This candidate, made final by {@code certificate}. */
  public Block certify(CommitCertificate certificate) {
    return new Block(header, transactions, certificate);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Candidate c && hash.equals(c.hash) && transactions.equals(c.transactions);
  }

  @Override
  public int hashCode() {
    return hash.hashCode();
  }

  @Override
  public String toString() {
    return "Candidate[" + header.height() + " " + hash.toHex().substring(0, 12) + "]";
  }
}
