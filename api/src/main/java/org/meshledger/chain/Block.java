package org.meshledger.chain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.meshledger.Verification;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;
import org.meshledger.crypto.Ed25519;
import org.meshledger.crypto.SignatureDomain;

/**
 * A committed block: its header, its transactions in order, the commit certificate of the block before it
 * (its <em>previous commit</em>), and its own commit certificate that makes it final.
 *
 * <p><b>Two certificates.</b> The block's own certificate is not part of its hash (it signs that hash), so it
 * may differ from node to node: each node assembles its own set of more than two thirds of the precommits, and
 * a block fetched by sync carries the serving peer's. The previous commit is part of the block's identity: the
 * proposer of block h puts in a certificate for block h-1 and the header names its hash
 * ({@link BlockHeader#previousCommitHash()}), so every node that holds block h holds the same evidence of who
 * signed block h-1 (Tendermint's {@code LastCommit}). Which of its precommits the proposer puts in is its
 * choice, within the rule that it holds more than two thirds.
 *
 * <p><b>Why {@code Optional}.</b> The previous commit is absent exactly at height 1 (there is no block 0). It is
 * an {@code Optional} component rather than a nullable one so that whoever builds a block says
 * {@code Optional.empty()} on purpose instead of passing a null by accident, and the accessor's type tells a
 * reader that it may be missing.
 *
 * <p>The constructor checks what is cheap (counts, heights, that each certificate names the right block, and
 * that the previous commit hashes to what the header names); {@link #verify} checks everything an auditor
 * needs, with nothing but the validator set.
 *
 * @param header what the block commits to
 * @param transactions the transactions, in execution order
 * @param previousCommit precommits of more than two thirds of the validators for the block at {@code height - 1}
 *     (its hash is {@code header.previousHash()}); empty at height 1 only
 * @param certificate precommits of more than two thirds of the validators for {@code header}
 */
