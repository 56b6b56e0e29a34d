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
  /**
   * By lane, the first frame a spy of that lane heard of it in: at {@code 8 * lane} the time after publication
   * (-1: none yet), the frame's key and the node it came from. Each lane writes only its own, a cache line apart
   * (a record shared by all lanes, behind a lock, bounced between the cores); {@link #firstSpyFrom} merges them.
   */
  private final long[] spy;
  Trace(Gossip gossip, int origin, long publishedAt, int size, BitSet targets, boolean originIsSpy, int running, int lanes) {
    this.spy = new long[8 * lanes];
    for (int i = 0; i < lanes; i++) {
      spy[8 * i] = -1;
    }
    this.running = running;
    this.gossip = gossip;
    this.origin = origin;
    this.publishedAt = publishedAt;
    this.arrival = new long[size];
    Arrays.fill(arrival, -1);
    this.targets = targets;
    this.originIsSpy = originIsSpy;
  }

  /**
   * A spy of lane {@code lane} heard of the message from {@code from}, {@code at} after its publication, in the
   * frame with key {@code key}: kept if it came first in that lane, by time and then by key, as one thread runs
   * them.
   */
  void spyHeard(int lane, int from, long at, long key) {
    int i = 8 * lane;
    long seen = spy[i];
    if (seen < 0 || at < seen || (at == seen && key < spy[i + 1])) {
      spy[i] = at;
      spy[i + 1] = key;
      spy[i + 2] = from;
    }
  }

  /** The node the first spy heard of the message from, of all lanes (by time, then key), or -1 if none has. */
  int firstSpyFrom() {
    int best = -1;
    for (int i = 0; i < spy.length; i += 8) {
      if (spy[i] >= 0 && (best < 0 || spy[i] < spy[best] || (spy[i] == spy[best] && spy[i + 1] < spy[best + 1]))) {
        best = i;
      }
    }
    return best < 0 ? -1 : (int) spy[best + 2];
  }
}
