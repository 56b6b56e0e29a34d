/**
 * The network layer: how a node reaches its peers, proves who it is, frames its messages and keeps a healthy
 * set of connections. Internal; the node ({@code org.meshledger.impl.node}) is its only user.
 *
 * <p><b>Shape.</b> {@link org.meshledger.impl.net.Network} is the Vert.x driver: one per node, every bit of
 * its state on one context, so nothing takes a lock. It reports to a
 * {@link org.meshledger.impl.net.NetworkListener} and hands out
 * {@link org.meshledger.impl.net.PeerConnection}s (the SPI's {@code Peer}) for application frames of types
 * {@code 0x40..0x7F}. The decisions are sans-IO and tested without sockets: {@code Handshake} (what to
 * accept), {@code PeerBook} (whom to dial and when, with exponential backoff and jitter from a seed),
 * {@code Bans} (misbehaviour scores and temporary bans), {@code FrameDecoder} (framing with the size check
 * before buffering). The driver side is split by role: {@code Endpoint} (sockets, TLS), {@code Admission}
 * (who is let in), {@code Overlay} (dialing, peer exchange, remembered peers), {@code FrameWriter}
 * (coalesced, bounded output).
 *
 * <p><b>Security.</b> TLS 1.3 with mutual authentication; each certificate is self-signed with the node's
 * Ed25519 identity key ({@code TlsIdentity}), and the handshake requires that key to be the one the peer
 * claims, signed over both sides' fresh nonces, and (in a permissioned network) a genesis member's. Refusals
 * carry a {@link org.meshledger.impl.net.Reason} code that both sides log.
 *
 * <p><b>Bounds.</b> Frames are at most {@code maxFrameBytes}; output waiting for a slow reader is capped;
 * unfinished handshakes, the address book, the score table and the nonce window are bounded; a frame that
 * trickles in is cut off after {@code frameTimeout}. See {@code docs/networking.md} and
 * {@code docs/adr/005-transport.md}.
 */
package org.meshledger.impl.net;
