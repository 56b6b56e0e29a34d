package org.meshledger.impl.consensus;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Limits;
import org.meshledger.chain.Signature;
import org.meshledger.chain.Transaction;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;

/**
 * A block that is proposed but not yet committed: a header, its transactions and the previous block's commit
 * certificate that the proposer put in, without a certificate of its own. Its identity is the header's hash,
 * which is what votes sign; the header binds the transactions through its Merkle root (checked by
 * {@link Tendermint} before it votes for a candidate) and the previous commit through its hash (checked here).
 *
 * <p>Encoding ({@link #writeTo}, inside proposals and safety records): {@code header, u32 count, transactions,
 * bool hasPreviousCommit, [certificate]}, the order of a {@link Block} without its own certificate.
 */
public final class Candidate {
  /** Smallest possible encoded transaction, used to bound the count before allocating. */
  private static final int MIN_TRANSACTION_BYTES = 1 + 4 + 1 + 1 + AccountId.BYTES + 8 + 8 + Signature.BYTES;

  private final BlockHeader header;
  private final List<Transaction> transactions;
  private final Optional<CommitCertificate> previousCommit;
  private final Hash hash;

  private Candidate(BlockHeader header, List<Transaction> transactions, Optional<CommitCertificate> previousCommit) {
    this.header = Objects.requireNonNull(header, "header");
    this.transactions = List.copyOf(transactions);
    this.previousCommit = Objects.requireNonNull(previousCommit, "previousCommit (Optional.empty() at height 1)");
    if (this.transactions.size() != header.transactionCount()) {
      throw new IllegalArgumentException("candidate " + header.height() + " holds " + this.transactions.size()
          + " transactions but its header counts " + header.transactionCount());
    }
    Block.checkPreviousCommit(header, previousCommit);
    this.hash = header.hash();
  }

  /**
   * A candidate of {@code header}, its transactions and the certificate of the block before it (empty at height 1).
   *
   * @throws IllegalArgumentException if the counts differ, or the previous commit is missing, extra, for another
   *     block, or not the one whose hash the header names ({@link Block#checkPreviousCommit})
   */
  public static Candidate of(BlockHeader header, List<Transaction> transactions, Optional<CommitCertificate> previousCommit) {
    return new Candidate(header, transactions, previousCommit);
  }

  public BlockHeader header() {
    return header;
  }

  public List<Transaction> transactions() {
    return transactions;
  }

  /** The certificate for the block at {@code height - 1} that the proposer put in; empty at height 1. */
  public Optional<CommitCertificate> previousCommit() {
    return previousCommit;
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
    return new Block(header, transactions, previousCommit, certificate);
  }

  /** Writes the candidate in the encoding of the class comment. */
  public void writeTo(CanonicalWriter w) {
    header.writeTo(w);
    w.count(transactions.size());
    transactions.forEach(t -> t.writeTo(w));
    w.bool(previousCommit.isPresent());
    previousCommit.ifPresent(c -> c.writeTo(w));
  }

  /**
   * Reads a candidate written by {@link #writeTo}; bounds every count before allocating.
   *
   * @throws org.meshledger.codec.DecodeException if the bytes do not decode
   * @throws IllegalArgumentException if they decode to parts that do not fit together (the caller wraps it)
   */
  public static Candidate readFrom(CanonicalReader r, String what) {
    BlockHeader header = BlockHeader.readFrom(r);
    int n = r.count(Limits.MAX_BLOCK_TRANSACTIONS, MIN_TRANSACTION_BYTES, what + " transactions");
    List<Transaction> txs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      txs.add(Transaction.readFrom(r));
    }
    Optional<CommitCertificate> previous = r.bool(what + " previous commit present") ? Optional.of(CommitCertificate.readFrom(r))
        : Optional.empty();
    return new Candidate(header, txs, previous);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Candidate c && hash.equals(c.hash) && transactions.equals(c.transactions) && previousCommit.equals(c.previousCommit);
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
