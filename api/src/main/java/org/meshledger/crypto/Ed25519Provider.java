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
}
