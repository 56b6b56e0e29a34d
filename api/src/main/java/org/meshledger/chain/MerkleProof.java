package org.meshledger.chain;

import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;

/**
 * Proof that a transaction id is the {@code index}-th leaf of a block's transaction tree. It verifies with
 * nothing but the block header's {@link BlockHeader#transactionsRoot()}: see {@link MerkleTree} for the tree.
 *
 * @param index the leaf position, 0-based
 * @param leafCount the number of transactions in the block
 * @param siblings the sibling hashes from the leaf up (levels where the node is promoted have none)
 */
public record MerkleProof(int index, int leafCount, List<Hash> siblings) {
  public static final int VERSION = 1;

  public MerkleProof {
    if (leafCount < 1 || leafCount > Limits.MAX_BLOCK_TRANSACTIONS) {
      throw new IllegalArgumentException("leaf count must be 1 to " + Limits.MAX_BLOCK_TRANSACTIONS + ", got " + leafCount);
    }
    if (index < 0 || index >= leafCount) {
      throw new IllegalArgumentException("index " + index + " outside 0.." + (leafCount - 1));
    }
    siblings = List.copyOf(siblings);
    if (siblings.size() != siblingCount(index, leafCount)) {
      throw new IllegalArgumentException("a proof for leaf " + index + " of " + leafCount + " has " + siblingCount(index, leafCount)
          + " siblings, not " + siblings.size());
    }
  }

  static int siblingCount(int index, int n) {
    int count = 0;
    while (n > 1) {
      if (!(index == n - 1 && (n & 1) == 1)) {
        count++;
      }
      index >>= 1;
      n = (n + 1) >> 1;
    }
    return count;
  }

  /** The root this proof leads to from {@code transactionId}. */
  public Hash rootFor(Hash transactionId) {
    MessageDigest md = Hash.digest();
    byte[] node = MerkleTree.leaf(md, transactionId);
    int i = index;
    int n = leafCount;
    int s = 0;
    while (n > 1) {
      if (!(i == n - 1 && (n & 1) == 1)) {
        byte[] sib = siblings.get(s++).bytes();
        node = (i & 1) == 0 ? MerkleTree.node(md, node, sib) : MerkleTree.node(md, sib, node);
      }
      i >>= 1;
      n = (n + 1) >> 1;
    }
    return new Hash(node);
  }

  /**
   * True if {@code transactionId} is at {@link #index()} in the block whose header is given. The leaf count
   * must equal the header's transaction count: without that check a proof could claim another position
   * (leaf 2 of 3 and leaf 1 of 2 take the same path to the root).
   */
  public boolean verify(Hash transactionId, BlockHeader header) {
    return leafCount == header.transactionCount() && rootFor(transactionId).equals(header.transactionsRoot());
  }

  public byte[] encode() {
    CanonicalWriter w = new CanonicalWriter(16 + 32 * siblings.size()).u8(VERSION).i32(index).i32(leafCount).count(siblings.size());
    siblings.forEach(h -> h.writeTo(w));
    return w.toByteArray();
  }

  public static MerkleProof decode(byte[] bytes) {
    CanonicalReader r = new CanonicalReader(bytes);
    r.version(VERSION, "merkle proof");
    int index = r.i32("merkle proof index");
    int leafCount = r.i32("merkle proof leaf count");
    int n = r.count(64, Hash.BYTES, "merkle proof siblings");
    Hash[] sibs = new Hash[n];
    for (int i = 0; i < n; i++) {
      sibs[i] = Hash.readFrom(r, "merkle proof sibling");
    }
    r.end("merkle proof");
    try {
      return new MerkleProof(index, leafCount, List.of(sibs));
    } catch (IllegalArgumentException e) {
      throw new DecodeException("merkle proof: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "MerkleProof[" + index + " of " + leafCount + ", " + Objects.toString(siblings.size()) + " siblings]";
  }
}
