package org.meshledger.simulation;

import java.util.SplittableRandom;
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
  private final SplittableRandom random;
  private IntPredicate partition;
  final long[] framesReceived = new long[Kind.values().length];
  final long[] bytesReceived = new long[Kind.values().length];
  long framesLost;

  Network(Simulation sim, SimulationOptions options, SplittableRandom random) {
    this.sim = sim;
    this.latency = options.getLatency();
    this.loss = options.getLossProbability();
    this.uplinkBytesPerSecond = options.getUplinkBytesPerSecond();
    this.random = random;
  }

  /** Frames between the two sides of {@code sideA} are lost from now on; null heals. */
  void partition(IntPredicate sideA) {
    this.partition = sideA;
  }

  // A frame in flight is queued as plain fields (EventQueue.addFrame): its kind, connection and target packed
  // in one long, the receiving end of the connection, and the message (or its id). The frame object is made
  // again on arrival: an equal record, so the relay cannot tell, and no object per frame waits in the queue.
  private static final int ANNOUNCE = 0;
  private static final int REQUEST = 1;
  private static final int PAYLOAD = 2;
  private static final int STEM = 3;
  private static final long MASK31 = 0x7fff_ffffL;

  void transmit(SimNode sender, SimPeer peer, SpreadFrame frame) {
    if (!sim.running(sender.index) || !sim.linkUp(peer.link)) {
      return;
    }
    if ((partition != null && partition.test(sender.index) != partition.test(peer.remote))
        || (loss > 0 && random.nextDouble() < loss)) {
      framesLost++;
      return;
    }
    long now = sim.nowNanos();
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
    long arrives = departs + Math.max(0, latency.sampleNanos(sender.index, peer.remote, random));
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
    sim.enqueueFrame(arrives, (long) kind << 62 | (peer.link & MASK31) << 31 | (peer.remote & MASK31), peer.reverse, message);
  }

  /** A frame queued by {@link #transmit} is due: it reaches its target if that runs and the connection is up. */
  void deliver(long aux, SimPeer from, Object message) {
    int target = (int) (aux & MASK31);
    if (!sim.running(target) || !sim.linkUp((int) ((aux >>> 31) & MASK31))) {
      return;
    }
    SpreadFrame frame = switch ((int) (aux >>> 62)) {
      case ANNOUNCE -> new SpreadFrame.Announce((Hash) message);
      case REQUEST -> new SpreadFrame.Request((Hash) message);
      case PAYLOAD -> new SpreadFrame.Payload((Gossip) message);
      default -> new SpreadFrame.Stem((Gossip) message);
    };
    int k = frame.kind().ordinal();
    framesReceived[k]++;
    bytesReceived[k] += frame.encodedSize();
    sim.receive(target, from, frame);
  }
}
