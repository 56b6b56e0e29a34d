package org.meshledger.chain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.meshledger.MeshledgerException;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;

/**
 * A SHA-256 digest: 32 bytes. Ids of transactions and blocks, Merkle roots and state digests are hashes.
 * Hashing uses the JDK's {@link MessageDigest}, whose intrinsic is several times faster than Bouncy Castle's.
 *
 * @param bytes the 32 digest bytes (copied in and out)
 */
public record Hash(byte[] bytes) implements Comparable<Hash> {
  public static final int BYTES = 32;
  /** All zero bytes: a placeholder where no hash exists yet (the state digest of an empty ledger, for one). */
  public static final Hash ZERO = new Hash(new byte[BYTES]);

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new MeshledgerException("the JDK offers no SHA-256", e);
    }
  });

  public Hash {
    bytes = Bytes.copyExact(bytes, BYTES, "hash");
  }

  /** SHA-256 of {@code data}. */
  public static Hash sha256(byte[] data) {
    return new Hash(digest().digest(data));
  }

  /** SHA-256 of the concatenation of {@code parts}. */
  public static Hash sha256(byte[]... parts) {
    MessageDigest md = digest();
    for (byte[] p : parts) {
      md.update(p);
    }
    return new Hash(md.digest());
  }

  /** A digest of this thread, reset and ready. */
  static MessageDigest digest() {
    MessageDigest md = SHA256.get();
    md.reset();
    return md;
  }

  /** Parses 64 hex characters. */
  public static Hash fromHex(String hex) {
    return new Hash(Bytes.fromHex(hex, BYTES, "hash"));
  }

  public static Hash readFrom(CanonicalReader r, String what) {
    return new Hash(r.fixed(BYTES, what));
  }

  public void writeTo(CanonicalWriter w) {
    w.fixed(bytes);
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hash h && Arrays.equals(bytes, h.bytes);
  }

  @Override
  public int hashCode() {
    // The bytes are a SHA-256 digest, uniform already: four of them hash as well as all 32, several times
    // faster (spreading looks a message id up in a seen-cache for every frame it receives).
    return (bytes[0] << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
  }

  @Override
  public int compareTo(Hash o) {
    return Bytes.compare(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
