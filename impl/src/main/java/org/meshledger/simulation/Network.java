package org.meshledger.simulation;

import java.util.ArrayList;
import java.util.function.IntToLongFunction;
import java.util.function.IntPredicate;
import org.meshledger.Gossip;
import org.meshledger.PropagationStats.Kind;
import org.meshledger.chain.Hash;
import org.meshledger.spi.SpreadFrame;

/**
 * The wire between simulated nodes: partitions and loss decide whether a frame goes, the sender's upload
 * bandwidth when it leaves, the latency model when it arrives. Counts what arrives, per kind.
 */
final class Network {
  private final Simulation sim;
  private final LatencyModel latency;
  private final double loss;
  private final IntToLongFunction uplinkBytesPerSecond;
  private IntPredicate partition;
  /**
   * Every partition and heal so far, by time (a heal is a null side): a frame sent later meets the partition in
   * force when it leaves, not when it was handed over.
   */
  private final ArrayList<Long> partitionTimes = new ArrayList<>();
  private final ArrayList<IntPredicate> partitions = new ArrayList<>();
  /**
   * Whether every uplink is unlimited: then a frame sent later can be queued for its arrival at once, since
   * when it leaves does not depend on the frames sent before it leaves (ADR 022).
   */
  private final boolean unlimitedUplinks;

  Network(Simulation sim, SimulationOptions options) {
    this.sim = sim;
    this.latency = options.getLatency();
    this.loss = options.getLossProbability();
    this.uplinkBytesPerSecond = options.getUplinkBytesPerSecond();
    this.unlimitedUplinks = uplinkBytesPerSecond == SimulationOptions.UNLIMITED_UPLINK;
  }

  /** Frames between the two sides of {@code sideA} are lost from now on; null heals. */
  void partition(IntPredicate sideA) {
    this.partition = sideA;
    partitionTimes.add(sim.nowNanos());
    partitions.add(sideA);
  }

  /** The partition in force at {@code time} (at or before now), or null. */
  private IntPredicate partitionAt(long time) {
    for (int i = partitionTimes.size() - 1; i >= 0; i--) {
      if (partitionTimes.get(i) <= time) {
        return partitions.get(i);
      }
    }
    return null;
  }

  // A frame in flight is queued as plain fields (EventQueue.addFrame): its kind, connection and target packed
  // in one long, the receiving end of the connection, and the message (or its id). The frame object is made
  // again on arrival: an equal record, so the relay cannot tell, and no object per frame waits in the queue.
  private static final int ANNOUNCE = 0;
  private static final int REQUEST = 1;
  private static final int PAYLOAD = 2;
  private static final int STEM = 3;
  private static final long MASK31 = 0x7fff_ffffL;
  private static final int ANNOUNCE_BYTES = SpreadFrame.HEADER_BYTES + Hash.BYTES;

  // Loss and latency are drawn from the sender's own source (a lane draws only for its own nodes), in the
  // order the sender sends: a run is the same whatever the number of threads.

  void transmit(SimNode sender, SimPeer peer, SpreadFrame frame) {
    if (!sim.running(sender.index) || !sim.linkUp(peer.link)) {
      return;
    }
    Lane lane = sender.lane;
    if ((partition != null && partition.test(sender.index) != partition.test(peer.remote))
        || (loss > 0 && sender.random.nextDouble() < loss)) {
      lane.framesLost++;
      return;
    }
    long now = lane.now;
    long departs = now;
    long bandwidth = uplinkBytesPerSecond.applyAsLong(sender.index);
    if (bandwidth < 0) {
      throw new IllegalStateException("uplink bandwidth of node " + sender.index + " is negative: " + bandwidth);
    }
    if (bandwidth > 0) {
      long start = Math.max(now, sender.uplinkFreeAt);
      sender.uplinkFreeAt = start + frame.encodedSize() * 1_000_000_000L / bandwidth;
      departs = sender.uplinkFreeAt;
    }
    long arrives = departs + Math.max(0, latency.sampleNanos(sender.index, peer.remote, sender.random));
    enqueue(sender, arrives, -1, peer, frame);
  }

  /**
   * A frame that leaves after {@code delay}, unless its sender stops or the connection closes first. With
   * unlimited uplinks it is queued for its arrival at once, one event instead of a timer and a frame: its
   * loss and latency are drawn now (from the same source, in another order), and whether it could leave (the
   * sender still ran, the connection was up, no partition between them) is checked when it arrives. With a
   * limited uplink its place in the sender's queue depends on what leaves before it, so it waits for a timer.
   */
  void transmitLater(SimNode sender, SimPeer peer, SpreadFrame frame, long delay) {
    if (!unlimitedUplinks) {
      sim.scheduleTimer(sender, delay, () -> transmit(sender, peer, frame));
      return;
    }
    // A node that stopped and a connection that closed stay so: a frame that cannot leave now never will.
    if (!sim.running(sender.index) || !sim.linkUp(peer.link)) {
      return;
    }
    if (loss > 0 && sender.random.nextDouble() < loss) {
      sender.lane.framesLost++;
      return;
    }
    long departs = sender.lane.now + delay;
    long arrives = departs + Math.max(0, latency.sampleNanos(sender.index, peer.remote, sender.random));
    enqueue(sender, arrives, departs, peer, frame);
  }

  private void enqueue(SimNode sender, long arrives, long departs, SimPeer peer, SpreadFrame frame) {
    int kind;
    Object message;
    if (frame instanceof SpreadFrame.Announce a) {
      kind = ANNOUNCE;
      message = a.id();
    } else if (frame instanceof SpreadFrame.Request r) {
      kind = REQUEST;
      message = r.id();
    } else if (frame instanceof SpreadFrame.Payload p) {
      kind = PAYLOAD;
      message = p.gossip();
    } else {
      kind = STEM;
      message = ((SpreadFrame.Stem) frame).gossip();
    }
    sim.enqueueFrame(sender, peer.remote, arrives, (long) kind << 62 | (peer.link & MASK31) << 31 | (peer.remote & MASK31), departs,
        peer.reverse, message);
  }

  /** A frame queued by {@link #transmit} is due: it reaches its target if that runs and the connection is up. */
  void deliver(Lane lane, long key, long aux, long departs, SimPeer from, Object message) {
    int target = (int) (aux & MASK31);
    int link = (int) ((aux >>> 31) & MASK31);
    if (departs >= 0 && sim.anyFault()) {
      // Sent later: it left only if its sender still ran when its delay ended. (A connection closes only when
      // one of its ends is removed: the sender's removal is this check, the target's the one below.)
      int sender = from.remote;
      if (!sim.ranAt(sender, departs)) {
        return;
      }
      IntPredicate p = partitionAt(departs);
      if (p != null && p.test(sender) != p.test(target)) {
        lane.framesLost++;
        return;
      }
    }
    if (!sim.running(target) || !sim.linkUp(link)) {
      return;
    }
    int kind = (int) (aux >>> 62);
    if (kind == ANNOUNCE) {
      // Most announcements are duplicates the simulation answers itself: no frame object for those.
      lane.countReceived(Kind.ANNOUNCE, ANNOUNCE_BYTES);
      sim.receiveAnnouncement(lane, key, target, from, (Hash) message);
      return;
    }
    SpreadFrame frame = switch (kind) {
      case REQUEST -> new SpreadFrame.Request((Hash) message);
      case PAYLOAD -> new SpreadFrame.Payload((Gossip) message);
      default -> new SpreadFrame.Stem((Gossip) message);
    };
    lane.countReceived(frame.kind(), frame.encodedSize());
    sim.receive(lane, key, target, from, frame);
  }
}
