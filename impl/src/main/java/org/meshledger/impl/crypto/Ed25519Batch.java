package org.meshledger.impl.crypto;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * Batch verification of Ed25519 signatures (RFC 8032, section 5.1.7, in its cofactored form): all of
 * {@code n} signatures are checked with one multi-scalar multiplication instead of {@code n} separate ones.
 *
 * <p><b>The equation.</b> With independent random 128-bit coefficients {@code z_i}, the batch holds if
 * {@code [8]([sum z_i S_i] B - sum [z_i] R_i - sum [z_i k_i] A_i)} is the neutral element, where
 * {@code k_i = SHA-512(R_i || A_i || M_i) mod L}. Bouncy Castle's single verification is cofactored too (it
 * clears the cofactor at the end of its Straus loop) and refuses keys of small order, as this does; the encodings
 * are decoded by the same rules (canonical y, the sign bit, S below L). So a batch passes exactly when every one
 * of its signatures passes alone, except that a batch holding a bad signature passes with probability about
 * 2^-128: the z_i come from a fresh {@link SecureRandom} seed, unknown to whoever made the signatures.
 * {@code Ed25519BatchTest} checks this against single verification, mixed-order keys and R included.
 *
 * <p><b>The cost.</b> The multi-scalar multiplication is Pippenger's bucket method with signed digits; the
 * terms of one public key are merged, so a key that signs many transactions of a batch costs one point. Each
 * signature still costs the decoding of its R (a square root) and a SHA-512. Field arithmetic is Bouncy Castle's
 * ({@link X25519Field}); the point formulas are those of Hisil, Wong, Carter and Dawson (2008) for twisted
 * Edwards curves with a = -1, in the extensible coordinates Bouncy Castle's verification uses. Variable-time:
 * everything here is public (signatures, messages, keys).
 */
final class Ed25519Batch {
  private Ed25519Batch() {}

