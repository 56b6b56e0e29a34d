package org.meshledger.impl.net;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.meshledger.chain.NodeId;
import org.meshledger.crypto.KeyPair;
import org.meshledger.crypto.SignatureDomain;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Role;

/**
 * A hand-driven peer for hostile tests: TLS with any key (or none), from 127.0.0.2 so that address bans do
 * not hit the honest nodes on 127.0.0.1, sending whatever bytes a test wants.
 */
final class RawPeer implements AutoCloseable {
  static final String ATTACKER_HOST = "127.0.0.2";

  record Frame(int type, byte[] body) {}

  final NetClient client;
  final NetSocket socket;
  final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  volatile boolean closed;
  private final FrameDecoder decoder = new FrameDecoder(1 << 20);

  private RawPeer(NetClient client, NetSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.handler(b -> {
      try {
        decoder.feed(b, (t, body) -> frames.add(new Frame(t, body)));
      } catch (FrameDecoder.FrameException e) {
        socket.close();
      }
    });
    socket.closeHandler(v -> closed = true);
    socket.resume(); // TlsUpgrade leaves it paused until a handler is set
  }

  /** Connects over TLS with a certificate of {@code certKey}, or over plain TCP if it is null. */
  static RawPeer connect(Vertx vertx, int port, KeyPair certKey) {
    return connect(vertx, port, certKey, ATTACKER_HOST);
  }

  static RawPeer connect(Vertx vertx, int port, KeyPair certKey, String localHost) {
    NetClient client = vertx.createNetClient(new NetClientOptions().setLocalAddress(localHost).setConnectTimeout(5000));
    TlsIdentity identity = certKey == null ? null : TlsIdentity.ephemeral(certKey);
    // The connect is started on an event loop, so that the callback below is registered before the connection
    // completes and runs in the turn that creates the socket: the banner reader (or the RawPeer's handler) is in
    // place before the first read. Started from this thread, the connect could complete before compose() was
    // called; the callback then ran as a later task and the banner, read first, was dropped by the handler-less
    // socket (seen once in CI: the node timed out TLS and TlsUpgrade read its alert, "first bytes ...Z").
    io.vertx.core.Promise<RawPeer> peer = io.vertx.core.Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> client.connect(port, "127.0.0.1").compose(s -> identity == null
        ? io.vertx.core.Future.succeededFuture(new RawPeer(client, s))
        : TlsUpgrade.client(vertx, s, identity, 5000).map(id -> new RawPeer(client, s))).onComplete(peer));
    return TestNet.get(peer.future(), "raw connect");
  }

  void send(int type, byte[] body) {
    socket.write(Frames.encode(type, body));
  }

  void raw(Buffer bytes) {
    socket.write(bytes);
  }

  Frame next(Duration timeout) {
    try {
      return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** The next frame of {@code type}, skipping others (PINGs); null on timeout. */
  Frame next(int type, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Frame f = next(Duration.ofNanos(deadline - System.nanoTime()));
      if (f != null && f.type() == type) {
        return f;
      }
    }
    return null;
  }

  /** A hello as {@code claimed} for {@code genesis}, with the given nonce. */
  static Hello hello(Genesis genesis, NodeId claimed, byte[] nonce) {
    return new Hello(Hello.PROTOCOL_VERSION, genesis.chainId(), genesis.hash(), claimed, EnumSet.of(Role.OBSERVER), null, 0, nonce);
  }

  /**
   * Runs the whole handshake as {@code signer} claiming {@code hello}; returns the server's answer to AUTH
   * (null if it accepted, else its DISCONNECT).
   */
  Messages.Disconnect handshake(Genesis genesis, KeyPair signer, Hello hello) {
    Frame theirs = next(Frames.HELLO, Duration.ofSeconds(5));
    byte[] mine = hello.encode();
    send(Frames.HELLO, mine);
    if (theirs == null) {
      throw new AssertionError("no HELLO from the node");
    }
    byte[] sig = signer.sign(SignatureDomain.HANDSHAKE, genesis.chainId(), Handshake.transcript(mine, theirs.body())).bytes();
    send(Frames.AUTH, sig);
    return awaitVerdict();
  }

  /**
   * Waits for the node's verdict on our AUTH: a DISCONNECT (refused), or the first frame it sends only on
   * an open connection, GET_PEERS or PING (accepted).
   */
  Messages.Disconnect awaitVerdict() {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      Frame f = next(Duration.ofMillis(50));
      if (f == null) {
        continue;
      }
      if (f.type() == Frames.GET_PEERS || f.type() == Frames.PING) {
        return null;
      }
      if (f.type() == Frames.DISCONNECT) {
        return Messages.readDisconnect(f.body());
      }
    }
    throw new AssertionError("no verdict from the node on our AUTH");
  }

  Messages.Disconnect awaitDisconnect(Duration timeout) {
    Frame f = next(Frames.DISCONNECT, timeout);
    return f == null ? null : Messages.readDisconnect(f.body());
  }

  void awaitClosed(Duration timeout) {
    TestNet.await("raw peer's socket closes", timeout, () -> closed);
  }

  @Override
  public void close() {
    socket.close();
    client.close();
  }
}
