package org.meshledger.chain;

import java.time.Instant;
import java.util.Objects;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;

/**
 * What a block commits to. The block's {@linkplain #hash() hash} is SHA-256 of this header's canonical
 * encoding, so the header alone links the block to its predecessor and to the certificate of the predecessor
 * that the block carries, its transactions (through the Merkle root), the state before it and the validators
 * that may sign it.
 *
 * @param chainId the chain the block belongs to
 * @param height 1 for the first block, then one more per block
 * @param previousHash the hash of the block at {@code height - 1}; for the first block, the genesis hash
 * @param previousCommitHash {@link CommitCertificate#hash()} of the certificate for the block at {@code height - 1}
 *     that this block carries ({@link Block#previousCommit()}); {@link Hash#ZERO} for the first block, which has
 *     no previous block. It makes the proposer's choice of that certificate part of the block's identity, so every
 *     node holds the same evidence of who signed the previous block.
 * @param timeMillis the proposer's time in milliseconds since the epoch, at least 0
 * @param proposer the validator that proposed the block
 * @param transactionsRoot the {@link MerkleTree} root over the block's transaction ids
 * @param transactionCount how many transactions the block holds (the leaf count of its Merkle proofs)
 * @param stateDigest the digest of the ledger state after the previous block
 * @param validatorSetHash {@link ValidatorSet#hash()} of the validators that may sign this block
 */
public record BlockHeader(String chainId, long height, Hash previousHash, Hash previousCommitHash, long timeMillis, NodeId proposer,
    Hash transactionsRoot, int transactionCount, Hash stateDigest, Hash validatorSetHash) {
  /** The version byte that starts the encoding: 2 since headers name the previous commit (version 1 is refused). */
  public static final int VERSION = 2;

  public BlockHeader {
    Limits.checkChainId(chainId);
    if (height < 1) {
      throw new IllegalArgumentException("block height must be at least 1, got " + height);
    }
    Objects.requireNonNull(previousHash, "previousHash");
    Objects.requireNonNull(previousCommitHash, "previousCommitHash");
    if (height == 1 && !previousCommitHash.equals(Hash.ZERO)) {
      throw new IllegalArgumentException("block 1 has no previous block, so its previous commit hash must be Hash.ZERO, got "
          + previousCommitHash);
    }
    if (timeMillis < 0) {
      throw new IllegalArgumentException("block time cannot be before the epoch: " + timeMillis);
    }
    Objects.requireNonNull(proposer, "proposer");
    Objects.requireNonNull(transactionsRoot, "transactionsRoot");
    if (transactionCount < 0 || transactionCount > Limits.MAX_BLOCK_TRANSACTIONS) {
      throw new IllegalArgumentException("transaction count must be 0 to " + Limits.MAX_BLOCK_TRANSACTIONS + ", got " + transactionCount);
    }
    Objects.requireNonNull(stateDigest, "stateDigest");
    Objects.requireNonNull(validatorSetHash, "validatorSetHash");
  }

  /** The block time as an instant. */
  public Instant time() {
    return Instant.ofEpochMilli(timeMillis);
  }

  /** SHA-256 of {@link #encode()}: the block's identity, signed by its certificate. */
  public Hash hash() {
    return Hash.sha256(encode());
  }

  public void writeTo(CanonicalWriter w) {
    w.u8(VERSION).string(chainId).i64(height);
    previousHash.writeTo(w);
    previousCommitHash.writeTo(w);
    w.i64(timeMillis);
    proposer.writeTo(w);
    transactionsRoot.writeTo(w);
    w.i32(transactionCount);
    stateDigest.writeTo(w);
    validatorSetHash.writeTo(w);
  }

  public byte[] encode() {
    CanonicalWriter w = new CanonicalWriter(256);
    writeTo(w);
    return w.toByteArray();
  }

  public static BlockHeader decode(byte[] bytes) {
    CanonicalReader r = new CanonicalReader(bytes);
    BlockHeader h = readFrom(r);
    r.end("block header");
    return h;
  }

  public static BlockHeader readFrom(CanonicalReader r) {
    r.version(VERSION, "block header");
    String chainId = r.string(Limits.MAX_CHAIN_ID_BYTES, "block chain id");
    long height = r.i64("block height");
    Hash previous = Hash.readFrom(r, "block previous hash");
    Hash previousCommit = Hash.readFrom(r, "block previous commit hash");
    long time = r.i64("block time");
    NodeId proposer = NodeId.readFrom(r, "block proposer");
    Hash root = Hash.readFrom(r, "block transactions root");
    int count = r.i32("block transaction count");
    Hash state = Hash.readFrom(r, "block state digest");
    Hash validators = Hash.readFrom(r, "block validator set hash");
    try {
      return new BlockHeader(chainId, height, previous, previousCommit, time, proposer, root, count, state, validators);
    } catch (IllegalArgumentException e) {
      throw new DecodeException("block header: " + e.getMessage());
    }
  }
}
