package org.meshledger.chain;

import java.util.Arrays;
import java.util.HexFormat;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.crypto.Ed25519;

/**
 * A 64-byte Ed25519 signature over a domain-separated message (see {@link org.meshledger.crypto.Ed25519}).
 *
 * @param bytes the 64 signature bytes (copied in and out)
 */
public record Signature(byte[] bytes) {
  public static final int BYTES = Ed25519.SIGNATURE_BYTES;

  public Signature {
    bytes = Bytes.copyExact(bytes, BYTES, "signature");
  }

  public static Signature fromHex(String hex) {
    return new Signature(Bytes.fromHex(hex, BYTES, "signature"));
  }

  public static Signature readFrom(CanonicalReader r, String what) {
    return new Signature(r.fixed(BYTES, what));
  }

  public void writeTo(CanonicalWriter w) {
    w.fixed(bytes);
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  byte[] rawBytes() {
    return bytes;
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Signature s && Arrays.equals(bytes, s.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
