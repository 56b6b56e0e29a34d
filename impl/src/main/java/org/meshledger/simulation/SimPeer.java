package org.meshledger.simulation;

import org.meshledger.chain.NodeId;
import org.meshledger.spi.Peer;

/**
 * One end of a simulated connection: node {@code owner}'s view of node {@code remote}. Whether the connection
 * is up is kept by the simulation under its number, {@code link}, which both ends share.
 */
final class SimPeer implements Peer {
  final int owner;
  final int remote;
  final int link;
  private final NodeId id;
  private final Direction direction;
  SimPeer reverse;

  SimPeer(int owner, int remote, int link, NodeId id, Direction direction) {
    this.owner = owner;
    this.remote = remote;
    this.link = link;
    this.id = id;
    this.direction = direction;
  }

  @Override
  public NodeId id() {
    return id;
  }

  @Override
  public Direction direction() {
    return direction;
  }

  // Identity equality (one object per connection end); a hash from the node numbers so that hash maps
  // iterate in the same order in every run.
  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return owner * 0x9E3779B1 + remote;
  }

  @Override
  public String toString() {
    return "peer " + remote + " of " + owner + " (" + direction + ")";
  }
}
