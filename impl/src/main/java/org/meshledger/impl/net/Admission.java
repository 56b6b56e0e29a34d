package org.meshledger.impl.net;

import java.lang.System.Logger.Level;
import org.meshledger.PeerAddress;
import org.meshledger.chain.NodeId;
import org.meshledger.impl.net.Handshake.Refusal;
import org.meshledger.spi.Peer.Direction;

/**
 * Who is let in, for a {@link Network}: the handshake's rules ({@link Handshake}), bans, the inbound cap, the
 * tie-break between two connections to the same node, and the log lines and scores of refusals on both
 * sides. On the network's context only.
 */
final class Admission {
  private final Network net;

  Admission(Network net) {
    this.net = net;
  }

  /** Checks a peer's HELLO: the handshake rules, then bans and the inbound cap. Null means go on. */
  Refusal checkHello(PeerConnection c, Hello h, NodeId certKey) {
    Refusal r = net.handshake().check(h, certKey);
    if (r != null) {
      return r;
    }
    if (!net.config().getLinkAllowed().test(h.node())) {
      return new Refusal(Reason.APPLICATION, "link to " + h.node() + " blocked by this node's link filter");
    }
    if (net.bans().isBanned(Bans.node(h.node()), net.nowMillis())) {
      return new Refusal(Reason.BANNED, "node " + h.node() + " is banned for a while");
    }
    if (c.direction() == Direction.INBOUND && !net.isConnectedTo(h.node()) && net.count(Direction.INBOUND) >= net.config().getMaxInbound()) {
      return new Refusal(Reason.TOO_MANY_PEERS, "this node accepts " + net.config().getMaxInbound() + " inbound peers");
    }
    return null;
  }

  /** The handshake verified; decides between two connections to the same node. */
  Refusal authenticated(PeerConnection c) {
    PeerConnection existing = net.openConnection(c.id());
    if (existing == null) {
      return null;
    }
    // Keep the connection dialed by the smaller node id; both ends compute the same answer.
    NodeId min = net.self().compareTo(c.id()) < 0 ? net.self() : c.id();
    boolean existingPreferred = dialer(existing).equals(min) || dialer(c).equals(dialer(existing));
    if (existingPreferred) {
      return new Refusal(Reason.DUPLICATE, "already connected to " + c.id() + " (" + existing.direction() + ")");
    }
    existing.close(Reason.DUPLICATE, "replaced by the connection dialed by " + min);
    return null;
  }

  private NodeId dialer(PeerConnection c) {
    return c.direction() == Direction.OUTBOUND ? net.self() : c.id();
  }

  void refused(PeerConnection c, Refusal r) {
    net.handshakeFailed();
    Level level = r.reason().penalty() > 0 ? Level.WARNING : Level.INFO;
    net.limited().log(level, "refuse", net.nowMillis(), "refusing " + c + ": " + r.reason() + " (" + r.text() + ")");
    if (r.reason().penalty() > 0) {
      net.penalize(c, r.reason().penalty(), r.reason() + ": " + r.text());
    }
  }

  void remoteDisconnect(PeerConnection c, Messages.Disconnect d) {
    Level level = switch (d.reason()) {
      case DUPLICATE, SHUTDOWN, TOO_MANY_PEERS, IDLE_TIMEOUT, APPLICATION -> Level.INFO;
      default -> c.openedOnce() ? Level.INFO : Level.WARNING;
    };
    net.limited().log(level, "remote", net.nowMillis(), c + " disconnected us: " + d.reason() + " (" + d.text() + ")");
    if (d.reason() == Reason.TOO_MANY_PEERS && c.hello() != null) {
      net.learned(c, d.alternatives());
    }
  }

  PeerAddress listenAddressOf(PeerConnection c, Hello h) {
    PeerAddress a = h.listen();
    if (a == null || !a.isWildcard()) {
      return a;
    }
    return new PeerAddress(c.remoteHost(), a.port());
  }
}
