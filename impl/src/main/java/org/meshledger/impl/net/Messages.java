package org.meshledger.impl.net;

import java.util.ArrayList;
import java.util.List;
import org.meshledger.PeerAddress;
import org.meshledger.chain.NodeId;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;

/** Bodies of the network layer's small messages: DISCONNECT, PING/PONG, PEERS. All decoders are bounded. */
final class Messages {
  /** At most this many entries in a PEERS list or a TOO_MANY_PEERS hint. */
  static final int MAX_PEERS = 32;
  /** Texts in DISCONNECT frames are cut to this many bytes. */
  static final int MAX_TEXT_BYTES = 256;

  private Messages() {}

  /** A known peer: its id and where it listens. */
  record KnownPeer(NodeId id, PeerAddress address) {}

  /** A DISCONNECT body. */
  record Disconnect(Reason reason, String text, List<KnownPeer> alternatives) {}

  static byte[] disconnect(Reason reason, String text, List<KnownPeer> alternatives) {
    CanonicalWriter w = new CanonicalWriter(64);
    w.u8(reason.code()).string(cut(text));
    writePeers(w, alternatives);
    return w.toByteArray();
  }

  static Disconnect readDisconnect(byte[] body) {
    CanonicalReader r = new CanonicalReader(body);
    Reason reason = Reason.of(r.u8("disconnect reason"));
    String text = r.string(MAX_TEXT_BYTES, "disconnect text");
    List<KnownPeer> peers = readPeers(r);
    r.end("disconnect");
    return new Disconnect(reason, text, peers);
  }

  static byte[] peers(List<KnownPeer> peers) {
    CanonicalWriter w = new CanonicalWriter(16 + 64 * peers.size());
    writePeers(w, peers);
    return w.toByteArray();
  }

  static List<KnownPeer> readPeers(byte[] body) {
    CanonicalReader r = new CanonicalReader(body);
    List<KnownPeer> peers = readPeers(r);
    r.end("peers");
    return peers;
  }

  private static void writePeers(CanonicalWriter w, List<KnownPeer> peers) {
    int n = Math.min(peers.size(), MAX_PEERS);
    w.count(n);
    for (KnownPeer p : peers.subList(0, n)) {
      p.id().writeTo(w);
      p.address().writeTo(w);
    }
  }

  private static List<KnownPeer> readPeers(CanonicalReader r) {
    int n = r.count(MAX_PEERS, NodeId.BYTES + PeerAddress.minEncodedSize(), "peers");
    List<KnownPeer> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new KnownPeer(NodeId.readFrom(r, "peer id"), PeerAddress.readFrom(r, "peer address")));
    }
    return out;
  }

  static byte[] token(long token) {
    return new CanonicalWriter(8).i64(token).toByteArray();
  }

  static long readToken(byte[] body) {
    CanonicalReader r = new CanonicalReader(body);
    long t = r.i64("ping token");
    r.end("ping");
    return t;
  }

  static void empty(byte[] body, String what) {
    if (body.length != 0) {
      throw new DecodeException(what + ": expected an empty body, got " + body.length + " bytes");
    }
  }

  /** {@code text} cut to at most {@link #MAX_TEXT_BYTES} UTF-8 bytes on a character boundary. */
  static String cut(String text) {
    String s = text == null ? "" : text;
    while (s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
      s = s.substring(0, s.length() - Math.max(1, s.length() / 8));
    }
    return s;
  }
}
