package org.meshledger.simulation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.meshledger.chain.NodeId;
import org.meshledger.impl.spreading.Relay;
import org.meshledger.impl.spreading.RelayPropagator;
import org.meshledger.spi.Cancellable;
import org.meshledger.spi.Peer;
import org.meshledger.spi.SpreadFrame;
import org.meshledger.spi.SpreadingRuntime;

/** The runtime of one simulated node: virtual time, the simulation's queue, its own seeded random source. */
final class SimNode implements SpreadingRuntime {
  final int index;
  final NodeId id;
  private final Simulation sim;
  final List<SimPeer> peers = new ArrayList<>(8);
  private final List<Peer> peersView = Collections.unmodifiableList(peers);
  /**
   * The node's own seeded source: its protocol's draws, and the network's draws for the frames it sends (loss,
   * latency), so that the lane that runs the node is the only one that draws from it.
   */
  final SplittableRandom random;
  /** The lane that runs this node. */
  final Lane lane;
  /** How many events this node has scheduled: the low bits of their keys ({@link #nextKey}). */
  private long scheduled;
  Relay relay;
  RelayPropagator propagator;
  boolean alive = true;
  boolean crashed;
  long uplinkFreeAt;

  /** Node numbers stay below 2^27 (keys keep the number above 36 bits of count). */
  static final int MAX_NODES = 1 << 27;
  private static final int COUNT_BITS = 36;

  SimNode(Simulation sim, int index, long seed, Lane lane) {
    this.sim = sim;
    this.index = index;
    this.lane = lane;
    this.id = idOf(index);
    this.random = new SplittableRandom(seed);
  }

  static NodeId idOf(int index) {
    byte[] key = new byte[NodeId.BYTES];
    key[0] = 0x5a; // not a real key: simulated nodes sign nothing
    key[28] = (byte) (index >>> 24);
    key[29] = (byte) (index >>> 16);
    key[30] = (byte) (index >>> 8);
    key[31] = (byte) index;
    return new NodeId(key);
  }

  /**
   * The key of the next event this node schedules (a frame it sends, a timer): its number, then its own count.
   * Events due at one instant run in key order, which depends neither on the number of lanes nor on when a
   * frame from another lane was queued.
   */
  long nextKey() {
    return (long) index << COUNT_BITS | scheduled++;
  }

  boolean running() {
    return alive && !crashed;
  }

  @Override
  public NodeId self() {
    return id;
  }

  @Override
  public long nanoTime() {
    return lane.now;
  }

  @Override
  public Cancellable schedule(long delayNanos, Runnable task) {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("delay cannot be negative: " + delayNanos);
    }
    return sim.scheduleTimer(this, delayNanos, task);
  }

  @Override
  public List<Peer> peers() {
    return peersView;
  }

  @Override
  public RandomGenerator random() {
    return random;
  }

  @Override
  public void send(Peer peer, SpreadFrame frame) {
    sim.transmit(this, (SimPeer) peer, frame);
  }

  @Override
  public void sendLater(Peer peer, SpreadFrame frame, long delayNanos) {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("delay cannot be negative: " + delayNanos);
    }
    sim.transmitLater(this, (SimPeer) peer, frame, delayNanos);
  }
}
