package org.meshledger.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the canonical binary encoding written by {@link CanonicalWriter}, treating its input as hostile.
 *
 * <p>Every length and count is checked against both its declared maximum and the bytes that remain before
 * anything is allocated, so decoding never allocates more than the input's size. Every problem ends in a
 * {@link DecodeException} that says what was being read and where; no other exception escapes.
 */
public final class CanonicalReader {
  private final byte[] in;
  private int pos;
  private final int limit;

  public CanonicalReader(byte[] in) {
    this(in, 0, in.length);
  }

  public CanonicalReader(byte[] in, int offset, int length) {
    if (offset < 0 || length < 0 || offset > in.length - length) {
      throw new IllegalArgumentException("slice [" + offset + ", +" + length + ") outside " + in.length + " bytes");
    }
    this.in = in;
    this.pos = offset;
    this.limit = offset + length;
  }

  public int position() {
    return pos;
  }

  public int remaining() {
    return limit - pos;
  }

  private void need(int n, String what) {
    if (n > limit - pos) {
      throw new DecodeException(what + ": needs " + n + " bytes at offset " + pos + ", only " + (limit - pos) + " left");
    }
  }

  public int u8(String what) {
    need(1, what);
    return in[pos++] & 0xff;
  }

  public boolean bool(String what) {
    int b = u8(what);
    if (b > 1) {
      throw new DecodeException(what + ": boolean must be 0 or 1, got " + b);
    }
    return b == 1;
  }

  /** Reads a version byte and fails unless it is {@code expected}. */
  public void version(int expected, String what) {
    int v = u8(what + " version");
    if (v != expected) {
      throw new DecodeException(what + ": unsupported version " + v + " (this build reads " + expected + ")");
    }
  }

  public int i32(String what) {
    need(4, what);
    int v = ((in[pos] & 0xff) << 24) | ((in[pos + 1] & 0xff) << 16) | ((in[pos + 2] & 0xff) << 8) | (in[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  public long i64(String what) {
    need(8, what);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (in[pos + i] & 0xff);
    }
    pos += 8;
    return v;
  }

  /** Reads a non-negative i64; a negative value fails. */
  public long nonNegative(String what) {
    long v = i64(what);
    if (v < 0) {
      throw new DecodeException(what + ": must not be negative, got " + v);
    }
    return v;
  }

  public byte[] fixed(int length, String what) {
    need(length, what);
    byte[] out = Arrays.copyOfRange(in, pos, pos + length);
    pos += length;
    return out;
  }

  /** Reads a length-prefixed byte string of at most {@code max} bytes. */
  public byte[] bytes(int max, String what) {
    int len = length(max, what);
    return fixed(len, what);
  }

  /** Reads a length-prefixed strict UTF-8 string of at most {@code maxBytes} encoded bytes. */
  public String string(int maxBytes, String what) {
    int len = length(maxBytes, what);
    need(len, what);
    try {
      String s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(in, pos, len))
          .toString();
      pos += len;
      return s;
    } catch (CharacterCodingException e) {
      throw new DecodeException(what + ": not valid UTF-8 at offset " + pos);
    }
  }

  /**
   * Reads the count of a list whose elements take at least {@code minElementBytes} each, so a count that
   * could not fit in the remaining input fails before a list of that size is allocated.
   */
  public int count(int max, int minElementBytes, String what) {
    int n = i32(what + " count");
    if (n < 0 || n > max) {
      throw new DecodeException(what + ": count " + Integer.toUnsignedString(n) + " exceeds the maximum " + max);
    }
    if ((long) n * Math.max(1, minElementBytes) > remaining()) {
      throw new DecodeException(what + ": count " + n + " cannot fit in the " + remaining() + " bytes left");
    }
    return n;
  }

  private int length(int max, String what) {
    int len = i32(what + " length");
    if (len < 0 || len > max) {
      throw new DecodeException(what + ": length " + Integer.toUnsignedString(len) + " exceeds the maximum " + max);
    }
    return len;
  }

  /** A copy of input already read, from absolute offset {@code from} up to the current position. */
  public byte[] readSince(int from) {
    if (from < 0 || from > pos) {
      throw new IllegalArgumentException("offset " + from + " is not behind the position " + pos);
    }
    return Arrays.copyOfRange(in, from, pos);
  }

  /** Fails if any input is left: a canonical encoding has no trailing bytes. */
  public void end(String what) {
    if (pos != limit) {
      throw new DecodeException(what + ": " + (limit - pos) + " trailing bytes after offset " + pos);
    }
  }
}
