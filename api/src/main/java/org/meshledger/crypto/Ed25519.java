package org.meshledger.crypto;

import java.util.Iterator;
import java.util.ServiceLoader;
import org.meshledger.MeshledgerException;
import org.meshledger.codec.CanonicalWriter;

/**
 * Domain-separated Ed25519 signatures. Callers do not sign raw bytes: they sign a message in a
 * {@link SignatureDomain} for a chain, and the bytes actually signed are
 * {@code string(domain tag) || string(chain id) || bytes(message)} in the canonical encoding.
 *
 * <p>The arithmetic comes from the first {@link Ed25519Provider} that {@link ServiceLoader} finds (the
 * {@code org.meshledger:meshledger} module provides one backed by Bouncy Castle). Thread-safe.
 */
public final class Ed25519 {
  public static final int PUBLIC_KEY_BYTES = 32;
  public static final int SEED_BYTES = 32;
  public static final int SIGNATURE_BYTES = 64;

  private Ed25519() {}

  private static final class Holder {
    static final Ed25519Provider PROVIDER = load();

    private static Ed25519Provider load() {
      Iterator<Ed25519Provider> it = ServiceLoader.load(Ed25519Provider.class, Ed25519.class.getClassLoader()).iterator();
      if (!it.hasNext()) {
        it = ServiceLoader.load(Ed25519Provider.class).iterator();
      }
      if (!it.hasNext()) {
        throw new MeshledgerException("no Ed25519Provider found: add org.meshledger:meshledger to the runtime class or module path");
      }
      return it.next();
    }
  }

  /** The provider in use. */
  public static Ed25519Provider provider() {
    return Holder.PROVIDER;
  }

  /** The exact bytes that are signed for {@code message} in {@code domain} on chain {@code chainId}. */
  public static byte[] signingInput(SignatureDomain domain, String chainId, byte[] message) {
    return new CanonicalWriter(message.length + 64)
        .string(domain.tag())
        .string(chainId)
        .bytes(message)
        .toByteArray();
  }

  public static byte[] publicKey(byte[] seed) {
    checkLength(seed, SEED_BYTES, "seed");
    return provider().publicKey(seed);
  }

  public static byte[] sign(byte[] seed, SignatureDomain domain, String chainId, byte[] message) {
    checkLength(seed, SEED_BYTES, "seed");
    return provider().sign(seed, signingInput(domain, chainId, message));
  }

  /** True if the signature is valid; false for any bad key, signature or message, never an exception. */
  public static boolean verify(byte[] publicKey, SignatureDomain domain, String chainId, byte[] message, byte[] signature) {
    if (publicKey.length != PUBLIC_KEY_BYTES || signature.length != SIGNATURE_BYTES) {
      return false;
    }
    return provider().verify(publicKey, signingInput(domain, chainId, message), signature);
  }

  /**
   * True if every {@code signatures[i]} is a valid signature of {@code messages[i]} in {@code domain} on chain
   * {@code chainId} by {@code publicKeys[i]}; false if any is not, or the arrays differ in length. May verify
   * them as one batch, about twice as fast as one by one for 100 signatures: the verdict is that of {@link #verify}
   * on each, except with probability about 2^-128 for a batch that holds a bad signature
   * ({@link Ed25519Provider#verifyAll}). Verify one by one to learn which failed.
   */
  public static boolean verifyAll(SignatureDomain domain, String chainId, byte[][] publicKeys, byte[][] messages, byte[][] signatures) {
    int n = publicKeys.length;
    if (messages.length != n || signatures.length != n) {
      return false;
    }
    byte[][] inputs = new byte[n][];
    for (int i = 0; i < n; i++) {
      if (publicKeys[i].length != PUBLIC_KEY_BYTES || signatures[i].length != SIGNATURE_BYTES) {
        return false;
      }
      inputs[i] = signingInput(domain, chainId, messages[i]);
    }
    return provider().verifyAll(publicKeys, inputs, signatures);
  }

  private static void checkLength(byte[] bytes, int expected, String what) {
    if (bytes.length != expected) {
      throw new IllegalArgumentException(what + " must be " + expected + " bytes, got " + bytes.length);
    }
  }
}
