package org.meshledger.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the canonical binary encoding: big-endian fixed-width integers, fixed-size byte strings written
 * raw, variable byte strings and UTF-8 strings prefixed with their length as an unsigned 32-bit integer.
 * The format is documented in {@code docs/protocol.md}; the same value always gives the same bytes.
 *
 * <p>Not thread-safe: one writer per encoding.
 */
public final class CanonicalWriter {
  private byte[] buf;
  private int size;

  public CanonicalWriter() {
    this(128);
  }

  public CanonicalWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int extra) {
    int needed = size + extra;
    if (needed < 0) {
      throw new IllegalStateException("encoding exceeds 2 GiB");
    }
    if (needed > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
    }
  }

  public CanonicalWriter u8(int value) {
    if (value < 0 || value > 0xff) {
      throw new IllegalArgumentException("u8 out of range: " + value);
    }
    ensure(1);
    buf[size++] = (byte) value;
    return this;
  }

  public CanonicalWriter bool(boolean value) {
    return u8(value ? 1 : 0);
  }

  public CanonicalWriter i32(int value) {
    ensure(4);
    buf[size++] = (byte) (value >>> 24);
    buf[size++] = (byte) (value >>> 16);
    buf[size++] = (byte) (value >>> 8);
    buf[size++] = (byte) value;
    return this;
  }

  public CanonicalWriter i64(long value) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[size++] = (byte) (value >>> shift);
    }
    return this;
  }

  /** Writes bytes whose length the format fixes (keys, hashes, signatures): no length prefix. */
  public CanonicalWriter fixed(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, size, bytes.length);
    size += bytes.length;
    return this;
  }

  /** Writes a length prefix (u32) and the bytes. */
  public CanonicalWriter bytes(byte[] bytes) {
    i32(bytes.length);
    return fixed(bytes);
  }

  /** Writes a UTF-8 string with a length prefix (u32, in bytes). */
  public CanonicalWriter string(String value) {
    return bytes(value.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes the element count of a list that follows. */
  public CanonicalWriter count(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("negative count " + count);
    }
    return i32(count);
  }

  public int size() {
    return size;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
