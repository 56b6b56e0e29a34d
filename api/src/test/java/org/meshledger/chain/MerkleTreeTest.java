package org.meshledger.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.meshledger.Fixtures;

/**
 * The transaction tree: roots computed from the documented rule, proofs that verify with the header alone
 * for every size and index, and no two id lists with one root.
 */
class MerkleTreeTest {
  private static final long SEED = Long.getLong("meshledger.seed", new Random().nextLong());

  private static byte[] sha(byte[]... parts) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }

  private static byte[] leaf(Hash id) throws Exception {
    return sha(new byte[] {0}, id.bytes());
  }

  private static byte[] node(byte[] l, byte[] r) throws Exception {
    return sha(new byte[] {1}, l, r);
  }

  private static BlockHeader headerWith(Hash root, int count) {
    return new BlockHeader("c", 1, Hash.ZERO, Hash.ZERO, 0, Fixtures.node(1), root, count, Hash.ZERO, Hash.ZERO);
  }

  @Test
  void rootsFollowTheDocumentedRule() throws Exception {
    Hash a = Fixtures.hash(1);
    Hash b = Fixtures.hash(2);
    Hash c = Fixtures.hash(3);
    Hash d = Fixtures.hash(4);
    Hash e = Fixtures.hash(5);
    assertThat(MerkleTree.root(List.of()).bytes()).isEqualTo(sha());
    assertThat(MerkleTree.root(List.of(a)).bytes()).isEqualTo(leaf(a));
    assertThat(MerkleTree.root(List.of(a, b)).bytes()).isEqualTo(node(leaf(a), leaf(b)));
    // odd count: the last node is promoted, not paired with a copy of itself
    assertThat(MerkleTree.root(List.of(a, b, c)).bytes()).isEqualTo(node(node(leaf(a), leaf(b)), leaf(c)));
    assertThat(MerkleTree.root(List.of(a, b, c, d, e)).bytes())
        .isEqualTo(node(node(node(leaf(a), leaf(b)), node(leaf(c), leaf(d))), leaf(e)));
  }

  @Test
  void everyProofOfEverySizeVerifiesAgainstTheHeaderAlone() {
    Random random = new Random(SEED);
    for (int n = 1; n <= 70; n++) {
      List<Hash> ids = Fixtures.ids(n, random);
      BlockHeader header = headerWith(MerkleTree.root(ids), n);
      for (int i = 0; i < n; i++) {
        MerkleProof proof = MerkleTree.proof(ids, i);
        String at = "leaf " + i + " of " + n + " (seed " + SEED + ")";
        assertThat(proof.verify(ids.get(i), header)).as(at).isTrue();
        assertThat(MerkleProof.decode(proof.encode())).as(at).isEqualTo(proof);
        assertThat(MerkleProof.decode(proof.encode()).verify(ids.get(i), header)).as(at).isTrue();
        assertThat(proof.siblings().size()).as(at).isLessThanOrEqualTo(32 - Integer.numberOfLeadingZeros(n - 1));
      }
    }
  }

  @Test
  void tamperedSiblingIndexCountOrIdFails() {
    Random random = new Random(SEED);
    for (int n = 1; n <= 70; n++) {
      List<Hash> ids = Fixtures.ids(n, random);
      BlockHeader header = headerWith(MerkleTree.root(ids), n);
      for (int i = 0; i < n; i++) {
        MerkleProof proof = MerkleTree.proof(ids, i);
        String at = "leaf " + i + " of " + n + " (seed " + SEED + ")";
        for (int s = 0; s < proof.siblings().size(); s++) {
          List<Hash> siblings = new ArrayList<>(proof.siblings());
          byte[] b = siblings.get(s).bytes();
          b[random.nextInt(Hash.BYTES)] ^= (byte) (1 << random.nextInt(8));
          siblings.set(s, new Hash(b));
          assertThat(new MerkleProof(i, n, siblings).verify(ids.get(i), header)).as(at + ", sibling " + s).isFalse();
        }
        for (int j = 0; j < n; j++) {
          // another index with the same siblings: the id is not at j, so this must fail
          if (j != i && MerkleProof.siblingCount(j, n) == proof.siblings().size()) {
            assertThat(new MerkleProof(j, n, proof.siblings()).verify(ids.get(i), header)).as(at + " claimed at " + j).isFalse();
          }
        }
        for (int m = i + 1; m <= 72; m++) {
          // the same path under another leaf count may reach the same root: the header's count rules it out
          if (m != n && MerkleProof.siblingCount(i, m) == proof.siblings().size()) {
            assertThat(new MerkleProof(i, m, proof.siblings()).verify(ids.get(i), header)).as(at + " claimed of " + m).isFalse();
          }
        }
        for (int j = 0; j < n; j++) {
          if (j != i) {
            assertThat(proof.verify(ids.get(j), header)).as(at + " with the id of " + j).isFalse();
          }
        }
        byte[] other = ids.get(i).bytes();
        other[0] ^= 1;
        assertThat(proof.verify(new Hash(other), header)).as(at + " flipped id").isFalse();
      }
    }
  }

  @Test
  void aProofOfTwoOfThreeAlsoLeadsToTheRootAsOneOfTwo() {
    // Why verify checks the leaf count: leaf 2 of 3 and leaf 1 of 2 share a path (see the commit that added it).
    List<Hash> ids = Fixtures.ids(3, new Random(1));
    MerkleProof real = MerkleTree.proof(ids, 2);
    MerkleProof forged = new MerkleProof(1, 2, real.siblings());
    assertThat(forged.rootFor(ids.get(2))).isEqualTo(MerkleTree.root(ids));
    assertThat(forged.verify(ids.get(2), headerWith(MerkleTree.root(ids), 3))).isFalse();
  }

  @Test
  void duplicatingTheLastIdsChangesTheRoot() {
    // CVE-2012-2459: Bitcoin pairs an odd last node with itself, so [a,b,c] and [a,b,c,c] share a root.
    Random random = new Random(SEED);
    for (int n = 1; n <= 40; n++) {
      List<Hash> ids = Fixtures.ids(n, random);
      Hash root = MerkleTree.root(ids);
      List<Hash> padded = new ArrayList<>(ids);
      padded.add(ids.get(n - 1));
      assertThat(MerkleTree.root(padded)).as("%d ids + last again (seed %d)", n, SEED).isNotEqualTo(root);
      if (n >= 2) {
        List<Hash> tail = new ArrayList<>(ids);
        tail.addAll(ids.subList(n - 2, n));
        assertThat(MerkleTree.root(tail)).as("%d ids + last two again (seed %d)", n, SEED).isNotEqualTo(root);
      }
    }
  }

  @Test
  void differentListsNeverShareARoot() {
    Random random = new Random(SEED);
    List<Hash> pool = Fixtures.ids(6, random); // a small pool makes repeats, prefixes and permutations likely
    Map<Hash, List<Hash>> seen = new HashMap<>();
    for (int round = 0; round < 20_000; round++) {
      int n = random.nextInt(12);
      List<Hash> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ids.add(pool.get(random.nextInt(pool.size())));
      }
      if (n > 0 && random.nextBoolean()) {
        int k = 1 + random.nextInt(n);
        ids.addAll(ids.subList(n - k, n)); // duplicate a tail, the CVE-2012-2459 shape
      }
      List<Hash> previous = seen.putIfAbsent(MerkleTree.root(ids), ids);
      if (previous != null) {
        assertThat(ids).as("two lists with root %s (seed %d)", MerkleTree.root(ids), SEED).isEqualTo(previous);
      }
    }
    assertThat(seen.size()).as("distinct lists generated").isGreaterThan(5_000);
  }
}
