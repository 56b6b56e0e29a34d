package org.meshledger.spi;

import org.meshledger.Gossip;

/**
 * How a message travels: a deterministic state machine, one instance per node, that decides for each new
 * message which peers get it, when, and as a payload, an announcement or a stem. It sees the world only
 * through the {@link SpreadingContext} given to {@link #start}; the same instance runs unchanged on real
 * sockets and in the simulator.
 *
 * <p>The engine calls the {@code on*} methods on the node's thread, one at a time, after {@link #start}, and
 * only for news: a message is reported once as it first arrives in each phase (stem, then public), never
 * for duplicates.
 */
public interface SpreadingProtocol {

  /** Binds this instance to its node. Called once, before any other method. */
  void start(SpreadingContext context);

  /** The host published {@code gossip} here; it is private until the protocol relays it. */
  void onPublish(Gossip gossip);

  /**
   * {@code gossip} arrived from {@code from} for the first time in {@code phase}. A message that arrives in the
   * public phase is already public and delivered here when this is called.
   */
  void onReceive(Gossip gossip, Peer from, Phase phase);

  /** A private message arrived on a stem again: the stem has looped. The default does nothing. */
  default void onStemLoop(Gossip gossip, Peer from) {}

  /** A connection opened. The default does nothing. */
  default void onPeerConnected(Peer peer) {}

  /** A connection closed; frames to it are dropped from now on. The default does nothing. */
  default void onPeerDisconnected(Peer peer) {}

  /** The two phases of a message. Flooding and diffusion use the public phase only. */
  enum Phase {
    /** Private, passed along one path (Dandelion++'s anonymity phase). */
    STEM,
    /** Public, spread to everyone (the "fluff" phase). */
    FLUFF
  }
}
