package org.meshledger.chain;

import java.util.Arrays;
import java.util.HexFormat;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.crypto.Ed25519;
import org.meshledger.crypto.SignatureDomain;

/**
 * An account: the 32-byte Ed25519 public key that signs its transactions and holds its balance. Printed as 64 hex characters.
 *
 * @param key the 32 public key bytes (copied in and out)
 */
public record AccountId(byte[] key) implements Comparable<AccountId> {
  public static final int BYTES = Ed25519.PUBLIC_KEY_BYTES;

  public AccountId {
    key = Bytes.copyExact(key, BYTES, "public key");
  }

  /** Parses 64 hex characters. */
  public static AccountId fromHex(String hex) {
    return new AccountId(Bytes.fromHex(hex, BYTES, "public key"));
  }

  public static AccountId readFrom(CanonicalReader r, String what) {
    return new AccountId(r.fixed(BYTES, what));
  }

  public void writeTo(CanonicalWriter w) {
    w.fixed(key);
  }

  /** True if {@code signature} signs {@code message} in {@code domain} on chain {@code chainId} with this key. */
  public boolean verifies(SignatureDomain domain, String chainId, byte[] message, Signature signature) {
    return Ed25519.verify(key, domain, chainId, message, signature.rawBytes());
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  byte[] rawKey() {
    return key;
  }

  public String toHex() {
    return HexFormat.of().formatHex(key);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AccountId other && Arrays.equals(key, other.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  @Override
  public int compareTo(AccountId o) {
    return Bytes.compare(key, o.key);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
