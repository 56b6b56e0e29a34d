/**
 * Ed25519 signatures with domain separation, and the plug point for the arithmetic behind them.
 *
 * <p>Every signature in Meshledger is made over a tagged message: the tag names the purpose
 * ({@link org.meshledger.crypto.SignatureDomain}) and the chain id follows it, so a transaction signature
 * cannot be replayed as a vote, nor a signature from a test chain on a production chain. Hashing is
 * SHA-256 from the JDK (its intrinsic is several times faster than a Java implementation); signatures come
 * from an {@link org.meshledger.crypto.Ed25519Provider} found through {@link java.util.ServiceLoader}.
 */
package org.meshledger.crypto;
