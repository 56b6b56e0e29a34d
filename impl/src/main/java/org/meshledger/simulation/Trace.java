package org.meshledger.simulation;

import java.util.Arrays;
import java.util.BitSet;
import org.meshledger.Gossip;

/** What the simulation recorded about one published message. */
final class Trace {
  final Gossip gossip;
  final int origin;
  final long publishedAt;
  /** Delay from publication to delivery per node, -1 until delivered; sized to the network at publication. */
  final long[] arrival;
  /** The honest nodes the message can reach: the origin's live component at publication, spies and origin excluded. */
  final BitSet targets;
  final boolean originIsSpy;
  /** Nodes running when it was published, spies included: they all receive frames, the denominator of bandwidth. */
  final int running;
  int firstSpyFrom = -1;
  long firstSpyAt = -1;

  Trace(Gossip gossip, int origin, long publishedAt, int size, BitSet targets, boolean originIsSpy, int running) {
    this.running = running;
    this.gossip = gossip;
    this.origin = origin;
    this.publishedAt = publishedAt;
    this.arrival = new long[size];
    Arrays.fill(arrival, -1);
    this.targets = targets;
    this.originIsSpy = originIsSpy;
  }
}
