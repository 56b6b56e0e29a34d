package org.meshledger.spi;

import java.util.List;
import java.util.random.RandomGenerator;
import org.meshledger.chain.NodeId;

/**
 * The world as protocol logic sees it: time, timers, peers, randomness and a way to send. Protocol code
 * reaches nothing else (no clock, no {@code new Random()}, no sleep, no socket), so the same code runs on
 * real sockets and, event for event and seed for seed, inside the discrete-event simulator.
 *
 * <p><b>Threading.</b> A runtime calls its node's protocol code from one thread at a time (the node's event
 * loop, or the simulator's thread), and protocol code calls the runtime from there only. Nothing here blocks.
 */
public interface SpreadingRuntime {

  /** This node. */
  NodeId self();

  /**
   * The current time in nanoseconds, monotonic, from an arbitrary origin: virtual in a simulation, so only
   * differences mean anything.
   */
  long nanoTime();

  /**
   * Runs {@code task} on this node's thread after {@code delayNanos} (at least 0). Tasks due at the same time
   * run in the order they were scheduled. A task of a node that has stopped never runs.
   */
  Cancellable schedule(long delayNanos, Runnable task);

  /** The connected peers, in a stable order; a live view that must not be kept past the current event. */
  List<Peer> peers();

  /** This node's seeded random source: the only randomness protocol code may use. */
  RandomGenerator random();

  /**
   * Sends {@code frame} to {@code peer}, asynchronously and without waiting. A frame to a peer that has
   * disconnected is dropped silently: protocols learn of the loss from the disconnection, not from here.
   */
  void send(Peer peer, SpreadFrame frame);

  /**
   * Sends {@code frame} to {@code peer} once {@code delayNanos} (at least 0) have passed, unless this node has
   * stopped or the connection has closed by then: the same as {@code schedule(delayNanos, () -> send(peer,
   * frame))}, which is what this default does, but without a cancel handle, so a runtime may carry the frame
   * without a timer. The simulator does: it queues the frame's arrival at once, one event instead of two
   * (a diffusion sends most of its frames this way; see ADR 022). Frames sent later to one peer may overtake
   * each other, as any frames may.
   */
  default void sendLater(Peer peer, SpreadFrame frame, long delayNanos) {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("delay cannot be negative: " + delayNanos);
    }
    schedule(delayNanos, () -> send(peer, frame));
  }
}
