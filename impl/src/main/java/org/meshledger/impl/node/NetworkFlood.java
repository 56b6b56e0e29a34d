package org.meshledger.impl.node;

import java.util.function.Consumer;
import org.meshledger.chain.NodeId;
import org.meshledger.impl.consensus.ConsensusConfig;
import org.meshledger.impl.consensus.ConsensusFlood;
import org.meshledger.impl.consensus.ConsensusMessage;
import org.meshledger.impl.consensus.SignatureVerifier;
import org.meshledger.impl.net.Network;
import org.meshledger.impl.net.PeerConnection;

/** The consensus flood over a node's {@link Network}: its frames are one network message type, {@link #TYPE}. */
final class NetworkFlood {
  /** Network message type of consensus frames (application range; spreading uses 0x40-0x43). */
  static final int TYPE = 0x50;

  private NetworkFlood() {}

  /** A flood over {@code network}'s connections; on the node's context only. */
  static ConsensusFlood<PeerConnection> over(Network network, ConsensusConfig config, SignatureVerifier verifier,
      Consumer<ConsensusMessage> fresh) {
    return new ConsensusFlood<>(new ConsensusFlood.Host<>() {
      @Override
      public Iterable<PeerConnection> peers() {
        return network.peers();
      }

      @Override
      public NodeId id(PeerConnection peer) {
        return peer.id();
      }

      @Override
      public void send(PeerConnection peer, byte[] body) {
        peer.send(TYPE, body);
      }

      @Override
      public void penalize(PeerConnection peer, int points, String reason) {
        network.penalize(peer, points, reason);
      }
    }, config, verifier, fresh);
  }
}
