package org.meshledger.impl.crypto;

import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.meshledger.crypto.Ed25519Provider;

/**
 * Ed25519 from Bouncy Castle's RFC 8032 arithmetic, used directly on byte arrays: no JCA lookup, no key
 * objects. On the project's machines it verifies about ten times faster than the JDK's Ed25519
 * ({@code docs/performance.md}). Verification rejects a non-canonical S (not below the group order) and
 * public keys that do not decode to a point, so signatures are not malleable.
 *
 * <p><b>Decoded keys are kept.</b> Decoding a public key to a curve point (a square root in the field) is about a
 * tenth of a verification, and a ledger sees the same senders again and again. The last decoded points are kept
 * in a small direct-mapped table ({@value #SLOTS} slots, about 1 MiB), so a repeated sender's key is decoded
 * once. Bouncy Castle's verification with a decoded point accepts exactly what the one with the key's bytes
 * accepts (the same checks of the encoding, the same hash of the key's bytes); {@code BouncyCastleEd25519Test}
 * checks the two agree. A key that does not decode is not kept. Keys an attacker makes collide only evict one
 * another: the worst case is the cost without the table.
 */
public final class BouncyCastleEd25519 implements Ed25519Provider {
  static final int SLOTS = 4096;

  static {
    Ed25519.precompute();
  }

  /** A decoded key and its bytes; immutable, so a reader sees it whole without a lock. */
  private record Decoded(byte[] key, Ed25519.PublicPoint point) {}

  private final Decoded[] decoded = new Decoded[SLOTS];
  private final Ed25519Batch.KeyCache batchKeys = new Ed25519Batch.KeyCache();

  /** Below this many signatures, {@link #verifyAll} verifies one by one: a batch gains nothing. */
  static final int MIN_BATCH = 4;

  @Override
  public byte[] publicKey(byte[] seed) {
    byte[] pk = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, pk, 0);
    return pk;
  }

  @Override
  public byte[] sign(byte[] seed, byte[] message) {
    byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(seed, 0, message, 0, message.length, sig, 0);
    return sig;
  }

  @Override
  public boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey.length != Ed25519.PUBLIC_KEY_SIZE || signature.length != Ed25519.SIGNATURE_SIZE) {
      return false;
    }
    try {
      Ed25519.PublicPoint point = point(publicKey);
      return point != null && Ed25519.verify(signature, 0, point, message, 0, message.length);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Checks the signatures together ({@link Ed25519Batch}: about half the cost per signature for a block of 100,
   * a quarter for thousands), or one by one below {@value #MIN_BATCH}.
   */
  @Override
  public boolean verifyAll(byte[][] publicKeys, byte[][] messages, byte[][] signatures) {
    int n = publicKeys.length;
    if (messages.length != n || signatures.length != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (publicKeys[i].length != Ed25519.PUBLIC_KEY_SIZE || signatures[i].length != Ed25519.SIGNATURE_SIZE) {
        return false;
      }
    }
    if (n < MIN_BATCH) {
      return Ed25519Provider.super.verifyAll(publicKeys, messages, signatures);
    }
    try {
      return Ed25519Batch.verify(publicKeys, messages, signatures, n, batchKeys);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The key's point, from the table or decoded (and kept); null if the key is not a valid point. */
  private Ed25519.PublicPoint point(byte[] publicKey) {
    int slot = (publicKey[0] & 0xff | (publicKey[1] & 0xff) << 8 | (publicKey[2] & 0xff) << 16) & (SLOTS - 1);
    Decoded d = decoded[slot];
    if (d != null && Arrays.equals(d.key, publicKey)) {
      return d.point;
    }
    Ed25519.PublicPoint point = Ed25519.validatePublicKeyPartialExport(publicKey, 0);
    if (point != null) {
      decoded[slot] = new Decoded(publicKey.clone(), point);
    }
    return point;
  }

  /** Verification without the table of decoded keys: the reference the table is checked against. */
  static boolean verifyUncached(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey.length != Ed25519.PUBLIC_KEY_SIZE || signature.length != Ed25519.SIGNATURE_SIZE) {
      return false;
    }
    try {
      return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