  private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
  static final BigInteger L = BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
  private static final int[] D = fieldConstant(BigInteger.valueOf(-121665).mod(P).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P));
  private static final int[] HALF = fieldConstant(BigInteger.TWO.modInverse(P));
  /** The base point, as an affine point in the form the additions take. */
  private static final Precomp BASE;

  static {
    byte[] b = new byte[32];
    Arrays.fill(b, (byte) 0x66);
    b[0] = 0x58;
    Precomp base = new Precomp();
    if (!decode(b, base)) {
      throw new IllegalStateException("base point does not decode");
    }
    BASE = base;
  }

  private static final SecureRandom SEEDS = new SecureRandom();

  private static int[] fieldConstant(BigInteger v) {
    byte[] le = toLittleEndian(v, 32);
    int[] f = X25519Field.create();
    X25519Field.decode255(le, 0, f, 0);
    return f;
  }

  /** An affine point ready to add: (y + x) / 2, (y - x) / 2 and x y d. */
  static final class Precomp {
    final int[] ypxH = X25519Field.create();
    final int[] ymxH = X25519Field.create();
    final int[] xyd = X25519Field.create();
  }

  /** A point in extensible coordinates: (X : Y : Z) with T = U V. */
  private static final class Accum {
    final int[] x = X25519Field.create();
    final int[] y = X25519Field.create();
    final int[] z = X25519Field.create();
    final int[] u = X25519Field.create();
    final int[] v = X25519Field.create();

    void setNeutral() {
      X25519Field.zero(x);
      X25519Field.one(y);
      X25519Field.one(z);
      X25519Field.zero(u);
      X25519Field.one(v);
    }
  }

  /** A projective point ready to add: (Y + X), (Y - X), 2 d T and 2 Z. */
  private static final class PrecompZ {
    final int[] ypx = X25519Field.create();
    final int[] ymx = X25519Field.create();
    final int[] xyd = X25519Field.create();
    final int[] z = X25519Field.create();
  }

  /** Scratch space of one multiplication. */
  private static final class Temp {
    final int[] r0 = X25519Field.create();
    final int[] r1 = X25519Field.create();
    final PrecompZ pz = new PrecompZ();
  }

  /**
   * Decodes a 32-byte point encoding as RFC 8032 does (y below p, x from the square root, its sign from the
   * top bit; x = 0 with the sign bit set is refused), into the form the additions take.
   *
   * @return false if it is not a point
   */
  static boolean decode(byte[] p, Precomp r) {
    if (!canonicalY(p)) {
      return false;
    }
    int x0 = (p[31] & 0x80) >>> 7;
    int[] y = X25519Field.create();
    X25519Field.decode255(p, 0, y, 0);
    int[] u = X25519Field.create();
    int[] v = X25519Field.create();
    X25519Field.sqr(y, u);
    X25519Field.mul(D, u, v);
    X25519Field.subOne(u);
    X25519Field.addOne(v);
    int[] x = X25519Field.create();
    if (!X25519Field.sqrtRatioVar(u, v, x)) {
      return false;
    }
    X25519Field.normalize(x);
    if (x0 == 1 && X25519Field.isZeroVar(x)) {
      return false;
    }
    if (x0 != (x[0] & 1)) {
      X25519Field.negate(x, x);
      X25519Field.normalize(x);
    }
    int[] t = X25519Field.create();
    X25519Field.apm(y, x, r.ypxH, r.ymxH);
    X25519Field.mul(r.ypxH, HALF, r.ypxH);
    X25519Field.mul(r.ymxH, HALF, r.ymxH);
    X25519Field.mul(x, y, t);
    X25519Field.mul(t, D, r.xyd);
    return true;
  }

  /** Whether the 255-bit y of an encoding is below p. */
  private static boolean canonicalY(byte[] p) {
    // p = 2^255 - 19: y >= p only if bytes 1..30 are 0xff, byte 31 (without the sign) is 0x7f and byte 0 >= 0xed.
    if ((p[31] & 0x7f) != 0x7f) {
      return true;
    }
    for (int i = 30; i >= 1; i--) {
      if (p[i] != (byte) 0xff) {
        return true;
      }
    }
    return (p[0] & 0xff) < 0xed;
  }

  // ---- point arithmetic (a = -1) ----

  private static void dbl(Accum r) {
    int[] a = r.x;
    int[] b = r.y;
    int[] c = r.z;
    int[] e = r.u;
    int[] f = a;
    int[] g = b;
    int[] h = r.v;
    X25519Field.add(r.x, r.y, e);
    X25519Field.sqr(r.x, a);
    X25519Field.sqr(r.y, b);
    X25519Field.sqr(r.z, c);
    X25519Field.add(c, c, c);
    X25519Field.apm(a, b, h, g);
    X25519Field.sqr(e, e);
    X25519Field.sub(h, e, e);
    X25519Field.add(c, g, f);
    X25519Field.carry(f);
    X25519Field.mul(f, g, r.z);
    X25519Field.mul(f, e, r.x);
    X25519Field.mul(g, h, r.y);
  }

  /** r += p, or r -= p if {@code negate}, for an affine p. */
  private static void add(boolean negate, Precomp p, Accum r, Temp t) {
    int[] a = r.x;
    int[] b = r.y;
    int[] c = t.r0;
    int[] e = r.u;
    int[] f = a;
    int[] g = b;
    int[] h = r.v;
    int[] na = negate ? b : a;
    int[] nb = negate ? a : b;
    X25519Field.apm(r.y, r.x, b, a);
    X25519Field.mul(na, p.ymxH, na);
    X25519Field.mul(nb, p.ypxH, nb);
    X25519Field.mul(r.u, r.v, c);
    X25519Field.mul(c, p.xyd, c);
    X25519Field.apm(b, a, h, e);
    X25519Field.apm(r.z, c, nb, na);
    X25519Field.mul(f, g, r.z);
    X25519Field.mul(f, e, r.x);
    X25519Field.mul(g, h, r.y);
  }

  /** r += q for a projective q (q is not r). */
  private static void add(Accum q, Accum r, Temp t) {
    PrecompZ p = t.pz;
    X25519Field.apm(q.y, q.x, p.ypx, p.ymx);
    X25519Field.mul(q.u, q.v, t.r1);
    X25519Field.mul(t.r1, D, p.xyd);
    X25519Field.add(p.xyd, p.xyd, p.xyd);
    X25519Field.add(q.z, q.z, p.z);
    int[] a = r.x;
    int[] b = r.y;
    int[] c = t.r0;
    int[] d = r.z;
    int[] e = r.u;
    int[] f = a;
    int[] g = b;
    int[] h = r.v;
    X25519Field.apm(r.y, r.x, b, a);
    X25519Field.mul(a, p.ymx, a);
    X25519Field.mul(b, p.ypx, b);
    X25519Field.mul(r.u, r.v, c);
    X25519Field.mul(c, p.xyd, c);
    X25519Field.mul(r.z, p.z, d);
    X25519Field.apm(b, a, h, e);
    X25519Field.apm(d, c, g, f);
    X25519Field.mul(f, g, r.z);
    X25519Field.mul(f, e, r.x);
    X25519Field.mul(g, h, r.y);
  }

  private static void copy(Accum p, Accum r) {
    X25519Field.copy(p.x, 0, r.x, 0);
    X25519Field.copy(p.y, 0, r.y, 0);
    X25519Field.copy(p.z, 0, r.z, 0);
    X25519Field.copy(p.u, 0, r.u, 0);
    X25519Field.copy(p.v, 0, r.v, 0);
  }

  private static boolean isNeutral(Accum p) {
    X25519Field.normalize(p.x);
    X25519Field.normalize(p.y);
    X25519Field.normalize(p.z);
    return X25519Field.isZeroVar(p.x) && !X25519Field.isZeroVar(p.y) && X25519Field.areEqualVar(p.y, p.z);
  }

  /**
   * Whether {@code p} is one of the 8 points of order dividing 8 ({@code [8]p} is the neutral element). Bouncy
   * Castle refuses such keys ({@code checkPointFullVar}): with one, any signature passes a cofactored check.
   */
  static boolean hasSmallOrder(Precomp p) {
    Accum a = new Accum();
    a.setNeutral();
    add(false, p, a, new Temp());
    dbl(a);
    dbl(a);
    dbl(a);
    return isNeutral(a);
  }

  // ---- the batch ----

  /**
   * True if the batch equation holds for all {@code n} signatures; false if any key, R or S does not decode or
   * is not canonical, or the equation fails. Keys are 32 bytes and signatures 64 (checked by the caller).
   *
   * @param decodedKeys a cache of decoded keys: looked up and filled, never trusted beyond its own entries
   */
  static boolean verify(byte[][] keys, byte[][] messages, byte[][] signatures, int n, KeyCache decodedKeys) {
    if (n == 0) {
      return true;
    }
    MessageDigest sha512 = sha512();
    byte[] seed = new byte[32];
    SEEDS.nextBytes(seed);
    MessageDigest coefficients = sha512();

    // The terms, as multiScalar takes them: the base point first, then each R, then each distinct key (merged by
    // the decoded point the cache gave: the same key's bytes give the same object, barring an eviction within
    // the batch, which only leaves two terms for one key). All but the base point are subtracted.
    Precomp[] points = new Precomp[2 * n + 1];
    BigInteger[] scalars = new BigInteger[points.length];
    boolean[] negated = new boolean[points.length];
    Map<Precomp, Integer> keyTerm = new IdentityHashMap<>();
    int m = n + 1;
    BigInteger base = BigInteger.ZERO;
    for (int i = 0; i < n; i++) {
      byte[] sig = signatures[i];
      byte[] rBytes = Arrays.copyOfRange(sig, 0, 32);
      BigInteger s = new BigInteger(1, reverse(sig, 32, 32));
      if (s.compareTo(L) >= 0) {
        return false;
      }
      Precomp r = new Precomp();
      if (!decode(rBytes, r)) {
        return false;
      }
      Precomp a = decodedKeys.get(keys[i]);
      if (a == null) {
        return false;
      }
      sha512.update(rBytes);
      sha512.update(keys[i]);
      sha512.update(messages[i]);
      BigInteger k = new BigInteger(1, reverse(sha512.digest(), 0, 64)).mod(L);
      // z_i: 128 bits from SHA-512(seed || i), unpredictable to whoever made the signatures.
      coefficients.update(seed);
      coefficients.update((byte) i);
      coefficients.update((byte) (i >>> 8));
      coefficients.update((byte) (i >>> 16));
      coefficients.update((byte) (i >>> 24));
      BigInteger z = new BigInteger(1, Arrays.copyOf(coefficients.digest(), 16));
      points[i + 1] = r;
      negated[i + 1] = true;
      scalars[i + 1] = z;
      base = base.add(z.multiply(s));
      BigInteger za = z.multiply(k);
      Integer at = keyTerm.putIfAbsent(a, m);
      if (at == null) {
        points[m] = a;
        negated[m] = true;
        scalars[m++] = za;
      } else {
        scalars[at] = scalars[at].add(za);
      }
    }
    points[0] = BASE;
    scalars[0] = base.mod(L);
    for (int i = n + 1; i < m; i++) {
      scalars[i] = scalars[i].mod(L);
    }
    Accum sum = multiScalar(points, scalars, negated, m);
    dbl(sum);
    dbl(sum);
    dbl(sum);
    return isNeutral(sum);
  }

  /** The window width of Pippenger's method for {@code count} points (cost per window: count adds and 2^w of bucket sums). */
  static int window(int count) {
    if (count < 16) {
      return 3;
    }
    if (count < 64) {
      return 4;
    }
    if (count < 192) {
      return 5;
    }
    if (count < 640) {
      return 6;
    }
    if (count < 2048) {
      return 7;
    }
    if (count < 6144) {
      return 8;
    }
    return 9;
  }

  /** sum of [s_i] (+-P_i), scalars below 2^253. */
  static Accum multiScalar(Precomp[] points, BigInteger[] scalars, boolean[] negated, int count) {
    int w = window(count);
    int windows = (253 + w - 1) / w + 1;
    // Signed digits in [-2^(w-1), 2^(w-1)], least significant window first.
    short[][] digits = new short[count][];
    int[] top = new int[count];
    for (int i = 0; i < count; i++) {
      digits[i] = signedDigits(scalars[i], w, windows);
      int t = windows - 1;
      while (t >= 0 && digits[i][t] == 0) {
        t--;
      }
      top[i] = t;
    }
    int bucketCount = 1 << (w - 1);
    Accum[] buckets = new Accum[bucketCount];
    for (int b = 0; b < bucketCount; b++) {
      buckets[b] = new Accum();
    }
    boolean[] used = new boolean[bucketCount];
    Temp t = new Temp();
    Accum result = new Accum();
    result.setNeutral();
    Accum running = new Accum();
    Accum windowSum = new Accum();
    boolean started = false;
    for (int j = windows - 1; j >= 0; j--) {
      if (started) {
        for (int k = 0; k < w; k++) {
          dbl(result);
        }
      }
      Arrays.fill(used, false);
      boolean any = false;
      for (int i = 0; i < count; i++) {
        if (j > top[i]) {
          continue;
        }
        int d = digits[i][j];
        if (d == 0) {
          continue;
        }
        int b = (d < 0 ? -d : d) - 1;
        Accum bucket = buckets[b];
        if (!used[b]) {
          bucket.setNeutral();
          used[b] = true;
        }
        add((d < 0) != negated[i], points[i], bucket, t);
        any = true;
      }
      if (!any) {
        continue;
      }
      // sum over b of (b + 1) * bucket[b]: running sums from the top bucket down.
      boolean runningSet = false;
      boolean sumSet = false;
      for (int b = bucketCount - 1; b >= 0; b--) {
        if (used[b]) {
          if (runningSet) {
            add(buckets[b], running, t);
          } else {
            copy(buckets[b], running);
            runningSet = true;
          }
        }
        if (runningSet) {
          if (sumSet) {
            add(running, windowSum, t);
          } else {
            copy(running, windowSum);
            sumSet = true;
          }
        }
      }
      if (started) {
        add(windowSum, result, t);
      } else {
        copy(windowSum, result);
        started = true;
      }
    }
    return result;
  }

  /** The signed radix-2^w digits of {@code s} (0 <= s < 2^253), least significant first. */
  static short[] signedDigits(BigInteger s, int w, int windows) {
    long[] words = new long[5];
    byte[] be = s.toByteArray();
    for (int i = 0; i < be.length; i++) {
      int bit = (be.length - 1 - i) * 8;
      if (bit < 320) {
        words[bit >>> 6] |= (long) (be[i] & 0xff) << (bit & 63);
      }
    }
    short[] out = new short[windows];
    int carry = 0;
    long mask = (1L << w) - 1;
    int half = 1 << (w - 1);
    for (int j = 0; j < windows; j++) {
      int bit = j * w;
      long v = 0;
      if (bit < 320) {
        v = words[bit >>> 6] >>> (bit & 63);
        if ((bit & 63) + w > 64 && (bit >>> 6) + 1 < words.length) {
          v |= words[(bit >>> 6) + 1] << (64 - (bit & 63));
        }
      }
      int d = (int) (v & mask) + carry;
      if (d >= half) {
        d -= 1 << w;
        carry = 1;
      } else {
        carry = 0;
      }
      out[j] = (short) d;
    }
    return out;
  }

  private static byte[] reverse(byte[] b, int off, int len) {
    byte[] r = new byte[len];
    for (int i = 0; i < len; i++) {
      r[i] = b[off + len - 1 - i];
    }
    return r;
  }

  private static byte[] toLittleEndian(BigInteger v, int len) {
    byte[] be = v.toByteArray();
    byte[] le = new byte[len];
    for (int i = 0; i < len && i < be.length; i++) {
      le[i] = be[be.length - 1 - i];
    }
    return le;
  }

  private static MessageDigest sha512() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Decoded public keys, kept: a ledger sees the same senders again and again. Thread-safe. */
  static final class KeyCache {
    private static final int SLOTS = 4096;
    private final Object[] slots = new Object[SLOTS];

    private record Entry(byte[] key, Precomp point) {}

    /** The key's point, or null if it is not a valid point encoding. */
    Precomp get(byte[] key) {
      int slot = (key[0] & 0xff | (key[1] & 0xff) << 8 | (key[2] & 0xff) << 16) & (SLOTS - 1);
      Object o = slots[slot];
      if (o instanceof Entry e && Arrays.equals(e.key, key)) {
        return e.point;
      }
      Precomp p = new Precomp();
      if (!decode(key, p) || hasSmallOrder(p)) {
        return null;
      }
      slots[slot] = new Entry(key.clone(), p);
      return p;
    }
  }
}
