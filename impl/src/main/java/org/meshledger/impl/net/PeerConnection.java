package org.meshledger.impl.net;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.meshledger.PeerAddress;
import org.meshledger.chain.NodeId;
import org.meshledger.codec.DecodeException;
import org.meshledger.genesis.Role;
import org.meshledger.impl.net.FrameDecoder.FrameException;
import org.meshledger.impl.net.Handshake.Refusal;
import org.meshledger.spi.Peer;

/**
 * One connection to another node: its handshake, framing, keepalive and coalesced output. Lives on its
 * {@link Network}'s context; call {@link #send} and {@link #close} there (from another thread they hop onto
 * it). {@link #id()} and the other handshake facts are valid once {@link NetworkListener#onConnected} has
 * reported the connection. Two connections are equal only if they are the same object.
 */
public final class PeerConnection implements Peer {
  private enum State { HANDSHAKING, OPEN, CLOSED }

  private final Network net;
  private final NetSocket socket;
  private final Direction direction;
  private final PeerAddress dialed;
  private final NodeId certKey;
  private final FrameDecoder decoder;
  private final long openedAt;

  private State state = State.HANDSHAKING;
  private byte[] ownHello;
  private byte[] peerHello;
  private Hello hello;
  private Set<Role> roles = Set.of();
  private PeerAddress listen;
  private long lastFrameAt;
  private long frameStartedAt;
  private long pingToken;
  private long pingSentNanos;
  private long lastPingAt;
  private long lastGetPeersAt = Long.MIN_VALUE / 2;
  private boolean askedForPeers;
  private volatile long rttNanos = -1;
  private final FrameWriter writer;
  private Reason closeReason;
  private boolean socketClosed;
  private long framesIn;

  PeerConnection(Network net, NetSocket socket, Direction direction, PeerAddress dialed, NodeId certKey) {
    this.net = net;
    this.socket = socket;
    this.direction = direction;
    this.dialed = dialed;
    this.certKey = certKey;
    this.decoder = new FrameDecoder(net.config().getMaxFrameBytes());
    this.openedAt = net.nowMillis();
    this.lastFrameAt = openedAt;
    this.writer = new FrameWriter(socket, net.maxQueuedBytes(), net::runOnLoop, text -> close(Reason.SLOW_READER, text));
  }

  /** Starts reading and sends this side's HELLO. */
  void start() {
    socket.handler(this::onData);
    socket.closeHandler(v -> {
      socketClosed = true;
      finish(Reason.CONNECTION_LOST, "socket closed by the peer");
    });
    socket.exceptionHandler(e -> close(Reason.CONNECTION_LOST, e.toString()));
    Hello mine = net.ownHello();
    ownHello = mine.encode();
    write(Frames.HELLO, ownHello);
    // TlsUpgrade leaves the socket paused so that data which came in with the end of TLS waits for onData;
    // resumed last, since onData may deliver the peer's HELLO at once and answering it needs ours.
    socket.resume();
  }

  // ---- what the application sees ---------------------------------------------------------------

  @Override
  public NodeId id() {
    return hello == null ? null : hello.node();
  }

  @Override
  public Direction direction() {
    return direction;
  }

  /** The remote end of the socket, as {@code ip:port}. */
  public String remoteAddress() {
    return socket.remoteAddress().toString();
  }

  /** The remote IP address, without the port. */
  String remoteHost() {
    return socket.remoteAddress().hostAddress();
  }

  /** Where the peer accepts connections (from its HELLO), if it listens. */
  public Optional<PeerAddress> listenAddress() {
    return Optional.ofNullable(listen);
  }

  /** The peer's roles: from the genesis in a permissioned network, as claimed in an open one. */
  public Set<Role> roles() {
    return roles;
  }

  /** The peer's chain height when it connected. */
  public long height() {
    return hello == null ? 0 : hello.height();
  }

