package org.meshledger.spi;

import org.meshledger.chain.NodeId;

/**
 * A live connection to another node, as a spreading protocol sees it. The runtime owns peers: it creates one
 * when a connection opens and tells the protocol when it closes. Two peers are equal when they are the same
 * connection; protocols may keep them as map keys for as long as the connection lives.
 */
public interface Peer {

  /** The node at the other end. */
  NodeId id();

  /** Who opened the connection. */
  Direction direction();

  /** True if this node opened the connection: the peers Dandelion++ trusts with its stem. */
  default boolean isOutbound() {
    return direction() == Direction.OUTBOUND;
  }

  /** Who opened a connection. */
  enum Direction {
    /** The peer connected to this node. */
    INBOUND,
    /** This node connected to the peer. */
    OUTBOUND
  }
}
