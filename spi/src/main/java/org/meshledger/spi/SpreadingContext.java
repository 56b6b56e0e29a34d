package org.meshledger.spi;

import org.meshledger.Gossip;
import org.meshledger.chain.Hash;

/**
 * What a {@link SpreadingProtocol} acts through: the node's {@link SpreadingRuntime} plus the relay engine
 * that the runtime provides around every protocol. The engine answers requests, pulls announced messages it
 * lacks (asking the next announcer when one does not answer), suppresses duplicates with a bounded seen-cache
 * and counts every frame; the protocol only decides who gets what, when, and in which form.
 *
 * <p><b>Public and private messages.</b> A message received as a payload or an announcement is public: the
 * engine delivers it to the host and serves it to peers that request it. A message received on a stem, or
 * published here, is private until the protocol {@link #push pushes}, {@link #announce announces} or
 * {@link #makePublic makes public} it: the engine serves it to nobody, so a peer cannot probe who holds it.
 */
public interface SpreadingContext {

  /** Time, timers, peers and randomness. */
  SpreadingRuntime runtime();

  /** Sends the full message to {@code peer}; makes it public here first. */
  void push(Peer peer, Gossip gossip);

  /** Offers the message's id to {@code peer}, which requests it if it lacks it; makes it public here first. */
  void announce(Peer peer, Gossip gossip);

  /** Pushes or announces, as {@code mode} says. */
  default void relay(Peer peer, Gossip gossip, RelayMode mode) {
    if (mode == RelayMode.PUSH) {
      push(peer, gossip);
    } else {
      announce(peer, gossip);
    }
  }

  /**
   * Pushes or announces, as {@code mode} says, once {@code delayNanos} (at least 0) have passed, unless this
   * node has stopped or the connection has closed by then; makes the message public here now. Not
   * cancellable: what a diffusion does with each peer's random delay. This default runs {@link #relay} on a
   * timer; the relay engine hands the frame to {@link SpreadingRuntime#sendLater} instead, and counts it as
   * sent now.
   */
  default void relayLater(Peer peer, Gossip gossip, RelayMode mode, long delayNanos) {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("delay cannot be negative: " + delayNanos);
    }
    makePublic(gossip);
    runtime().schedule(delayNanos, () -> relay(peer, gossip, mode));
  }

  /** Sends the message privately to {@code peer} in the stem phase; it stays private here. */
  void stem(Peer peer, Gossip gossip);

  /**
   * Makes a held message public here: delivers it to the host and lets peers request it.
   *
   * @return false if it already was
   */
  boolean makePublic(Gossip gossip);

  /** True if the message with {@code id} is public here (published and spread, or received in the fluff phase). */
  boolean isPublic(Hash id);
}
