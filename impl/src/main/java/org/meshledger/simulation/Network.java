package org.meshledger.simulation;

import java.util.SplittableRandom;
import java.util.function.IntToLongFunction;
import java.util.function.IntPredicate;
import org.meshledger.PropagationStats.Kind;
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

  void transmit(SimNode sender, SimPeer peer, SpreadFrame frame) {
    if (!sender.running() || !peer.connected) {
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
    SimNode target = sim.nodeAt(peer.remote);
    SimPeer from = peer.reverse;
    sim.enqueue(arrives, new EventQueue.Event() {
      @Override
      void fire() {
        if (target.running() && from.connected) {
          int k = frame.kind().ordinal();
          framesReceived[k]++;
          bytesReceived[k] += frame.encodedSize();
          sim.receive(target, from, frame);
        }
      }
    });
  }
}
