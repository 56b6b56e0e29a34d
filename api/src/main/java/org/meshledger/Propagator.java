package org.meshledger;

import java.util.Map;
import java.util.function.Consumer;

/**
 * What a host sees of its node's spreading: which protocol runs with which parameters, what it costs in
 * frames and bytes, and a publish/subscribe channel for the host's own ephemeral messages on named topics
 * (presence, quotes, hints: anything that must travel fast and need not be stored on the ledger).
 *
 * <p><b>Delivery.</b> Best effort and at most once per node while the message id is in the node's seen-cache:
 * a message reaches the nodes connected to its origin through live peers, in no particular order relative to
 * other messages, and is not delivered back to the node that published it. Lost messages are not resent.
 *
 * <p><b>Threading.</b> Handlers run on the node's own context (its event loop, or the simulator's thread), one
 * at a time; they must not block. Every method may be called from any thread.
 *
 * <p><b>Outside RUNNING.</b> {@link #spreading()}, {@link #stats()} and {@link #subscribe} work in every state of
 * the node; {@link #publish} needs a running node and refuses otherwise.
 *
 * <p><b>A handler that throws</b> loses that message and nothing else: the exception is logged (at most a few
 * lines a minute per kind of callback) and counted in the meter {@code meshledger.host.callback.failures} with
 * {@code kind=gossip}; the peer that delivered the message is not blamed, and the subscription goes on.
 */
public interface Propagator {

  /** The protocol in use and its effective parameters, defaults included. */
  Spreading spreading();

  /** The protocol's effective parameters, defaults included (the same as {@code spreading().parameters()}). */
  default Map<String, String> parameters() {
    return spreading().parameters();
  }

  /**
   * A snapshot of the frames and bytes sent and received so far: {@link PropagationStats#EMPTY} (all zero) before
   * the node has started its spreading, the figures as it stopped once it has stopped.
   */
  PropagationStats stats();

  /** Topics that start with this are the node's own (its transactions travel on one); hosts cannot publish on them. */
  String RESERVED_PREFIX = "meshledger/";

  /**
   * Publishes {@code body} on {@code topic} to every node that subscribes to it.
   *
   * @return the message, with its id
   * @throws IllegalArgumentException if the topic or body breaks the bounds of {@link Gossip}, or the topic starts
   *     with {@link #RESERVED_PREFIX}
   * @throws IllegalStateException if the node is not running (NEW, STARTING before its spreading is up, STOPPING,
   *     STOPPED); the message names the state and what to do (start it and wait, or build a new node)
   */
  Gossip publish(String topic, byte[] body);

  /**
   * Calls {@code handler} with each message received on {@code topic} from now on, until the returned
   * subscription is closed. The subscription is in place when this returns, in every state of the node: every
   * message this node receives afterwards reaches the handler, one published elsewhere right after included; a
   * subscription made before the node starts hears from its first message on; on a stopped node nothing arrives.
   */
  Subscription subscribe(String topic, Consumer<Gossip> handler);

  /** A registration that {@link #close()} ends; closing twice does nothing. */
  interface Subscription extends AutoCloseable {
    /**
     * Ends the subscription: no delivery starts after this returns (one already running on the node's context
     * when another thread closes finishes). Any thread; closing twice does nothing.
     */
    @Override
    void close();
  }
}