  /** The last round trip measured by PING/PONG; empty until the first PONG. Safe from any thread. */
  public Optional<Duration> latency() {
    long rtt = rttNanos;
    return rtt < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(rtt));
  }

  /** True once the handshake completed and until the connection closes. */
  public boolean isOpen() {
    return state == State.OPEN;
  }

  /**
   * Queues an application frame ({@link Frames#APP_MIN}..{@link Frames#APP_MAX}); frames queued in one
   * event-loop turn leave in one write. Returns false if the connection is not open.
   *
   * @throws IllegalArgumentException for a type outside the application range or a body over the maximum
   */
  public boolean send(int type, byte[] body) {
    if (!Frames.isApplication(type)) {
      throw new IllegalArgumentException(String.format("type 0x%02X is not an application type (0x40..0x7F)", type));
    }
    if (1 + body.length > net.config().getMaxFrameBytes()) {
      throw new IllegalArgumentException("frame of " + (1 + body.length) + " bytes exceeds maxFrameBytes " + net.config().getMaxFrameBytes());
    }
    if (!net.onLoop()) {
      byte[] copy = body.clone();
      net.runOnLoop(() -> send(type, copy));
      return state != State.CLOSED;
    }
    if (state != State.OPEN) {
      return false;
    }
    write(type, body);
    return true;
  }

  /** False while output waits for the peer to read; then {@link #whenWritable} says when to go on. */
  public boolean isWritable() {
    return state == State.OPEN && writer.writable();
  }

  /** Runs {@code action} once on the context when output drains (soon, if it has). */
  public void whenWritable(Runnable action) {
    writer.whenWritable(action);
  }

  /** Closes with {@link Reason#APPLICATION} and {@code text}, telling the peer why. */
  public void close(String text) {
    if (!net.onLoop()) {
      net.runOnLoop(() -> close(text));
      return;
    }
    close(Reason.APPLICATION, text);
  }

  // ---- output ---------------------------------------------------------------------------------

  void write(int type, byte[] body) {
    net.stats().framesOut.increment();
    net.stats().bytesOut.add(Frames.HEADER_BYTES + 1L + body.length);
    writer.write(type, body);
  }

  // ---- input ----------------------------------------------------------------------------------

  private void onData(Buffer chunk) {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasInFrame = decoder.inFrame();
    long framesBefore = framesIn;
    try {
      net.stats().bytesIn.add(chunk.length());
      decoder.feed(chunk, this::onFrame);
    } catch (FrameException e) {
      violation(e.reason, e.getMessage());
      return;
    }
    long now = net.nowMillis();
    if (framesIn != framesBefore) {
      lastFrameAt = now;
    }
    if (!decoder.inFrame()) {
      frameStartedAt = 0;
    } else if (!wasInFrame || framesIn != framesBefore) {
      frameStartedAt = now;
    }
  }

  private boolean onFrame(int type, byte[] body) {
    framesIn++;
    net.stats().framesIn.increment();
    try {
      if (type == Frames.DISCONNECT) {
        Messages.Disconnect d = Messages.readDisconnect(body);
        net.admission().remoteDisconnect(this, d);
        closeQuietly(d.reason(), "peer said: " + d.text());
        return false;
      }
      if (state == State.HANDSHAKING) {
        return handshakeFrame(type, body);
      }
      if (state != State.OPEN) {
        return false;
      }
      switch (type) {
        case Frames.PING -> write(Frames.PONG, Messages.token(Messages.readToken(body)));
        case Frames.PONG -> {
          if (Messages.readToken(body) == pingToken && pingSentNanos != 0) {
            rttNanos = System.nanoTime() - pingSentNanos;
            pingSentNanos = 0;
          }
        }
        case Frames.GET_PEERS -> {
          Messages.empty(body, "get peers");
          long now = net.nowMillis();
          if (now - lastGetPeersAt >= net.config().getPeerExchangeInterval().toMillis() / 4) {
            lastGetPeersAt = now;
            write(Frames.PEERS, Messages.peers(net.peersFor(this)));
          }
        }
        case Frames.PEERS -> {
          var list = Messages.readPeers(body);
          if (!askedForPeers) {
            net.penalize(this, 5, "unsolicited PEERS");
          }
          askedForPeers = false;
          net.learned(this, list);
        }
        default -> {
          if (!Frames.isApplication(type)) {
            return violation(Reason.PROTOCOL_VIOLATION, "unexpected frame " + Frames.name(type) + " after the handshake");
          }
          net.listener().onMessage(this, type, body);
        }
      }
      return state == State.OPEN;
    } catch (DecodeException e) {
      return violation(Reason.PROTOCOL_VIOLATION, "bad " + Frames.name(type) + " body: " + e.getMessage());
    } catch (RuntimeException e) {
      net.log().log(System.Logger.Level.ERROR, "handler failed on a frame from " + this + "; closing the connection", e);
      close(Reason.PROTOCOL_VIOLATION, "internal error handling " + Frames.name(type));
      return false;
    }
  }

  private boolean handshakeFrame(int type, byte[] body) {
    if (type == Frames.HELLO && peerHello == null) {
      int version = Hello.peekVersion(body);
      if (version != Hello.PROTOCOL_VERSION && version >= 0) {
        return refuse(new Refusal(Reason.PROTOCOL_VERSION, "peer speaks protocol version " + version + ", this node "
            + Hello.PROTOCOL_VERSION));
      }
      Hello h = Hello.decode(body);
      Refusal r = net.admission().checkHello(this, h, certKey);
      if (r != null) {
        hello = h;
        return refuse(r);
      }
      hello = h;
      peerHello = body;
      roles = net.handshake().rolesOf(h);
      listen = net.admission().listenAddressOf(this, h);
      write(Frames.AUTH, net.handshake().sign(ownHello, peerHello));
      return true;
    }
    if (type == Frames.AUTH && peerHello != null) {
      if (!net.handshake().verify(hello.node(), peerHello, ownHello, body)) {
        return refuse(new Refusal(Reason.BAD_SIGNATURE, "AUTH signature over both hellos does not verify for " + hello.node()));
      }
      Refusal r = net.admission().authenticated(this);
      if (r != null) {
        return refuse(r);
      }
      state = State.OPEN;
      lastPingAt = net.nowMillis();
      net.opened(this);
      return state == State.OPEN;
    }
    return violation(Reason.PROTOCOL_VIOLATION, "unexpected frame " + Frames.name(type) + " during the handshake");
  }

  private boolean refuse(Refusal r) {
    net.admission().refused(this, r);
    close(r.reason(), r.text(), r.reason() == Reason.TOO_MANY_PEERS ? net.peersFor(this) : java.util.List.of());
    return false;
  }

  private boolean violation(Reason reason, String text) {
    net.penalize(this, reason.penalty(), text);
    close(reason, text);
    return false;
  }

  // ---- timers (called by the network's tick) --------------------------------------------------

  void tick(long now) {
    NetworkConfig c = net.config();
    if (state == State.HANDSHAKING && now - openedAt > c.getHandshakeTimeout().toMillis()) {
      violation(Reason.HANDSHAKE_TIMEOUT, "handshake not finished after " + c.getHandshakeTimeout().toMillis() + " ms");
    } else if (frameStartedAt != 0 && now - frameStartedAt > c.getFrameTimeout().toMillis()) {
      violation(Reason.SLOW_SENDER, "a frame has been arriving for over " + c.getFrameTimeout().toMillis() + " ms ("
          + decoder.buffered() + " bytes so far)");
    } else if (state == State.OPEN && now - lastFrameAt > c.getIdleTimeout().toMillis()) {
      close(Reason.IDLE_TIMEOUT, "no frame for " + (now - lastFrameAt) + " ms");
    } else if (state == State.OPEN && now - lastPingAt >= c.getKeepaliveInterval().toMillis()) {
      lastPingAt = now;
      pingToken = net.random().nextLong();
      pingSentNanos = System.nanoTime();
      write(Frames.PING, Messages.token(pingToken));
    }
  }

  void askForPeers() {
    if (state == State.OPEN) {
      askedForPeers = true;
      write(Frames.GET_PEERS, new byte[0]);
    }
  }

  // ---- closing --------------------------------------------------------------------------------

  /** Tells the peer why (a DISCONNECT frame, unless it does not read) and closes the socket. */
  void close(Reason reason, String text) {
    close(reason, text, java.util.List.of());
  }

  void close(Reason reason, String text, java.util.List<Messages.KnownPeer> alternatives) {
    if (state == State.CLOSED) {
      return;
    }
    if (reason == Reason.SLOW_READER || reason == Reason.CONNECTION_LOST) {
      writer.discard();
      finish(reason, text);
      Sockets.abort(socket); // a graceful close would wait forever to flush to a peer that does not read
      return;
    }
    writer.closeWith(Frames.encode(Frames.DISCONNECT, Messages.disconnect(reason, text, alternatives)));
    finish(reason, text);
    socket.close();
    net.abortLater(socket, () -> socketClosed);
  }

  private void closeQuietly(Reason reason, String text) {
    if (state != State.CLOSED) {
      writer.discard();
      finish(reason, text);
      socket.close();
      net.abortLater(socket, () -> socketClosed);
    }
  }

  /** Marks the connection closed and tells the network at once, whatever the socket still does. */
  private void finish(Reason reason, String text) {
    if (state == State.CLOSED && closeReason != null) {
      return;
    }
    state = State.CLOSED;
    closeReason = reason;
    net.connectionClosed(this, reason, text);
  }

  private boolean openedOnce;

  void markOpened() {
    openedOnce = true;
  }

  boolean openedOnce() {
    return openedOnce;
  }

  boolean handshaking() {
    return state == State.HANDSHAKING;
  }

  boolean closed() {
    return state == State.CLOSED;
  }

  PeerAddress dialed() {
    return dialed;
  }

  Hello hello() {
    return hello;
  }

  @Override
  public String toString() {
    String who = hello == null ? "?" : hello.node().toHex().substring(0, 12);
    return "peer " + who + " (" + (direction == Direction.OUTBOUND ? "out to " : "in from ") + socket.remoteAddress() + ")";
  }
}
