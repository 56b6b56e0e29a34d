package org.meshledger.impl.net;

import io.vertx.core.buffer.Buffer;
import java.util.Objects;

/**
 * Cuts a byte stream into frames, sans-IO: {@link #feed} takes whatever the socket delivered and calls the
 * sink once per whole frame. The length prefix is checked against the maximum <em>before</em> any of the
 * body is kept, so a peer can make it hold at most one frame of the maximum size plus one read. After the
 * first error the decoder refuses all further input. Not thread-safe: one per connection.
 */
final class FrameDecoder {
  /** Receives decoded frames. The body array is the sink's to keep. */
  interface Sink {
    /** Returns false to stop decoding (the connection is closing). */
    boolean frame(int type, byte[] body);
  }

  /** A framing error: a zero or oversized length prefix. */
  static final class FrameException extends Exception {
    private static final long serialVersionUID = 1L;
    final Reason reason;

    FrameException(Reason reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }

  private final int maxFrameBytes;
  private Buffer pending; // bytes of an unfinished frame, or null
  private boolean failed;
  private long bytesIn;

  FrameDecoder(int maxFrameBytes) {
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("maxFrameBytes must be positive, got " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  /** True while a frame has been started and not finished: what the slow-sender check looks at. */
  boolean inFrame() {
    return pending != null && pending.length() > 0;
  }

  /** Bytes held for the unfinished frame. */
  int buffered() {
    return pending == null ? 0 : pending.length();
  }

  long bytesIn() {
    return bytesIn;
  }

  /** Decodes what {@code chunk} completes; keeps the rest for the next call. */
  void feed(Buffer chunk, Sink sink) throws FrameException {
    Objects.requireNonNull(chunk, "chunk");
    if (failed) {
      throw new FrameException(Reason.PROTOCOL_VIOLATION, "input after a framing error");
    }
    bytesIn += chunk.length();
    Buffer in;
    if (pending == null) {
      in = chunk;
    } else {
      pending.appendBuffer(chunk); // the buffer grows by doubling: a large frame costs linear copying, not quadratic
      if (stillIncomplete(pending)) {
        return;
      }
      in = pending;
      pending = null;
    }
    int pos = 0;
    int end = in.length();
    while (end - pos >= Frames.HEADER_BYTES) {
      int len = in.getInt(pos);
      if (len < 1 || len > maxFrameBytes) {
        failed = true;
        throw new FrameException(len < 1 ? Reason.PROTOCOL_VIOLATION : Reason.FRAME_TOO_LARGE,
            "frame length " + Integer.toUnsignedString(len) + " outside 1.." + maxFrameBytes);
      }
      if (end - pos - Frames.HEADER_BYTES < len) {
        break;
      }
      int type = in.getUnsignedByte(pos + Frames.HEADER_BYTES);
      byte[] body = in.getBytes(pos + Frames.HEADER_BYTES + 1, pos + Frames.HEADER_BYTES + len);
      pos += Frames.HEADER_BYTES + len;
      if (!sink.frame(type, body)) {
        return;
      }
    }
    if (pos < end) {
      // Copy the tail: it holds at most one frame header plus a body already checked against the maximum.
      pending = Buffer.buffer(Math.min(end - pos + 4096, Frames.HEADER_BYTES + maxFrameBytes));
      pending.appendBuffer(in, pos, end - pos);
    }
  }

  /** True if {@code buf} starts a frame with a valid length that it does not hold whole yet: keep it, decode nothing. */
  private boolean stillIncomplete(Buffer buf) {
    if (buf.length() < Frames.HEADER_BYTES) {
      return true;
    }
    int len = buf.getInt(0);
    return len >= 1 && len <= maxFrameBytes && buf.length() - Frames.HEADER_BYTES < len; // a bad length is the loop's to report
  }
}
