package org.meshledger.impl.net;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.spi.tls.DefaultSslContextFactory;
import java.nio.ByteBuffer;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * One TLS handshake in memory, between a server and a client context built the way Vert.x builds them for a
 * node's connections (its default context factory on the JDK provider), and one buffer from Netty's default
 * allocator, so that a JVM's one-time costs of its first TLS connection are paid on the calling thread: see
 * {@link TlsIdentity#warmUp()}. Blocking; never on an event loop.
 */
final class TlsWarmUp {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private TlsWarmUp() {}

  /** Runs the handshake; throws if it does not finish, which leaves nothing behind but warm classes. */
  static void handshake(KeyManagerFactory keys, TrustManagerFactory trust, Set<String> protocols) throws SSLException {
    // Netty's first buffer chunk initialises its JFR events and with them the JDK's JFR metadata: 0.3-0.8 s.
    ByteBufAllocator.DEFAULT.directBuffer(256).release();
    ByteBufAllocator.DEFAULT.heapBuffer(256).release();
    SslContext server = new DefaultSslContextFactory(SslProvider.JDK, false).useAlpn(false).forClient(false)
        .clientAuth(ClientAuth.REQUIRE).keyMananagerFactory(keys).trustManagerFactory(trust).create();
    SslContext client = new DefaultSslContextFactory(SslProvider.JDK, false).useAlpn(false).forClient(true)
        .keyMananagerFactory(keys).trustManagerFactory(trust).create();
    SSLEngine s = server.newEngine(ByteBufAllocator.DEFAULT);
    SSLEngine c = client.newEngine(ByteBufAllocator.DEFAULT, "warm-up.invalid", 1);
    String[] enabled = protocols.toArray(String[]::new);
    s.setEnabledProtocols(enabled);
    c.setEnabledProtocols(enabled);
    SSLParameters noHostCheck = c.getSSLParameters(); // as the node's client: the handshake checks the key, not a name
    noHostCheck.setEndpointIdentificationAlgorithm(""); // as Vert.x configures the engine for the empty algorithm
    c.setSSLParameters(noHostCheck);
    int packet = Math.max(s.getSession().getPacketBufferSize(), c.getSession().getPacketBufferSize());
    ByteBuffer toServer = ByteBuffer.allocate(4 * packet);
    ByteBuffer toClient = ByteBuffer.allocate(4 * packet);
    ByteBuffer app = ByteBuffer.allocate(Math.max(s.getSession().getApplicationBufferSize(), c.getSession().getApplicationBufferSize()));
    c.beginHandshake();
    s.beginHandshake();
    for (int turn = 0; turn < 64; turn++) {
      step(c, toClient, toServer, app);
      step(s, toServer, toClient, app);
      if (done(c) && done(s) && toServer.position() == 0 && toClient.position() == 0) {
        if (c.getSession().getPeerCertificates().length == 0 || s.getSession().getPeerCertificates().length == 0) {
          throw new SSLException("warm-up handshake finished without certificates");
        }
        c.closeOutbound();
        s.closeOutbound();
        return;
      }
    }
    throw new SSLException("warm-up handshake did not finish: client " + c.getHandshakeStatus() + ", server " + s.getHandshakeStatus());
  }

  private static boolean done(SSLEngine e) {
    HandshakeStatus h = e.getHandshakeStatus();
    return h == HandshakeStatus.NOT_HANDSHAKING || h == HandshakeStatus.FINISHED;
  }

  /** Advances {@code engine} as far as it goes with what {@code in} holds, writing its records to {@code out}. */
  private static void step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer app) throws SSLException {
    for (int i = 0; i < 16; i++) {
      switch (engine.getHandshakeStatus()) {
        case NEED_TASK -> {
          for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
          }
        }
        case NEED_WRAP -> engine.wrap(EMPTY, out);
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          in.flip();
          SSLEngineResult r = engine.unwrap(in, app);
          in.compact();
          app.clear();
          if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || r.bytesConsumed() == 0
              && r.getHandshakeStatus() != HandshakeStatus.NEED_TASK && r.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
            return; // waits for the peer
          }
        }
        default -> {
          if (in.position() > 0) { // a post-handshake message (a TLS 1.3 session ticket)
            in.flip();
            engine.unwrap(in, app);
            in.compact();
            app.clear();
          }
          return;
        }
      }
    }
  }
}
