package org.meshledger.chain;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.meshledger.Verification;
import org.meshledger.genesis.Genesis;

/**
 * A receipt that proves itself: the {@link Receipt}, the header of its block and a commit certificate for that
 * header. Whoever holds the chain's {@link Genesis} checks it offline, with no node and no other block:
 * {@link #verify(Genesis)}. A list of them is what an auditor exports to a file ({@link #write}) and what the
 * {@code meshledger verify} command and {@link #read} take back; the file format is described in
 * {@code docs/ledger.md} of the project.
 *
 * <p><b>What a valid proof shows.</b> The transaction, exactly as signed, is at {@link Receipt#index()} of the
 * block at {@link Receipt#height()} of this chain, and that block is final: more than two thirds of the
 * genesis's validators precommitted its header. It does not show the receipt's {@link Receipt#result() result}:
 * no header commits to the results of its own transactions, so whether a transaction applied or failed is the
 * exporting node's word (every node executes the same blocks to the same results; replaying the chain shows it).
 *
 * <p>The constructor checks only that the parts are there, so that a proof read from a file whose parts do not
 * fit together can still be verified and the failure named; {@link #of} builds one from a block and checks that
 * they fit.
 *
 * @param receipt the transaction, its position and its Merkle proof
 * @param header the header of the block the receipt names
 * @param certificate precommits for that header (a block's own {@link Block#certificate()})
 */
public record ReceiptProof(Receipt receipt, BlockHeader header, CommitCertificate certificate) {
  public ReceiptProof {
    Objects.requireNonNull(receipt, "receipt");
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(certificate, "certificate");
  }

  /**
   * The proof of {@code receipt} from its block: the block's header and its own certificate.
   *
   * @throws IllegalArgumentException if {@code block} is not the block the receipt names (height or hash), or does
   *     not hold the receipt's transaction at the receipt's index
   */
  public static ReceiptProof of(Receipt receipt, Block block) {
    Objects.requireNonNull(receipt, "receipt");
    Objects.requireNonNull(block, "block");
    if (receipt.height() != block.height() || !receipt.blockHash().equals(block.hash())) {
      throw new IllegalArgumentException("the receipt of transaction " + receipt.transactionId() + " names block " + receipt.height() + " "
          + receipt.blockHash() + ", not block " + block.height() + " " + block.hash() + ": pass the block at the receipt's height");
    }
    if (receipt.index() >= block.transactions().size()
        || !block.transactions().get(receipt.index()).id().equals(receipt.transactionId())) {
      throw new IllegalArgumentException("block " + block.height() + " does not hold transaction " + receipt.transactionId() + " at index "
          + receipt.index());
    }
    return new ReceiptProof(receipt, block.header(), block.certificate());
  }

  /**
   * Checks the proof against {@code genesis} alone, in this order, and stops at the first check that fails; its
   * reason starts with the check's name:
   * <ol>
   *   <li>{@code chain}: the header is of the genesis's chain (and block 1 follows the genesis itself);
   *   <li>{@code validators}: the header names the genesis's validator set and a proposer from it;
   *   <li>{@code certificate}: the certificate is for this header (height and hash) and holds valid precommits of
   *       more than two thirds of those validators;
   *   <li>{@code transaction}: the transaction is for this chain and its signature is its sender's;
   *   <li>{@code receipt}: the receipt names this block (height and hash) and its Merkle proof leads from the
   *       transaction's id to the header's transaction root, at the receipt's index.
   * </ol>
   * Never throws for a bad proof. Verifies one signature per signer and one for the transaction, on the caller's
   * thread (tens of microseconds each).
   */
  public Verification verify(Genesis genesis) {
    Objects.requireNonNull(genesis, "genesis");
    if (!header.chainId().equals(genesis.chainId())) {
      return Verification.failed("chain: block " + header.height() + " is of chain '" + header.chainId() + "', the genesis is of '"
          + genesis.chainId() + "'");
    }
    if (header.height() == 1 && !header.previousHash().equals(genesis.hash())) {
      return Verification.failed("chain: block 1 follows " + header.previousHash() + ", not this genesis " + genesis.hash());
    }
    ValidatorSet validators = genesis.validators();
    if (!header.validatorSetHash().equals(validators.hash())) {
      return Verification.failed("validators: block " + header.height() + " names validator set " + header.validatorSetHash()
          + ", the genesis's is " + validators.hash());
    }
    if (!validators.contains(header.proposer())) {
      return Verification.failed("validators: block " + header.height() + " was proposed by " + header.proposer() + ", not a validator");
    }
    Verification certified = certificate.verify(header, validators);
    if (!certified.valid()) {
      return Verification.failed("certificate: " + certified.reason());
    }
    Transaction tx = receipt.transaction();
    if (!tx.chainId().equals(header.chainId())) {
      return Verification.failed("transaction: " + tx.id() + " is for chain '" + tx.chainId() + "'");
    }
    if (!tx.verifySignature()) {
      return Verification.failed("transaction: " + tx.id() + " has a bad signature");
    }
    Verification included = receipt.verify(header);
    return included.valid() ? included : Verification.failed("receipt: " + included.reason());
  }

  /**
   * Writes {@code proofs} to {@code file} in the receipt proof format (JSON, version 1), atomically: a temporary
   * file beside it, then a move over it, so a reader sees the old file or the new one, never a part. Blocking I/O
   * on the caller's thread.
   *
   * @throws IllegalArgumentException if there are more proofs, or more bytes, than a file may hold (see
   *     {@code docs/ledger.md}): a file this method writes, {@link #read} reads back
   * @throws org.meshledger.MeshledgerException if the file cannot be written
   */
  public static void write(Path file, List<ReceiptProof> proofs) {
    ReceiptProofFile.write(file, proofs);
  }

  /**
   * Reads a receipt proof file, treating it as hostile: its size, the count of proofs and every field's length
   * are checked before anything is allocated for them. Reading checks the format, not the proofs: call
   * {@link #verify(Genesis)} on each. Blocking I/O on the caller's thread.
   *
   * @throws org.meshledger.codec.DecodeException naming the file, the entry and the field, if the file is not a
   *     well-formed receipt proof file
   * @throws org.meshledger.MeshledgerException if the file does not exist or cannot be read
   */
  public static List<ReceiptProof> read(Path file) {
    return ReceiptProofFile.read(file);
  }
}
