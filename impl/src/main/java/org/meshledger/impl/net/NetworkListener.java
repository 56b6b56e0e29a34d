package org.meshledger.impl.net;

/**
 * What a {@link Network} reports to the node above it. Every call comes on the network's context, one at a
 * time, so the receiver needs no locks; none may block. A connection is reported by {@link #onConnected}
 * only once its handshake succeeded, and {@link #onDisconnected} follows exactly once for each such report.
 */
public interface NetworkListener {
  /** A peer completed the handshake; {@link PeerConnection#id()} and its other facts are known. */
  void onConnected(PeerConnection peer);

  /** A connection reported by {@link #onConnected} has closed; {@code reason} starts with a {@link Reason} name. */
  void onDisconnected(PeerConnection peer, String reason);

  /**
   * An application frame arrived ({@code type} in {@link Frames#APP_MIN}..{@link Frames#APP_MAX}). The body
   * array belongs to the receiver and has not been parsed: treat it as hostile. To punish a peer for a bad
   * body, call {@link Network#penalize}.
   */
  void onMessage(PeerConnection peer, int type, byte[] body);
}
