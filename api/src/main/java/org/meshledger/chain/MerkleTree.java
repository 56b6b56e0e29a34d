package org.meshledger.chain;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The binary hash tree over a block's transaction ids.
 *
 * <ul>
 *   <li>leaf = SHA-256(0x00 || transaction id); inner node = SHA-256(0x01 || left || right). The prefixes
 *       keep a leaf from ever being taken for an inner node (second-preimage attacks).
 *   <li>A level with an odd count promotes its last node unchanged to the next level; it is not paired with
 *       a copy of itself, so no two different lists of ids share a root (Bitcoin's CVE-2012-2459).
 *   <li>The root of an empty list is SHA-256 of the empty string.
 * </ul>
 */
public final class MerkleTree {
  private static final byte[] LEAF = {0};
  private static final byte[] NODE = {1};

  private MerkleTree() {}

  static byte[] leaf(MessageDigest md, Hash id) {
    md.reset();
    md.update(LEAF);
    md.update(id.bytes());
    return md.digest();
  }

  static byte[] node(MessageDigest md, byte[] left, byte[] right) {
    md.reset();
    md.update(NODE);
    md.update(left);
    md.update(right);
    return md.digest();
  }

  /** The root over {@code ids} in order. */
  public static Hash root(List<Hash> ids) {
    MessageDigest md = Hash.digest();
    if (ids.isEmpty()) {
      return new Hash(md.digest());
    }
    byte[][] level = new byte[ids.size()][];
    for (int i = 0; i < level.length; i++) {
      level[i] = leaf(md, ids.get(i));
    }
    int n = level.length;
    while (n > 1) {
      int next = 0;
      for (int i = 0; i + 1 < n; i += 2) {
        level[next++] = node(md, level[i], level[i + 1]);
      }
      if ((n & 1) == 1) {
        level[next++] = level[n - 1];
      }
      n = next;
    }
    return new Hash(level[0]);
  }

  /** The root over the ids of {@code transactions}. */
  public static Hash rootOf(List<Transaction> transactions) {
    List<Hash> ids = new ArrayList<>(transactions.size());
    transactions.forEach(t -> ids.add(t.id()));
    return root(ids);
  }

  /** The inclusion proof of {@code ids.get(index)}. */
  public static MerkleProof proof(List<Hash> ids, int index) {
    Objects.checkIndex(index, ids.size());
    MessageDigest md = Hash.digest();
    byte[][] level = new byte[ids.size()][];
    for (int i = 0; i < level.length; i++) {
      level[i] = leaf(md, ids.get(i));
    }
    List<Hash> siblings = new ArrayList<>();
    int i = index;
    int n = level.length;
    while (n > 1) {
      if (!(i == n - 1 && (n & 1) == 1)) {
        siblings.add(new Hash(level[i ^ 1]));
      }
      int next = 0;
      for (int j = 0; j + 1 < n; j += 2) {
        level[next++] = node(md, level[j], level[j + 1]);
      }
      if ((n & 1) == 1) {
        level[next++] = level[n - 1];
      }
      i >>= 1;
      n = next;
    }
    return new MerkleProof(index, ids.size(), siblings);
  }

  /** The inclusion proofs of every id, in order: one pass builds the tree, each proof then reads log(n) nodes. */
  public static List<MerkleProof> proofs(List<Hash> ids) {
    MessageDigest md = Hash.digest();
    List<byte[][]> levels = new ArrayList<>();
    byte[][] level = new byte[ids.size()][];
    for (int i = 0; i < level.length; i++) {
      level[i] = leaf(md, ids.get(i));
    }
    levels.add(level);
    while (level.length > 1) {
      byte[][] up = new byte[(level.length + 1) / 2][];
      for (int j = 0; j + 1 < level.length; j += 2) {
        up[j / 2] = node(md, level[j], level[j + 1]);
      }
      if ((level.length & 1) == 1) {
        up[up.length - 1] = level[level.length - 1];
      }
      levels.add(up);
      level = up;
    }
    List<MerkleProof> out = new ArrayList<>(ids.size());
    for (int index = 0; index < ids.size(); index++) {
      List<Hash> siblings = new ArrayList<>();
      int i = index;
      for (byte[][] l : levels) {
        int n = l.length;
        if (n > 1 && !(i == n - 1 && (n & 1) == 1)) {
          siblings.add(new Hash(l[i ^ 1]));
        }
        i >>= 1;
      }
      out.add(new MerkleProof(index, ids.size(), siblings));
    }
    return out;
  }
}
