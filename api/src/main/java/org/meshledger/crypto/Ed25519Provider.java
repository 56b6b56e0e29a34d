package org.meshledger.crypto;

/**
 * The Ed25519 arithmetic behind {@link Ed25519}. Meshledger's implementation module provides one backed by
 * Bouncy Castle; a host may provide another (a hardware module, say) through {@link java.util.ServiceLoader}.
 *
 * <p>Implementations are thread-safe and stateless. Keys are raw: a 32-byte seed (RFC 8032 private key) and
 * a 32-byte encoded public key; signatures are 64 bytes. Verification must reject non-canonical signatures
 * (S not below the group order), so a signature cannot be altered into another valid one.
 */
public interface Ed25519Provider {

  /** Derives the 32-byte public key of a 32-byte seed. */
  byte[] publicKey(byte[] seed);

  /** Signs {@code message} with the key of {@code seed}; returns 64 bytes. */
  byte[] sign(byte[] seed, byte[] message);

  /** True if {@code signature} is a valid signature of {@code message} by {@code publicKey}; never throws for bad input. */
  boolean verify(byte[] publicKey, byte[] message, byte[] signature);

  /**
   * True if every {@code signatures[i]} is a valid signature of {@code messages[i]} by {@code publicKeys[i]}
   * (arrays of one length); never throws for bad input. The default verifies them one by one. An implementation
   * may check them together (RFC 8032's batch verification); it must then pass a batch exactly when {@link #verify}
   * passes every signature in it, except with a negligible probability (2^-128 for Meshledger's) for a batch that
   * holds a bad one. Verify one by one to learn which signature failed.
   */
  default boolean verifyAll(byte[][] publicKeys, byte[][] messages, byte[][] signatures) {
    if (publicKeys.length != messages.length || messages.length != signatures.length) {
      return false;
    }
    for (int i = 0; i < publicKeys.length; i++) {
      if (!verify(publicKeys[i], messages[i], signatures[i])) {
        return false;
      }
    }
    return true;
  }
}
