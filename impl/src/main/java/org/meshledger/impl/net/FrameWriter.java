package org.meshledger.impl.net;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.function.Consumer;

/**
 * Coalesced output of one connection: frames queued during one event-loop turn are appended to one buffer,
 * and one task scheduled at the end of the turn writes it with a single {@code write} (so a single flush).
 * While the socket's queue is full, frames keep collecting here; past {@code maxQueuedBytes} the peer is
 * deemed not to read and {@code onOverflow} is told, so output never piles up without bound. On the
 * connection's context only.
 */
final class FrameWriter {
  private final NetSocket socket;
  private final int maxQueuedBytes;
  private final Consumer<Runnable> onLoop;
  private final Consumer<String> onOverflow;
  private Buffer out;
  private boolean flushScheduled;
  private boolean blocked;
  private boolean closed;
  private Runnable onWritable;

  FrameWriter(NetSocket socket, int maxQueuedBytes, Consumer<Runnable> onLoop, Consumer<String> onOverflow) {
    this.socket = socket;
    this.maxQueuedBytes = maxQueuedBytes;
    this.onLoop = onLoop;
    this.onOverflow = onOverflow;
  }

  void write(int type, byte[] body) {
    if (closed) {
      return;
    }
    if (out == null) {
      out = Buffer.buffer(Math.max(256, Frames.HEADER_BYTES + 1 + body.length));
    }
    Frames.append(out, type, body);
    if (out.length() > maxQueuedBytes) {
      out = null;
      onOverflow.accept("more than " + maxQueuedBytes + " bytes wait for the peer to read");
      return;
    }
    if (!flushScheduled && !blocked) {
      flushScheduled = true;
      onLoop.accept(this::flush);
    }
  }

  private void flush() {
    flushScheduled = false;
    if (out == null || closed || blocked) {
      return;
    }
    Buffer b = out;
    out = null;
    socket.write(b);
    if (socket.writeQueueFull()) {
      blocked = true;
      socket.drainHandler(v -> {
        blocked = false;
        flush();
        Runnable r = onWritable;
        if (r != null && writable()) {
          onWritable = null;
          r.run();
        }
      });
    }
  }

  /** False while output waits for the peer to read. */
  boolean writable() {
    return !closed && !blocked && (out == null || out.length() < maxQueuedBytes / 2);
  }

  /** Runs {@code action} once output drains (soon, if it has). */
  void whenWritable(Runnable action) {
    if (writable()) {
      onLoop.accept(action);
    } else {
      onWritable = action;
    }
  }

  /** Writes what is queued plus {@code last} (a DISCONNECT) at once, then accepts nothing more. */
  void closeWith(Buffer last) {
    if (closed) {
      return;
    }
    closed = true;
    Buffer b = out == null ? Buffer.buffer() : out;
    out = null;
    if (last != null) {
      b.appendBuffer(last);
    }
    if (b.length() > 0) {
      socket.write(b);
    }
  }

  /** Drops what is queued (the peer does not read, or is gone). */
  void discard() {
    closed = true;
    out = null;
  }
}
