package org.meshledger.impl.net;

import org.meshledger.PeerAddress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.meshledger.ConfigurationException;
import org.meshledger.spi.Peer.Direction;

/**
 * The sockets of a {@link Network}: the listener and the dialer, and the step from TCP to TLS
 * ({@link TlsUpgrade}). Inbound connections from banned addresses, or beyond the cap on unfinished
 * handshakes, are closed before any TLS work; TLS failures are logged and scored by address. Sockets that
 * complete TLS become {@link PeerConnection}s of the network. On the network's context only.
 */
final class Endpoint {
  /** How long accepted sockets get to close themselves once the listener is closed; Vert.x closes the rest. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

  private final Network net;
  private final Vertx vertx;
  private TlsIdentity tls;
  private NetServer server;
  private NetClient client;
  private int pendingTls;
  private int dialsInFlight;

  Endpoint(Network net, Vertx vertx) {
    this.net = net;
    this.vertx = vertx;
  }

  /**
   * Listens with {@code identity} (null: plain TCP); completes with the actual port, or fails with a
   * {@link ConfigurationException} that names the host and port (and, if it is taken, how to choose another).
   */
  Future<Integer> listen(TlsIdentity identity) {
    this.tls = identity;
    server = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true)).connectHandler(this::accepted);
    client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, net.config().getHandshakeTimeout().toMillis())));
    String host = net.config().getListenHost();
    int port = net.config().getListenPort();
    return server.listen(port, host).map(NetServer::actualPort).recover(e -> Future.failedFuture(listenFailure(host, port, e)));
  }

  /** Why listening on {@code host:port} failed, in words that name the fix. */
  static ConfigurationException listenFailure(String host, int port, Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (String.valueOf(c.getMessage()).contains("already in use")) { // a BindException, or Netty's native one
        return new ConfigurationException("port " + port + " on " + host + " is in use (another node or program listens there):"
            + " stop it, or choose another port with NodeOptions.setListenPort (0 picks a free one)", e);
      }
    }
    return new ConfigurationException("cannot listen on " + host + ":" + port + ": " + e + "; check NodeOptions.setListenHost and"
        + " setListenPort", e);
  }

  /**
   * Stops accepting: closes the listening socket first and only then offers each accepted socket to the network
   * ({@link Network#listenerClosed}, through the socket's shutdown handler) to say goodbye and close. Completes
   * when every accepted socket is closed, or after {@link #SHUTDOWN_GRACE}, when Vert.x closes what is left.
   *
   * <p>The order matters: a peer told SHUTDOWN dials again after its shortest backoff, and Vert.x 5.0 and 5.1
   * (eclipse-vertx/vert.x#6087) log an IllegalStateException trace ("Failed to register an accepted channel")
   * for a connection that arrives between the server's last handler going and its socket closing. With the
   * socket closed before anyone hears of the stop, such a dial is refused by the operating system instead.
   */
  Future<Void> stopListening() {
    return server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Closes the client and with it every socket it opened; after {@link #stopListening()}. */
  Future<Void> closeClient() {
    return client == null ? Future.succeededFuture() : client.close();
  }

  int pendingTls() {
    return pendingTls;
  }

  int dialsInFlight() {
    return dialsInFlight;
  }

  private void accepted(NetSocket socket) {
    // Until PeerConnection takes over, a reset or TLS error surfaces as the upgrade's failure (counted and logged
    // with a limit below); without a handler Vert.x would also log each one at SEVERE.
    socket.exceptionHandler(e -> { });
    socket.shutdownHandler(v -> net.listenerClosed(socket)); // stopListening(): the listening socket is closed now
    String ip = socket.remoteAddress().hostAddress();
    long now = net.nowMillis();
    if (net.stopping()) {
      socket.close();
      return;
    }
    if (net.bans().isBanned(Bans.ip(ip), now)) {
      net.limited().log(Level.INFO, "banned", now, "closing connection from banned address " + ip);
      socket.close();
      return;
    }
    if (pendingTls + net.countHandshaking(Direction.INBOUND) >= Math.max(8, net.config().getMaxInbound())) {
      net.limited().log(Level.WARNING, "pending", now, "too many unfinished inbound handshakes; closing connection from " + ip);
      socket.close();
      return;
    }
    if (tls == null) {
      net.register(new PeerConnection(net, socket, Direction.INBOUND, null, null));
      return;
    }
    pendingTls++;
    net.updateSockets();
    TlsUpgrade.server(socket, tls, net.config().getHandshakeTimeout().toMillis()).onComplete(ar -> {
      pendingTls--;
      net.updateSockets();
      if (net.stopping()) {
        socket.close();
        return;
      }
      if (ar.failed()) {
        net.stats().tlsFailures.increment();
        net.limited().log(Level.WARNING, "tls", net.nowMillis(), "TLS with " + socket.remoteAddress() + " failed: " + ar.cause()
            + " (" + Reason.TLS_FAILED + ")");
        if (net.bans().penalize(Bans.ip(ip), Reason.TLS_FAILED.penalty(), net.nowMillis())) {
          net.stats().bans.increment();
          Network.LOG.log(Level.WARNING, "banning address " + ip + " for " + net.config().getBanDuration() + " after repeated TLS failures");
        }
        socket.close();
        return;
      }
      net.register(new PeerConnection(net, socket, Direction.INBOUND, null, ar.result()));
    });
  }

  /**
   * Connects to {@code address}, upgrades to TLS and hands the socket to the network. On the network's
   * context: the callback is registered in the same event-loop turn as the connect starts, so it runs in the
   * turn that creates the socket and {@link TlsUpgrade#client} reads the banner from the first byte.
   */
  void dial(PeerAddress address) {
    dialsInFlight++;
    client.connect(address.port(), address.host()).onComplete(ar -> {
      dialsInFlight--;
      if (net.stopping()) {
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      if (ar.failed()) {
        net.limited().log(Level.DEBUG, "dial", net.nowMillis(), "cannot connect to " + address + ": " + ar.cause());
        net.book().failed(address, net.nowMillis());
        return;
      }
      NetSocket s = ar.result();
      s.exceptionHandler(e -> { }); // as for accepted sockets: the upgrade's failure reports it
      if (tls == null) {
        net.register(new PeerConnection(net, s, Direction.OUTBOUND, address, null));
        return;
      }
      dialsInFlight++;
      TlsUpgrade.client(vertx, s, tls, net.config().getHandshakeTimeout().toMillis()).onComplete(up -> {
        dialsInFlight--;
        if (net.stopping() || up.failed()) {
          if (up.failed()) {
            net.stats().tlsFailures.increment();
            net.limited().log(Level.WARNING, "tls", net.nowMillis(), "TLS with " + address + " failed: " + up.cause() + " (" + Reason.TLS_FAILED + ")");
            net.book().failed(address, net.nowMillis());
          }
          s.close();
          return;
        }
        net.register(new PeerConnection(net, s, Direction.OUTBOUND, address, up.result()));
      });
    });
  }
}
