package org.meshledger.impl.net;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.meshledger.chain.NodeId;

/**
 * How a TCP connection becomes TLS. The listener accepts plain TCP, so that it knows the remote address
 * before spending any work on TLS (banned addresses are dropped at once, failures are logged and scored by
 * address); it writes a 4-byte banner ({@code 'M' 'L' 0x01 '\n'}) and starts TLS as the server. The dialer
 * waits for exactly that banner, then starts TLS as the client. Vert.x installs the server's TLS handler
 * asynchronously, so a ClientHello sent right after connecting can be lost; the banner, written by
 * {@code upgradeToSsl(options, banner)} only once the handler is in place, says when the client may start.
 *
 * <p>A Vert.x {@code NetSocket} with no data handler drops what it reads, and nothing here can get those bytes
 * back, so both ends must have a reader in place before the event loop next reads the socket:
 * <ul>
 *   <li>Dialer, before TLS: the listener writes the banner as soon as it accepts. {@link #client} must run on
 *       the socket's event loop in the turn that created the socket, that is in a callback registered on the
 *       connect future from that loop before the connect completes (see {@code Endpoint.dial}). Registered
 *       later, from another thread, the callback becomes a separate task and the banner may be read and
 *       dropped first; the listener then times out TLS and the dialer reads its alert instead of the banner.
 *   <li>Both ends, after TLS: {@code upgradeToSsl}'s future completes a task after the handshake, and Vert.x
 *       hands any application data that came in with the last handshake record to the socket's handler before
 *       that (a peer that writes its HELLO at once can be that quick). {@link #server} and {@link #client}
 *       therefore leave the socket paused, so such data waits in it; the caller sets its handlers and then
 *       calls {@code resume()}.
 * </ul>
 */
final class TlsUpgrade {
  /** The bytes a listener sends before TLS. */
  static final Buffer BANNER = Buffer.buffer(new byte[] {'M', 'L', 0x01, '\n'});

  private TlsUpgrade() {}

  /**
   * Server side: banner, then TLS; completes with the client certificate's node key. The socket is left
   * paused: set its handlers, then {@code resume()} it.
   */
  static Future<NodeId> server(NetSocket socket, TlsIdentity tls, long timeoutMillis) {
    socket.pause();
    return socket.upgradeToSsl(tls.serverOptions(timeoutMillis), BANNER.copy()).map(v -> TlsIdentity.nodeIdOf(peerCertificates(socket)));
  }

  /**
   * Client side: wait for the banner, then TLS; completes with the server certificate's node key. Call it on
   * the socket's event loop in the turn the socket was created (see the class comment). The socket is left
   * paused: set its handlers, then {@code resume()} it.
   */
  static Future<NodeId> client(Vertx vertx, NetSocket socket, TlsIdentity tls, long timeoutMillis) {
    Promise<Void> banner = Promise.promise();
    Buffer got = Buffer.buffer();
    long timer = vertx.setTimer(timeoutMillis, t -> banner.tryFail("no banner within " + timeoutMillis + " ms"));
    socket.closeHandler(v -> banner.tryFail("closed before TLS"));
    socket.handler(b -> {
      got.appendBuffer(b);
      if (got.length() >= BANNER.length()) {
        if (got.equals(BANNER)) {
          banner.tryComplete();
        } else {
          banner.tryFail("not a Meshledger listener (first bytes " + got.getBuffer(0, Math.min(got.length(), 8)) + ")");
        }
      }
    });
    return banner.future()
        .compose(v -> {
          vertx.cancelTimer(timer);
          socket.pause();
          socket.handler(null);
          socket.closeHandler(null);
          return socket.upgradeToSsl(tls.clientOptions(timeoutMillis));
        }, e -> {
          vertx.cancelTimer(timer);
          return Future.failedFuture(e);
        })
        .map(v -> TlsIdentity.nodeIdOf(peerCertificates(socket)));
  }

  private static java.util.List<java.security.cert.Certificate> peerCertificates(NetSocket socket) {
    try {
      return socket.peerCertificates();
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      throw new IllegalArgumentException("peer presented no certificate", e);
    }
  }
}