public record Block(BlockHeader header, List<Transaction> transactions, Optional<CommitCertificate> previousCommit,
    CommitCertificate certificate) {
  /** The version byte that starts the encoding: 2 since blocks carry their previous commit (version 1 is refused). */
  public static final int VERSION = 2;

  public Block {
    Objects.requireNonNull(header, "header");
    transactions = List.copyOf(transactions);
    Objects.requireNonNull(previousCommit, "previousCommit (Optional.empty() for block 1)");
    Objects.requireNonNull(certificate, "certificate");
    if (transactions.size() != header.transactionCount()) {
      throw new IllegalArgumentException("block " + header.height() + " holds " + transactions.size()
          + " transactions but its header counts " + header.transactionCount());
    }
    checkPreviousCommit(header, previousCommit);
    if (certificate.height() != header.height()) {
      throw new IllegalArgumentException("certificate for height " + certificate.height() + " attached to block " + header.height());
    }
    if (!certificate.blockHash().equals(header.hash())) {
      throw new IllegalArgumentException("certificate at height " + header.height() + " signs another block: " + certificate.blockHash());
    }
  }

  /**
   * The checks of the previous commit that the constructor makes, for code that assembles a block in parts (a
   * proposal that is not yet certified): present if and only if the height is above 1, for the block at
   * {@code height - 1} whose hash is {@code header.previousHash()}, and hashing to
   * {@code header.previousCommitHash()}. Checks no signature ({@link #verify} does). Hashes the certificate once.
   *
   * @throws IllegalArgumentException naming what does not match
   */
  public static void checkPreviousCommit(BlockHeader header, Optional<CommitCertificate> previousCommit) {
    long h = header.height();
    if (previousCommit.isEmpty()) {
      if (h > 1) {
        throw new IllegalArgumentException("block " + h + " carries no previous commit; every block above height 1 must carry a"
            + " certificate for block " + (h - 1));
      }
      return; // the header checked that block 1 names Hash.ZERO
    }
    CommitCertificate c = previousCommit.get();
    if (h == 1) {
      throw new IllegalArgumentException("block 1 has no previous block but carries a previous commit for height " + c.height()
          + "; give it Optional.empty()");
    }
    if (c.height() != h - 1) {
      throw new IllegalArgumentException("block " + h + " carries a previous commit for height " + c.height() + ", not " + (h - 1));
    }
    if (!c.blockHash().equals(header.previousHash())) {
      throw new IllegalArgumentException("block " + h + " carries a previous commit that signs block " + c.blockHash()
          + ", not its previous block " + header.previousHash());
    }
    Hash hash = c.hash();
    if (!hash.equals(header.previousCommitHash())) {
      throw new IllegalArgumentException("block " + h + " carries a previous commit that hashes to " + hash + " but its header names "
          + header.previousCommitHash() + ": the header must name the hash of the certificate the block carries");
    }
  }

  public long height() {
    return header.height();
  }

  /**
   * The validators whose precommits for the previous block this block carries, in validator-set order (sorted by
   * key bytes); empty for block 1. The block's hash fixes them, so every node that holds the block reads the same
   * signers, unlike those of its own {@link #certificate()}: the deterministic evidence of who signed block
   * {@code height - 1}.
   */
  public List<NodeId> previousCommitSigners() {
    return previousCommit.map(CommitCertificate::signers).orElse(List.of());
  }

  /** The hash of the header. */
  public Hash hash() {
    return certificate.blockHash();
  }

  /**
   * Checks the block on its own: transactions of this chain, each correctly signed and listed once, the
   * Merkle root and count they make, a proposer, a valid certificate from {@code validators}, and a valid previous
   * commit (more than two thirds of {@code validators}, each signature checked, for the block the header names as
   * previous). The link to the previous block is the caller's to check ({@code header().previousHash()}). Never
   * throws for a bad block. Verifies a signature per signer of both certificates and then, once they hold, the
   * transactions' signatures as one batch (about half the cost of one by one for a block of 100), on the caller's
   * thread: for a full block, work for a worker thread, not an event loop. A block whose certificate fails is
   * refused before its transactions' signatures are looked at.
   *
   * <p>The previous commit is verified against {@code validators}, the set this block names: the validator set is
   * fixed for a chain (the genesis names it), so it is also the set that signed block {@code height - 1}. A chain
   * whose set changed would have to check it against the set that block {@code height - 1}'s header names.
   */
  public Verification verify(ValidatorSet validators) {
    Verification checked = verifyAllButTransactionSignatures(validators);
    return checked.valid() ? verifySignatures() : checked;
  }

  /**
   * {@link #verify} of each block, with the transactions' signatures of all the blocks whose certificates hold
   * checked as one batch: cheaper per signature the more there are (about 2x one by one for 100 signatures, 3x for
   * 1,000). Should the batch fail, each of those blocks is checked on its own, so every verdict, and its reason, is
   * the one {@link #verify} gives.
   *
   * @return the verdicts, in the order of {@code blocks}
   */
  public static List<Verification> verifyAll(List<Block> blocks, ValidatorSet validators) {
    List<Verification> verdicts = new ArrayList<>(blocks.size());
    int signatures = 0;
    for (Block b : blocks) {
      Verification v = b.verifyAllButTransactionSignatures(validators);
      verdicts.add(v);
      if (v.valid()) {
        signatures += b.transactions.size();
      }
    }
    byte[][] keys = new byte[signatures][];
    byte[][] bodies = new byte[signatures][];
    byte[][] sigs = new byte[signatures][];
    String chainId = null;
    boolean oneChain = true;
    int at = 0;
    for (int i = 0; i < blocks.size(); i++) {
      if (verdicts.get(i).valid()) {
        Block b = blocks.get(i);
        oneChain &= chainId == null || chainId.equals(b.header.chainId());
        chainId = b.header.chainId();
        at = b.signingInputs(keys, bodies, sigs, at);
      }
    }
    if (oneChain && chainId != null && Ed25519.verifyAll(SignatureDomain.TRANSACTION, chainId, keys, bodies, sigs)) {
      return verdicts;
    }
    for (int i = 0; i < blocks.size(); i++) {
      if (verdicts.get(i).valid()) {
        verdicts.set(i, blocks.get(i).verifySignatures());
      }
    }
    return verdicts;
  }

  /** Everything {@link #verify} checks but the transactions' signatures, in the same order. */
  private Verification verifyAllButTransactionSignatures(ValidatorSet validators) {
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
    }
    Hash root = MerkleTree.rootOf(transactions);
    if (!root.equals(header.transactionsRoot())) {
      return Verification.failed("block " + height() + " transactions make root " + root + ", header says " + header.transactionsRoot());
    }
    Verification own = certificate.verify(header, validators);
    if (!own.valid()) {
      return own;
    }
    if (previousCommit.isPresent()) {
      Verification previous = previousCommit.get().verify(header.chainId(), height() - 1, header.previousHash(), validators);
      if (!previous.valid()) {
        return Verification.failed("block " + height() + " carries a previous commit that does not verify: " + previous.reason());
      }
    }
    return Verification.ok();
  }

  /** Puts the transactions' keys, bodies and signatures in the arrays from {@code at}; returns the next free index. */
  private int signingInputs(byte[][] keys, byte[][] bodies, byte[][] signatures, int at) {
    for (Transaction tx : transactions) {
      keys[at] = tx.sender().key();
      bodies[at] = tx.body();
      signatures[at] = tx.signature().rawBytes();
      at++;
    }
    return at;
  }

  /**
   * The transactions' signatures, checked as one batch ({@link Ed25519#verifyAll}: the verdict of one by one, but
   * for a chance of about 2^-128 that a bad signature passes) once the certificates are known good: the validators
   * that signed them had checked each signature alone, so even that chance needs them to have certified a bad
   * transaction. If the batch fails, one by one, to name the first bad one.
   */
  private Verification verifySignatures() {
    int n = transactions.size();
    byte[][] keys = new byte[n][];
    byte[][] bodies = new byte[n][];
    byte[][] signatures = new byte[n][];
    signingInputs(keys, bodies, signatures, 0);
    if (Ed25519.verifyAll(SignatureDomain.TRANSACTION, header.chainId(), keys, bodies, signatures)) {
      return Verification.ok();
    }
    for (int i = 0; i < n; i++) {
      Transaction tx = transactions.get(i);
      if (!tx.verifySignature()) {
        return Verification.failed("block " + height() + " transaction " + i + " (" + tx.id() + ") has a bad signature");
      }
    }
    return Verification.ok(); // not reached while batches and single verification agree; single verification rules
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
    w.bool(previousCommit.isPresent());
    previousCommit.ifPresent(c -> c.writeTo(w));
    certificate.writeTo(w);
  }

  public byte[] encode() {
    int size = 512 + 96 * (certificate.signatures().size() + previousCommit.map(c -> c.signatures().size()).orElse(0));
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
    Optional<CommitCertificate> previous = r.bool("block previous commit present") ? Optional.of(CommitCertificate.readFrom(r))
        : Optional.empty();
    CommitCertificate cert = CommitCertificate.readFrom(r);
    try {
      return new Block(header, txs, previous, cert);
    } catch (IllegalArgumentException e) {
      throw new DecodeException("block: " + e.getMessage());
    }
  }
}
