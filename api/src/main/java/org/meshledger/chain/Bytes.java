package org.meshledger.chain;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** Checks shared by the fixed-size byte values. */
final class Bytes {
  private Bytes() {}

  static byte[] copyExact(byte[] bytes, int length, String what) {
    Objects.requireNonNull(bytes, what);
    if (bytes.length != length) {
      throw new IllegalArgumentException(what + " must be " + length + " bytes, got " + bytes.length);
    }
    return bytes.clone();
  }

  static byte[] fromHex(String hex, int length, String what) {
    Objects.requireNonNull(hex, what);
    if (hex.length() != 2 * length) {
      throw new IllegalArgumentException(what + " must be " + (2 * length) + " hex characters, got " + hex.length());
    }
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not hexadecimal (" + e.getMessage() + ")", e);
    }
  }

  static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }
}
