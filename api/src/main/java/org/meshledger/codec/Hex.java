package org.meshledger.codec;

import java.util.Objects;

/** Lower-case hexadecimal, the printable form of keys, hashes and signatures. */
public final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  public static String encode(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = DIGITS[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /**
   * Decodes hexadecimal (either case).
   *
   * @throws IllegalArgumentException naming the problem if the text is not an even number of hex digits
   */
  public static byte[] decode(String hex) {
    Objects.requireNonNull(hex, "hex");
    if ((hex.length() & 1) != 0) {
      throw new IllegalArgumentException("hex text has an odd length (" + hex.length() + ")");
    }
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = digit(hex.charAt(2 * i));
      int lo = digit(hex.charAt(2 * i + 1));
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException("not a hex digit at position " + (hi < 0 ? 2 * i : 2 * i + 1));
      }
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  /** ASCII hex digits only: {@link Character#digit} would also accept full-width and other Unicode digits. */
  private static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
