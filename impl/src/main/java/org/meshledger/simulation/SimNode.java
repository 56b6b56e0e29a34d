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
  private final SplittableRandom random;
  Relay relay;
  RelayPropagator propagator;
  boolean alive = true;
  boolean crashed;
  long uplinkFreeAt;

  SimNode(Simulation sim, int index, long seed) {
    this.sim = sim;
    this.index = index;
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

  boolean running() {
    return alive && !crashed;
  }

  @Override
  public NodeId self() {
    return id;
  }

  @Override
  public long nanoTime() {
    return sim.nowNanos();
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
