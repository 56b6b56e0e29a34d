package org.meshledger.impl.model;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The canonical encoding written out by hand, field by field, following docs/protocol.md rather than the
 * production encoder, with a comment per field: the annotated form of a golden vector.
 */
final class Layout {
  private final StringBuilder hex = new StringBuilder();
  private final StringBuilder annotated = new StringBuilder();

  Layout comment(String line) {
    annotated.append("# ").append(line).append('\n');
    return this;
  }

  Layout field(String fieldHex, String comment) {
    hex.append(fieldHex);
    for (int i = 0; i < fieldHex.length(); i += 64) {
      String chunk = fieldHex.substring(i, Math.min(fieldHex.length(), i + 64));
      annotated.append(String.format("%-64s", chunk));
      annotated.append(i == 0 ? "  # " + comment : "").append('\n');
    }
    if (fieldHex.isEmpty()) {
      annotated.append(String.format("%-64s  # %s (empty)%n", "", comment));
    }
    return this;
  }

  Layout u8(int v, String comment) {
    return field(String.format("%02x", v), comment);
  }

  Layout u32(int v, String comment) {
    return field(String.format("%08x", v), comment);
  }

  Layout i64(long v, String comment) {
    return field(String.format("%016x", v), comment);
  }

  Layout raw(byte[] b, String comment) {
    return field(HexFormat.of().formatHex(b), comment);
  }

  /** u32 length, then the bytes. */
  Layout bytes(byte[] b, String comment) {
    u32(b.length, comment + ": length " + b.length);
    return b.length == 0 ? this : raw(b, comment);
  }

  Layout string(String s, String comment) {
    return bytes(s.getBytes(StandardCharsets.UTF_8), comment + " \"" + s + "\"");
  }

  Layout include(Layout other) {
    hex.append(other.hex);
    annotated.append(other.annotated);
    return this;
  }

  String hex() {
    return hex.toString();
  }

  String annotated() {
    return annotated.toString();
  }
}
