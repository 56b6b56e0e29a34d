package org.meshledger.impl.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.math.ec.rfc7748.X25519Field;
import org.junit.jupiter.api.Test;

class Ed25519BatchTest {
  private final BouncyCastleEd25519 bc = new BouncyCastleEd25519();

  private record Batch(byte[][] keys, byte[][] messages, byte[][] signatures) {}

  private Batch batch(long seed, int n, int senders) {
    return batch(seed, n, senders, false, 200);
  }

  /** {@code n} valid signatures by keys of {@code senders} seeds, in turn or at random, of messages of 1 to {@code maxMessage} bytes. */
  private Batch batch(long seed, int n, int senders, boolean inTurn, int maxMessage) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[][] seeds = new byte[senders][32];
    byte[][] pubs = new byte[senders][];
    for (int i = 0; i < senders; i++) {
      random.nextBytes(seeds[i]);
      pubs[i] = bc.publicKey(seeds[i]);
    }
    byte[][] keys = new byte[n][];
    byte[][] messages = new byte[n][];
    byte[][] sigs = new byte[n][];
    for (int i = 0; i < n; i++) {
      int s = inTurn ? i % senders : random.nextInt(senders);
      messages[i] = new byte[1 + random.nextInt(maxMessage)];
      random.nextBytes(messages[i]);
      keys[i] = pubs[s];
      sigs[i] = bc.sign(seeds[s], messages[i]);
    }
    return new Batch(keys, messages, sigs);
  }

  @Test
  void validBatchesPass() {
    for (int n : new int[] {1, 2, 3, 15, 16, 64, 100, 200, 700}) {
      Batch b = batch(n, n, Math.max(1, n / 3));
      assertThat(Ed25519Batch.verify(b.keys, b.messages, b.signatures, n, new Ed25519Batch.KeyCache())).as("n=%d", n).isTrue();
    }
  }

  @Test
  void theProviderRefusesMalformedBatchesAndAgreesWithSingleVerification() {
    Batch b = batch(3, 12, 5);
    assertThat(bc.verifyAll(b.keys, b.messages, b.signatures)).isTrue();
    assertThat(bc.verifyAll(b.keys, b.messages, java.util.Arrays.copyOf(b.signatures, 11))).as("lengths differ").isFalse();
    byte[][] shortKey = b.keys.clone();
    shortKey[5] = java.util.Arrays.copyOf(shortKey[5], 31);
    assertThat(bc.verifyAll(shortKey, b.messages, b.signatures)).as("a 31-byte key").isFalse();
    byte[][] notAPoint = b.keys.clone();
    notAPoint[2] = new byte[32];
    notAPoint[2][0] = 2; // y = 2 is not on the curve
    assertThat(Ed25519Batch.decode(notAPoint[2], new Ed25519Batch.Precomp())).isFalse();
    assertThat(BouncyCastleEd25519.verifyUncached(notAPoint[2], b.messages[2], b.signatures[2])).isFalse();
    assertThat(bc.verifyAll(notAPoint, b.messages, b.signatures)).as("a key that is not a point").isFalse();
    byte[][] highS = b.signatures.clone();
    highS[7] = highS[7].clone();
    byte[] l = Ed25519Batch.L.toByteArray(); // big-endian; S = L is not canonical
    for (int i = 0; i < 32; i++) {
      highS[7][32 + i] = i < l.length ? l[l.length - 1 - i] : 0;
    }
    assertThat(bc.verifyAll(b.keys, b.messages, highS)).as("S not below the order").isFalse();
    Batch small = batch(4, BouncyCastleEd25519.MIN_BATCH - 1, 2);
    assertThat(bc.verifyAll(small.keys, small.messages, small.signatures)).as("below the batch size, one by one").isTrue();
    small.messages[1][0] ^= 1;
    assertThat(bc.verifyAll(small.keys, small.messages, small.signatures)).isFalse();
  }

  @Test
  void anyAlteredSignatureFailsTheBatch() {
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 40; round++) {
      int n = 1 + random.nextInt(120);
      Batch b = batch(100 + round, n, 1 + random.nextInt(n));
      int i = random.nextInt(n);
      switch (round % 3) {
        case 0 -> b.messages[i][random.nextInt(b.messages[i].length)] ^= 1;
        case 1 -> b.signatures[i][random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
        default -> b.keys[i] = b.keys[(i + 1) % n] == b.keys[i] ? bc.publicKey(new byte[32]) : b.keys[(i + 1) % n];
      }
      boolean single = true;
      for (int k = 0; k < n; k++) {
        single &= BouncyCastleEd25519.verifyUncached(b.keys[k], b.messages[k], b.signatures[k]);
      }
      assertThat(Ed25519Batch.verify(b.keys, b.messages, b.signatures, n, new Ed25519Batch.KeyCache())).as("round %d", round).isEqualTo(single);
    }
  }

  // ---- adversarial tests (review of Ed25519Batch) ----
  //
  // Ref is a deliberately naive affine implementation of edwards25519 on BigInteger, independent of the code under
  // test: it is the oracle for decoding and for the multi-scalar multiplication.

  /** Affine edwards25519 (a = -1) on BigInteger: slow and simple. */
  private static final class Ref {
    static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    static final BigInteger D =
        BigInteger.valueOf(-121665).mod(P).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
    static final BigInteger SQRT_M1 = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);

    record Pt(BigInteger x, BigInteger y) {}

    static final Pt IDENTITY = new Pt(BigInteger.ZERO, BigInteger.ONE);
    static final Pt B;

    static {
      byte[] b = new byte[32];
      Arrays.fill(b, (byte) 0x66);
      b[0] = 0x58;
      B = decode(b);
    }

    static Pt add(Pt a, Pt b) {
      BigInteger t = D.multiply(a.x).multiply(b.x).multiply(a.y).multiply(b.y).mod(P);
      BigInteger x = a.x.multiply(b.y).add(a.y.multiply(b.x)).multiply(BigInteger.ONE.add(t).modInverse(P)).mod(P);
      BigInteger y =
          a.y.multiply(b.y).add(a.x.multiply(b.x)).multiply(BigInteger.ONE.subtract(t).mod(P).modInverse(P)).mod(P);
      return new Pt(x, y);
    }

    static Pt neg(Pt a) {
      return new Pt(a.x.negate().mod(P), a.y);
    }

    static Pt mul(BigInteger k, Pt a) {
      if (k.signum() < 0) {
        return mul(k.negate(), neg(a));
      }
      Pt r = IDENTITY;
      for (int i = k.bitLength() - 1; i >= 0; i--) {
        r = add(r, r);
        if (k.testBit(i)) {
          r = add(r, a);
        }
      }
      return r;
    }

    /** RFC 8032 5.1.3, strict: y below p, x = 0 with the sign bit set refused; null if not a point. */
    static Pt decode(byte[] e) {
      byte[] c = e.clone();
      int sign = (c[31] & 0x80) >>> 7;
      c[31] &= 0x7f;
      BigInteger y = le(c, 0, 32);
      if (y.compareTo(P) >= 0) {
        return null;
      }
      BigInteger yy = y.multiply(y).mod(P);
      BigInteger u = yy.subtract(BigInteger.ONE).mod(P);
      BigInteger v = D.multiply(yy).add(BigInteger.ONE).mod(P);
      BigInteger x2 = u.multiply(v.modInverse(P)).mod(P);
      BigInteger x = x2.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
      if (!x.multiply(x).mod(P).equals(x2)) {
        x = x.multiply(SQRT_M1).mod(P);
        if (!x.multiply(x).mod(P).equals(x2)) {
          return null;
        }
      }
      if (x.signum() == 0 && sign == 1) {
        return null;
      }
      if (x.testBit(0) != (sign == 1)) {
        x = P.subtract(x);
      }
      return new Pt(x, y);
    }

    static byte[] encode(Pt a) {
      byte[] e = le32(a.y);
      if (a.x.testBit(0)) {
        e[31] |= (byte) 0x80;
      }
      return e;
    }

    /** A point of order 8 (its multiples are the 8 points of order dividing 8). */
    static Pt order8() {
      for (int y = 2; ; y++) {
        Pt p = decode(le32(BigInteger.valueOf(y)));
        if (p == null) {
          continue;
        }
        Pt t = mul(Ed25519Batch.L, p);
        if (!mul(BigInteger.valueOf(4), t).equals(IDENTITY)) {
          return t;
        }
      }
    }
  }

  private static BigInteger le(byte[] b, int off, int len) {
    byte[] be = new byte[len];
    for (int i = 0; i < len; i++) {
      be[i] = b[off + len - 1 - i];
    }
    return new BigInteger(1, be);
  }

  private static byte[] le32(BigInteger v) {
    byte[] out = new byte[32];
    for (int i = 0; i < 32; i++) {
      out[i] = v.shiftRight(8 * i).byteValue();
    }
    return out;
  }

  private static byte[] sha512(byte[]... parts) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-512");
      for (byte[] p : parts) {
        d.update(p);
      }
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BigInteger randomScalar(SplittableRandom random, int bits) {
    byte[] b = new byte[(bits + 7) / 8];
    random.nextBytes(b);
    return new BigInteger(1, b).mod(BigInteger.ONE.shiftLeft(bits));
  }

  /** A secret scalar and its public key (computed with Ref; checked against Bouncy Castle's). */
  private record Signer(BigInteger a, Ref.Pt point, byte[] pub) {
    /** The same secret, its public key moved by a point t (a small-order t gives a mixed-order key). */
    Signer plus(Ref.Pt t) {
      Ref.Pt q = Ref.add(point, t);
      return new Signer(a, q, Ref.encode(q));
    }
  }

  private Signer signer(byte[] seed) {
    byte[] h = sha512(seed);
    h[0] &= (byte) 248;
    h[31] &= 127;
    h[31] |= 64;
    BigInteger a = le(h, 0, 32);
    Ref.Pt point = Ref.mul(a, Ref.B);
    Signer s = new Signer(a, point, Ref.encode(point));
    assertThat(s.pub).as("Ref's key equals Bouncy Castle's").isEqualTo(bc.publicKey(seed));
    return s;
  }

  /** A signature with a chosen R encoding: S = r + k a mod L, k = SHA-512(R || A || M) mod L. */
  private static byte[] craft(byte[] rEnc, BigInteger r, BigInteger a, byte[] pub, byte[] msg) {
    BigInteger k = le(sha512(rEnc, pub, msg), 0, 64).mod(Ed25519Batch.L);
    BigInteger s = r.add(k.multiply(a)).mod(Ed25519Batch.L);
    byte[] sig = new byte[64];
    System.arraycopy(rEnc, 0, sig, 0, 32);
    System.arraycopy(le32(s), 0, sig, 32, 32);
    return sig;
  }

  private static boolean batch(List<byte[]> keys, List<byte[]> msgs, List<byte[]> sigs) {
    return Ed25519Batch.verify(keys.toArray(new byte[0][]), msgs.toArray(new byte[0][]), sigs.toArray(new byte[0][]),
        keys.size(), new Ed25519Batch.KeyCache());
  }

  /** The batch verdict on {@code good} with one more signature inserted at {@code at}. */
  private static boolean batchWith(Batch good, int at, byte[] key, byte[] msg, byte[] sig) {
    List<byte[]> keys = new ArrayList<>(Arrays.asList(good.keys));
    List<byte[]> msgs = new ArrayList<>(Arrays.asList(good.messages));
    List<byte[]> sigs = new ArrayList<>(Arrays.asList(good.signatures));
    keys.add(at, key);
    msgs.add(at, msg);
    sigs.add(at, sig);
    return batch(keys, msgs, sigs);
  }

  private static boolean allSingle(List<byte[]> keys, List<byte[]> msgs, List<byte[]> sigs) {
    for (int i = 0; i < keys.size(); i++) {
      if (!BouncyCastleEd25519.verifyUncached(keys.get(i), msgs.get(i), sigs.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** The affine (x, y) of multiScalar's result (a private class: read by reflection). */
  private static Ref.Pt affine(Object accum) throws ReflectiveOperationException {
    BigInteger[] c = new BigInteger[3];
    String[] names = {"x", "y", "z"};
    for (int i = 0; i < 3; i++) {
      Field f = accum.getClass().getDeclaredField(names[i]);
      f.setAccessible(true);
      int[] v = ((int[]) f.get(accum)).clone();
      X25519Field.normalize(v);
      byte[] e = new byte[32];
      X25519Field.encode(v, e);
      c[i] = le(e, 0, 32);
    }
    BigInteger zi = c[2].modInverse(Ref.P);
    return new Ref.Pt(c[0].multiply(zi).mod(Ref.P), c[1].multiply(zi).mod(Ref.P));
  }

  private static Ed25519Batch.Precomp precomp(Ref.Pt p) {
    Ed25519Batch.Precomp r = new Ed25519Batch.Precomp();
    assertThat(Ed25519Batch.decode(Ref.encode(p), r)).isTrue();
    return r;
  }

  private static BigInteger fe(int[] f) {
    int[] v = f.clone();
    X25519Field.normalize(v);
    byte[] e = new byte[32];
    X25519Field.encode(v, e);
    return le(e, 0, 32);
  }

  /** Scalars that stress the signed digits: carries through every window, the top bits, zero. */
  private static List<BigInteger> edgeScalars(SplittableRandom random) {
    List<BigInteger> out = new ArrayList<>();
    BigInteger top = BigInteger.ONE.shiftLeft(253);
    out.add(BigInteger.ZERO);
    out.add(BigInteger.ONE);
    out.add(BigInteger.TWO);
    out.add(top.subtract(BigInteger.ONE)); // all 253 bits set: a carry out of every window
    out.add(Ed25519Batch.L.subtract(BigInteger.ONE));
    out.add(Ed25519Batch.L.shiftRight(1));
    out.add(BigInteger.ONE.shiftLeft(252));
    out.add(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE));
    out.add(BigInteger.ONE.shiftLeft(127));
    for (int w = 3; w <= 9; w++) {
      // every digit exactly 2^(w-1) (becomes -2^(w-1) with a carry), and 2^(w-1) - 1 (no carry), up to bit 252
      BigInteger half = BigInteger.ZERO;
      BigInteger belowHalf = BigInteger.ZERO;
      BigInteger allOnes = BigInteger.ZERO;
      for (int j = 0; j * w < 253; j++) {
        half = half.add(BigInteger.ONE.shiftLeft(w - 1).shiftLeft(w * j));
        belowHalf = belowHalf.add(BigInteger.ONE.shiftLeft(w - 1).subtract(BigInteger.ONE).shiftLeft(w * j));
        allOnes = allOnes.add(BigInteger.ONE.shiftLeft(w).subtract(BigInteger.ONE).shiftLeft(w * j));
      }
      out.add(half.mod(top));
      out.add(belowHalf.mod(top));
      out.add(allOnes.mod(top));
    }
    for (int i = 0; i < 20; i++) {
      out.add(randomScalar(random, 253).setBit(252));
    }
    return out;
  }

  @Test
  void signedDigitsReconstructTheScalarExactlyForEveryWindowWidth() {
    SplittableRandom random = new SplittableRandom(11);
    List<BigInteger> scalars = edgeScalars(random);
    for (int i = 0; i < 2000; i++) {
      scalars.add(randomScalar(random, 1 + random.nextInt(253)));
    }
    for (int w = 3; w <= 9; w++) {
      int windows = (253 + w - 1) / w + 1; // as multiScalar
      int half = 1 << (w - 1);
      for (BigInteger s : scalars) {
        short[] d = Ed25519Batch.signedDigits(s, w, windows);
        assertThat(d).hasSize(windows);
        BigInteger sum = BigInteger.ZERO;
        for (int j = windows - 1; j >= 0; j--) {
          assertThat((int) d[j]).as("w=%d s=%s j=%d", w, s.toString(16), j).isBetween(-half, half - 1);
          sum = sum.shiftLeft(w).add(BigInteger.valueOf(d[j]));
        }
        assertThat(sum).as("w=%d s=%s", w, s.toString(16)).isEqualTo(s);
      }
    }
  }

  @Test
  void multiScalarMatchesAReferenceAroundEveryWindowThreshold() throws ReflectiveOperationException {
    SplittableRandom random = new SplittableRandom(12);
    BigInteger l = Ed25519Batch.L;
    for (int count : new int[] {1, 2, 3, 15, 16, 17, 63, 64, 65, 191, 192, 639, 640, 2047, 2048}) {
      // Points [e_i]B with e_i = c + i step: the result must be [sum +-s_i e_i mod L]B.
      BigInteger c = randomScalar(random, 252);
      BigInteger step = randomScalar(random, 252);
      Ref.Pt stepPoint = Ref.mul(step, Ref.B);
      Ref.Pt current = Ref.mul(c, Ref.B);
      Ed25519Batch.Precomp[] points = new Ed25519Batch.Precomp[count];
      BigInteger[] scalars = new BigInteger[count];
      boolean[] negated = new boolean[count];
      List<BigInteger> edges = edgeScalars(random);
      BigInteger expected = BigInteger.ZERO;
      for (int i = 0; i < count; i++) {
        BigInteger e = c.add(step.multiply(BigInteger.valueOf(i))).mod(l);
        points[i] = precomp(current);
        current = Ref.add(current, stepPoint);
        scalars[i] = switch (random.nextInt(4)) {
          case 0 -> edges.get(random.nextInt(edges.size()));
          case 1 -> randomScalar(random, 128);
          default -> randomScalar(random, 253);
        };
        negated[i] = random.nextBoolean();
        BigInteger term = scalars[i].multiply(e);
        expected = negated[i] ? expected.subtract(term) : expected.add(term);
      }
      Ref.Pt want = Ref.mul(expected.mod(l), Ref.B);
      Object got = Ed25519Batch.multiScalar(points, scalars, negated, count);
      assertThat(affine(got)).as("count=%d", count).isEqualTo(want);
    }
  }

  @Test
  void multiScalarMatchesAnExactReferenceOnMixedAndSmallOrderPoints() throws ReflectiveOperationException {
    SplittableRandom random = new SplittableRandom(13);
    Ref.Pt t8 = Ref.order8();
    List<Ref.Pt> pool = new ArrayList<>();
    for (int k = 0; k < 8; k++) {
      pool.add(Ref.mul(BigInteger.valueOf(k), t8)); // the identity and the small-order points
    }
    for (int i = 0; i < 8; i++) {
      Ref.Pt p = Ref.mul(randomScalar(random, 252), Ref.B);
      pool.add(p);
      pool.add(Ref.neg(p));
      pool.add(Ref.add(p, Ref.mul(BigInteger.valueOf(1 + random.nextInt(7)), t8))); // mixed order
    }
    List<BigInteger> edges = edgeScalars(random);
    for (int round = 0; round < 12; round++) {
      int count = 1 + random.nextInt(round < 6 ? 15 : 20); // windows 3 and 4
      Ed25519Batch.Precomp[] points = new Ed25519Batch.Precomp[count];
      BigInteger[] scalars = new BigInteger[count];
      boolean[] negated = new boolean[count];
      Ref.Pt want = Ref.IDENTITY;
      for (int i = 0; i < count; i++) {
        Ref.Pt p = pool.get(random.nextInt(pool.size()));
        points[i] = precomp(p);
        scalars[i] = random.nextBoolean() ? edges.get(random.nextInt(edges.size())) : randomScalar(random, 253);
        negated[i] = random.nextBoolean();
        Ref.Pt term = Ref.mul(scalars[i], p);
        want = Ref.add(want, negated[i] ? Ref.neg(term) : term);
      }
      Object got = Ed25519Batch.multiScalar(points, scalars, negated, count);
      assertThat(affine(got)).as("round %d count %d", round, count).isEqualTo(want);
    }
  }

  @Test
  void decodeAgreesWithAReferenceAndRefusesEveryNonCanonicalEncoding() {
    SplittableRandom random = new SplittableRandom(14);
    BigInteger half = BigInteger.TWO.modInverse(Ref.P);
    int valid = 0;
    for (int i = 0; i < 1500; i++) {
      byte[] e = new byte[32];
      random.nextBytes(e);
      Ref.Pt want = Ref.decode(e);
      Ed25519Batch.Precomp got = new Ed25519Batch.Precomp();
      assertThat(Ed25519Batch.decode(e, got)).as("encoding %d", i).isEqualTo(want != null);
      if (want != null) {
        valid++;
        assertThat(fe(got.ypxH)).isEqualTo(want.y.add(want.x).multiply(half).mod(Ref.P));
        assertThat(fe(got.ymxH)).isEqualTo(want.y.subtract(want.x).multiply(half).mod(Ref.P));
        assertThat(fe(got.xyd)).isEqualTo(want.x.multiply(want.y).multiply(Ref.D).mod(Ref.P));
      }
    }
    assertThat(valid).isGreaterThan(500);
    // Every y in [p, 2^255), with either sign bit: not canonical, refused (some are points once reduced, e.g. p + 1).
    for (int y0 = 0; y0 < 19; y0++) {
      for (int sign = 0; sign < 2; sign++) {
        byte[] e = le32(Ref.P.add(BigInteger.valueOf(y0)));
        e[31] |= (byte) (sign << 7);
        assertThat(Ed25519Batch.decode(e, new Ed25519Batch.Precomp())).as("y = p + %d, sign %d", y0, sign).isFalse();
      }
    }
    // x = 0 with the sign bit set: y = 1 (the identity) and y = p - 1 (order 2); without it, both decode.
    for (BigInteger y : new BigInteger[] {BigInteger.ONE, Ref.P.subtract(BigInteger.ONE)}) {
      byte[] e = le32(y);
      assertThat(Ed25519Batch.decode(e, new Ed25519Batch.Precomp())).isTrue();
      e[31] |= (byte) 0x80;
      assertThat(Ed25519Batch.decode(e, new Ed25519Batch.Precomp())).isFalse();
    }
    // y = 0 (order 4, x = +-sqrt(-1)) decodes with both signs.
    byte[] zero = new byte[32];
    assertThat(Ed25519Batch.decode(zero, new Ed25519Batch.Precomp())).isTrue();
    zero[31] = (byte) 0x80;
    assertThat(Ed25519Batch.decode(zero, new Ed25519Batch.Precomp())).isTrue();
  }

  @Test
  void validBatchesPassAroundEveryWindowThreshold() {
    // Senders assigned round-robin, so a prefix of n >= senders signatures has exactly `senders` distinct keys
    // and n + senders + 1 points.
    record Pool(int senders, Batch batch) {}
    Pool small = new Pool(4, roundRobin(21, 70, 4));
    Pool large = new Pool(64, roundRobin(22, 6080, 64));
    int[][] thresholds = {{16, 0}, {64, 0}, {192, 1}, {640, 1}, {2048, 1}, {6144, 1}};
    for (int[] t : thresholds) {
      Pool pool = t[1] == 0 ? small : large;
      int from = t[0] == 6144 ? -1 : -2;
      int to = t[0] == 6144 ? 0 : 2;
      assertThat(Ed25519Batch.window(t[0] - 1)).isLessThan(Ed25519Batch.window(t[0]));
      for (int delta = from; delta <= to; delta++) {
        int points = t[0] + delta;
        int n = points - pool.senders - 1;
        Batch b = pool.batch;
        assertThat(Ed25519Batch.verify(b.keys, b.messages, b.signatures, n, new Ed25519Batch.KeyCache()))
            .as("points=%d n=%d", points, n).isTrue();
      }
    }
    // One altered signature in a batch on each side of the largest thresholds.
    for (int points : new int[] {2047, 2048}) {
      int n = points - 64 - 1;
      Batch b = large.batch;
      byte[][] sigs = Arrays.copyOf(b.signatures, n);
      sigs[n / 2] = sigs[n / 2].clone();
      sigs[n / 2][40] ^= 4;
      assertThat(Ed25519Batch.verify(b.keys, b.messages, sigs, n, new Ed25519Batch.KeyCache())).as("points=%d", points)
          .isFalse();
    }
    // Random sizes and sender counts.
    SplittableRandom random = new SplittableRandom(23);
    for (int round = 0; round < 12; round++) {
      int n = 4 + random.nextInt(700);
      int senders = 1 + random.nextInt(Math.min(n, 200));
      Batch b = batch(200 + round, n, senders);
      assertThat(Ed25519Batch.verify(b.keys, b.messages, b.signatures, n, new Ed25519Batch.KeyCache()))
          .as("n=%d senders=%d", n, senders).isTrue();
    }
  }

  /** Like {@link #batch}, the keys taken in turn and messages of at most 40 bytes. */
  private Batch roundRobin(long seed, int n, int senders) {
    return batch(seed, n, senders, true, 40);
  }

  @Test
  void oneKeyForAllSignaturesAndRepeatedSignaturesPass() {
    for (int n : new int[] {4, 15, 62, 300, 1200}) {
      Batch b = batch(300 + n, n, 1);
      assertThat(Ed25519Batch.verify(b.keys, b.messages, b.signatures, n, new Ed25519Batch.KeyCache())).as("n=%d", n)
          .isTrue();
    }
    // The same signature many times (equal R points in one bucket: an addition of a point to itself).
    Batch b = batch(31, 3, 3);
    int n = 40;
    byte[][] keys = new byte[n][];
    byte[][] msgs = new byte[n][];
    byte[][] sigs = new byte[n][];
    for (int i = 0; i < n; i++) {
      int j = i < 37 ? 0 : i - 37;
      keys[i] = b.keys[j];
      msgs[i] = b.messages[j];
      sigs[i] = b.signatures[j];
    }
    assertThat(Ed25519Batch.verify(keys, msgs, sigs, n, new Ed25519Batch.KeyCache())).isTrue();
    msgs[20] = msgs[20].clone();
    msgs[20][0] ^= 1;
    assertThat(Ed25519Batch.verify(keys, msgs, sigs, n, new Ed25519Batch.KeyCache())).isFalse();
  }

  @Test
  void nonCanonicalRAndNegativeZeroRAreRefusedLikeSingleVerification() {
    SplittableRandom random = new SplittableRandom(15);
    Signer s = signer(Arrays.copyOf(new byte[] {1, 2, 3}, 32));
    byte[] msg = {42};
    List<byte[]> badRs = new ArrayList<>();
    for (int y0 : new int[] {0, 1}) { // y = p + 1 is the identity, y = p + 0 an order-4 point: both y >= p
      byte[] e = le32(Ref.P.add(BigInteger.valueOf(y0)));
      badRs.add(e);
      byte[] signed = e.clone();
      signed[31] |= (byte) 0x80;
      badRs.add(signed);
    }
    for (BigInteger y : new BigInteger[] {BigInteger.ONE, Ref.P.subtract(BigInteger.ONE)}) {
      byte[] e = le32(y); // x = 0 with the sign bit set
      e[31] |= (byte) 0x80;
      badRs.add(e);
    }
    for (byte[] rEnc : badRs) {
      // S = r + k a with r the discrete log of what a lenient decoder would read (identity: 0; others: not
      // known, so the equation's torsion is there anyway and [8] would clear it): a lenient batch would accept.
      byte[] sig = craft(rEnc, BigInteger.ZERO, s.a, s.pub, msg);
      assertThat(BouncyCastleEd25519.verifyUncached(s.pub, msg, sig)).isFalse();
      Batch good = batch(random.nextLong(), 6, 3);
      assertThat(batchWith(good, 3, s.pub, msg, sig)).as("R %s", new BigInteger(1, rEnc).toString(16)).isFalse();
    }
    // The canonical identity as R (S = k a) is accepted by single verification, and so by the batch.
    byte[] sig = craft(le32(BigInteger.ONE), BigInteger.ZERO, s.a, s.pub, msg);
    assertThat(BouncyCastleEd25519.verifyUncached(s.pub, msg, sig)).isTrue();
    Batch good = batch(16, 6, 3);
    assertThat(batchWith(good, good.keys.length, s.pub, msg, sig)).isTrue();
    // Non-canonical keys: y >= p, and x = 0 with the sign bit set.
    for (byte[] bad : new byte[][] {le32(Ref.P.add(BigInteger.ONE)), badRs.get(4)}) {
      assertThat(new Ed25519Batch.KeyCache().get(bad)).isNull();
      byte[][] k2 = good.keys.clone();
      k2[2] = bad;
      assertThat(batchWith(new Batch(k2, good.messages, good.signatures), good.keys.length, s.pub, msg, sig)).isFalse();
    }
  }

  @Test
  void mixedOrderRAndKeysThatSingleVerificationAcceptsPassTheBatch() {
    SplittableRandom random = new SplittableRandom(16);
    Ref.Pt t8 = Ref.order8();
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    Signer s = signer(seed);
    for (int k = 1; k < 8; k++) {
      Ref.Pt torsion = Ref.mul(BigInteger.valueOf(k), t8);
      List<byte[]> keys = new ArrayList<>();
      List<byte[]> msgs = new ArrayList<>();
      List<byte[]> sigs = new ArrayList<>();
      Signer mixed = s.plus(torsion);
      for (int i = 0; i < 10; i++) {
        byte[] msg = new byte[1 + random.nextInt(50)];
        random.nextBytes(msg);
        BigInteger r = randomScalar(random, 252);
        Ref.Pt rPoint = Ref.mul(r, Ref.B);
        byte[] sig;
        Signer who;
        switch (i % 3) {
          case 0 -> { // R of mixed order
            who = s;
            sig = craft(Ref.encode(Ref.add(rPoint, torsion)), r, s.a, s.pub, msg);
          }
          case 1 -> { // key of mixed order (many signatures: its merged scalar wraps mod L)
            who = mixed;
            sig = craft(Ref.encode(rPoint), r, mixed.a, mixed.pub, msg);
          }
          default -> { // both
            who = mixed;
            sig = craft(Ref.encode(Ref.add(rPoint, Ref.neg(torsion))), r, mixed.a, mixed.pub, msg);
          }
        }
        keys.add(who.pub);
        msgs.add(msg);
        sigs.add(sig);
      }
      boolean single = allSingle(keys, msgs, sigs);
      boolean batched = batch(keys, msgs, sigs);
      // Bouncy Castle's single verification is cofactored ([8] at the end of its Straus loop): it accepts these.
      assertThat(single).as("torsion %d: single", k).isTrue();
      assertThat(batched).as("torsion %d: batch must accept what single verification accepts", k).isTrue();
      // ... and an honest error in one of them still fails the batch.
      msgs.set(4, new byte[] {7});
      assertThat(batch(keys, msgs, sigs)).as("torsion %d, altered", k).isFalse();
    }
  }

  @Test
  void smallOrderKeysAreRefusedBySingleVerificationAndByTheBatch() {
    SplittableRandom random = new SplittableRandom(17);
    Ref.Pt t8 = Ref.order8();
    for (int k = 0; k < 8; k++) {
      Ref.Pt key = Ref.mul(BigInteger.valueOf(k), t8); // k = 0: the identity
      Signer forger = new Signer(BigInteger.ZERO, key, Ref.encode(key));
      byte[] msg = {(byte) k, 1, 2};
      BigInteger r = randomScalar(random, 252);
      byte[] sig = craft(Ref.encode(Ref.mul(r, Ref.B)), r, BigInteger.ZERO, forger.pub, msg); // S = r: any message
      assertThat(BouncyCastleEd25519.verifyUncached(forger.pub, msg, sig)).as("order-%d key, single", k).isFalse();
      Batch good = batch(40 + k, 5, 2);
      // A cofactored check alone would accept this forgery for a small-order key; the batch refuses the key, as
      // single verification does.
      assertThat(batchWith(good, good.keys.length, forger.pub, msg, sig)).as("order-%d key, batch", k).isFalse();
    }
  }

  @Test
  void compensatingChangesAcrossSignaturesFailTheBatch() {
    BigInteger l = Ed25519Batch.L;
    for (int round = 0; round < 10; round++) {
      Batch b = batch(500 + round, 8, round % 2 == 0 ? 1 : 8);
      // S_1 + delta and S_2 - delta: the sum of the S is unchanged (it passes if every z_i is equal).
      BigInteger delta = BigInteger.valueOf(round + 1);
      byte[][] sigs = b.signatures.clone();
      for (int j = 0; j < 2; j++) {
        sigs[j] = sigs[j].clone();
        BigInteger sj = le(sigs[j], 32, 32);
        sj = (j == 0 ? sj.add(delta) : sj.subtract(delta)).mod(l);
        System.arraycopy(le32(sj), 0, sigs[j], 32, 32);
      }
      assertThat(Ed25519Batch.verify(b.keys, b.messages, sigs, 8, new Ed25519Batch.KeyCache())).as("round %d", round)
          .isFalse();
      // Two signatures' R swapped (same sum of R over the batch).
      byte[][] swapped = b.signatures.clone();
      swapped[2] = swapped[2].clone();
      swapped[3] = swapped[3].clone();
      byte[] r2 = Arrays.copyOf(swapped[2], 32);
      System.arraycopy(swapped[3], 0, swapped[2], 0, 32);
      System.arraycopy(r2, 0, swapped[3], 0, 32);
      assertThat(Ed25519Batch.verify(b.keys, b.messages, swapped, 8, new Ed25519Batch.KeyCache())).isFalse();
    }
  }

  @Test
  void randomMixesGetTheVerdictSingleVerificationImplies() {
    // Entries: valid; mixed-order R or key (single accepts); small-order-key forgery (single refuses, and so must
    // the batch); altered message (single refuses, the batch must refuse). The batch must pass exactly when single
    // verification passes every entry.
    SplittableRandom random = new SplittableRandom(18);
    Ref.Pt t8 = Ref.order8();
    Signer[] signers = new Signer[4];
    for (int i = 0; i < signers.length; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      signers[i] = signer(seed);
    }
    for (int round = 0; round < 16; round++) {
      int n = 4 + random.nextInt(round < 8 ? 12 : 70);
      List<byte[]> keys = new ArrayList<>();
      List<byte[]> msgs = new ArrayList<>();
      List<byte[]> sigs = new ArrayList<>();
      boolean altered = false;
      boolean forged = false;
      for (int i = 0; i < n; i++) {
        Signer s = signers[random.nextInt(signers.length)];
        byte[] msg = new byte[1 + random.nextInt(30)];
        random.nextBytes(msg);
        BigInteger r = randomScalar(random, 252);
        Ref.Pt rPoint = Ref.mul(r, Ref.B);
        Ref.Pt torsion = Ref.mul(BigInteger.valueOf(random.nextInt(8)), t8);
        int kind = random.nextInt(20);
        if (kind == 0) {
          s = new Signer(BigInteger.ZERO, torsion, Ref.encode(torsion));
          forged = true;
        } else if (kind == 1) {
          s = s.plus(torsion);
        } else if (kind == 2) {
          rPoint = Ref.add(rPoint, torsion);
        }
        byte[] sig = craft(Ref.encode(rPoint), r, s.a, s.pub, msg);
        if (kind == 3 && round % 2 == 0) {
          msg = msg.clone();
          msg[0] ^= 1;
          altered = true;
        }
        keys.add(s.pub);
        msgs.add(msg);
        sigs.add(sig);
      }
      boolean single = allSingle(keys, msgs, sigs);
      assertThat(single).as("round %d single", round).isEqualTo(!altered && !forged);
      assertThat(batch(keys, msgs, sigs)).as("round %d n %d", round, n).isEqualTo(single);
    }
  }

  @Test
  void aSharedKeyCacheUnderConcurrentCollidingUseGivesTheRightVerdicts() throws Exception {
    // Keys whose cache slots collide (slot = low 12 bits of the first bytes), used from two threads at once.
    SplittableRandom random = new SplittableRandom(19);
    Map<Integer, List<byte[]>> bySlot = new HashMap<>();
    List<byte[]> chosen = new ArrayList<>();
    while (chosen.size() < 8) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      byte[] pub = bc.publicKey(seed);
      int slot = (pub[0] & 0xff | (pub[1] & 0xff) << 8) & 4095;
      List<byte[]> group = bySlot.computeIfAbsent(slot, x -> new ArrayList<>());
      group.add(seed);
      if (group.size() == 2) {
        chosen.addAll(group);
      }
    }
    int n = chosen.size();
    byte[][] keys = new byte[n][];
    byte[][] msgs = new byte[n][];
    byte[][] sigs = new byte[n][];
    for (int i = 0; i < n; i++) {
      keys[i] = bc.publicKey(chosen.get(i));
      msgs[i] = new byte[] {(byte) i};
      sigs[i] = bc.sign(chosen.get(i), msgs[i]);
    }
    byte[][] bad = msgs.clone();
    bad[5] = new byte[] {99};
    Ed25519Batch.KeyCache cache = new Ed25519Batch.KeyCache();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int thread = 0; thread < 2; thread++) {
        int first = thread;
        results.add(pool.submit(() -> {
          int wrong = 0;
          for (int i = 0; i < 150; i++) {
            // rotate so that the two threads fill the colliding slots in different orders
            int shift = (i + first) % n;
            byte[][] k = new byte[n][];
            byte[][] m = new byte[n][];
            byte[][] s = new byte[n][];
            boolean altered = i % 5 == 0;
            for (int j = 0; j < n; j++) {
              int from = (j + shift) % n;
              k[j] = keys[from];
              m[j] = altered ? bad[from] : msgs[from];
              s[j] = sigs[from];
            }
            if (Ed25519Batch.verify(k, m, s, n, cache) == altered) {
              wrong++;
            }
          }
          return wrong;
        }));
      }
      for (Future<Integer> f : results) {
        assertThat(f.get()).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
