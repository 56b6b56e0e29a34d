package org.meshledger.impl.net;

import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * Closing a socket without waiting. Vert.x's {@code NetSocket.close()} first flushes what is queued, which
 * never finishes if the peer stops reading; {@link #abort} closes the channel at once and drops that output.
 * It needs Vert.x's exported internal API and Netty's channel (see {@code docs/adr/005-transport.md}).
 */
final class Sockets {
  private Sockets() {}

  static void abort(NetSocket socket) {
    if (socket instanceof NetSocketInternal internal) {
      internal.channelHandlerContext().channel().close();
    } else {
      socket.close();
    }
  }
}
