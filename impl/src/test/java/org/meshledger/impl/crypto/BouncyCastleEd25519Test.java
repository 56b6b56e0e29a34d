package org.meshledger.impl.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The table of decoded keys changes no answer: verification through it accepts exactly what Bouncy Castle's
 * verification with the key's bytes accepts, for valid signatures, every kind of bad key and signature, and keys
 * that share a slot.
 */
class BouncyCastleEd25519Test {
  private static final long SEED = Long.getLong("seed", 20261206L);
  private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

  private final BouncyCastleEd25519 provider = new BouncyCastleEd25519();

  @Test
  void validSignaturesVerifyTheFirstTimeAndFromTheTable() {
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < 50; i++) {
      byte[] seed = bytes(random, 32);
      byte[] pk = provider.publicKey(seed);
      byte[] message = bytes(random, random.nextInt(300));
      byte[] sig = provider.sign(seed, message);
      for (int round = 0; round < 3; round++) {
        assertThat(provider.verify(pk, message, sig)).as("seed %d, key %d, round %d", SEED, i, round).isTrue();
      }
      byte[] other = bytes(random, 1 + random.nextInt(50));
      assertThat(provider.verify(pk, other, sig)).as("seed %d, another message", SEED).isFalse();
    }
  }

  @Test
  void agreesWithVerificationFromTheKeysBytesOnBadKeysAndSignatures() {
    SplittableRandom random = new SplittableRandom(SEED);
    byte[] seed = bytes(random, 32);
    byte[] pk = provider.publicKey(seed);
    byte[] message = bytes(random, 100);
    byte[] sig = provider.sign(seed, message);
    List<byte[]> keys = new ArrayList<>(edgeKeys());
    keys.add(pk);
    for (int bit = 0; bit < 256; bit++) {
      keys.add(flip(pk, bit));
    }
    for (int i = 0; i < 200; i++) {
      keys.add(bytes(random, 32)); // about half are not points
    }
    List<byte[]> sigs = new ArrayList<>();
    sigs.add(sig);
    for (int bit = 0; bit < 512; bit += 7) {
      sigs.add(flip(sig, bit));
    }
    byte[] bigS = sig.clone(); // S + L: the same point equation, a non-canonical scalar
    BigInteger s = new BigInteger(1, reverse(Arrays.copyOfRange(sig, 32, 64)));
    BigInteger l = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
    System.arraycopy(reverse(fixed(s.add(l), 32)), 0, bigS, 32, 32);
    sigs.add(bigS);
    for (byte[] key : keys) {
      for (byte[] sg : sigs) {
        boolean expected = BouncyCastleEd25519.verifyUncached(key, message, sg);
        assertThat(provider.verify(key, message, sg)).as("seed %d, key %s", SEED, Arrays.toString(key)).isEqualTo(expected);
        assertThat(provider.verify(key, message, sg)).as("seed %d, again from the table", SEED).isEqualTo(expected);
      }
    }
    assertThat(provider.verify(pk, message, sig)).isTrue();
    assertThat(provider.verify(pk, message, bigS)).isFalse();
  }

  @Test
  void keysThatShareASlotEvictEachOtherWithoutMixingUp() {
    SplittableRandom random = new SplittableRandom(SEED);
    List<byte[]> seeds = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    int slot = -1;
    while (keys.size() < 3) { // keys whose first 12 bits agree land in one slot
      byte[] seed = bytes(random, 32);
      byte[] pk = provider.publicKey(seed);
      int s = (pk[0] & 0xff | (pk[1] & 0x0f) << 8);
      if (slot < 0 || s == slot) {
        slot = s;
        seeds.add(seed);
        keys.add(pk);
      }
    }
    byte[] message = {1, 2, 3};
    for (int round = 0; round < 4; round++) {
      for (int i = 0; i < keys.size(); i++) {
        byte[] sig = provider.sign(seeds.get(i), message);
        assertThat(provider.verify(keys.get(i), message, sig)).isTrue();
        assertThat(provider.verify(keys.get((i + 1) % keys.size()), message, sig)).isFalse();
      }
    }
  }

  /** Identity, small-order, non-canonical and sign-bit edge encodings. */
  private static List<byte[]> edgeKeys() {
    List<byte[]> keys = new ArrayList<>();
    keys.add(new byte[32]); // y = 0
    keys.add(littleEndian(BigInteger.ONE)); // the identity
    byte[] negativeZero = littleEndian(BigInteger.ONE);
    negativeZero[31] |= (byte) 0x80; // x = 0 with its sign bit set
    keys.add(negativeZero);
    keys.add(littleEndian(P.subtract(BigInteger.ONE))); // y = -1: order 2
    keys.add(littleEndian(P)); // y = p: non-canonical 0
    keys.add(littleEndian(P.add(BigInteger.ONE))); // non-canonical 1
    keys.add(littleEndian(BigInteger.TWO.pow(255).subtract(BigInteger.ONE))); // all ones
    // the two y values of the points of order 8 (as in Bouncy Castle's checks)
    keys.add(littleEndian(new BigInteger("2707385501144840649318225287225658788936804267575313519463743609750303402022")));
    keys.add(littleEndian(P.subtract(new BigInteger("2707385501144840649318225287225658788936804267575313519463743609750303402022"))));
    return keys;
  }

  private static byte[] littleEndian(BigInteger v) {
    return reverse(fixed(v, 32));
  }

  private static byte[] fixed(BigInteger v, int n) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[n];
    int len = Math.min(raw.length, n);
    System.arraycopy(raw, raw.length - len, out, n - len, len);
    return out;
  }

  private static byte[] reverse(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }

  private static byte[] flip(byte[] b, int bit) {
    byte[] c = b.clone();
    c[bit / 8] ^= (byte) (1 << (bit % 8));
    return c;
  }

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return b;
  }
}
