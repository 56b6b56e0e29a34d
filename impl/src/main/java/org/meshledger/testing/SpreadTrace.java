package org.meshledger.testing;

import java.util.Objects;
import org.meshledger.PropagationStats;
import org.meshledger.chain.Hash;
import org.meshledger.chain.NodeId;

/**
 * A listener for every spreading frame a node sends or receives: a plug-in ({@code Node.Builder.plugin(trace)}) that
 * shows how a message travels, hop by hop. The node's spreading driver calls it, after a frame is handed to the
 * connection ({@link Direction#SENT}) or decoded from it ({@link Direction#RECEIVED}), so the same hop is seen twice
 * when both ends carry a trace.
 *
 * <p>The kinds are those of {@link PropagationStats.Kind}: {@code STEM} (Dandelion++'s private phase, passed to one
 * peer), {@code PAYLOAD} (the message pushed in the open: flooding, diffusion and Dandelion++'s fluff),
 * {@code ANNOUNCE} (an id offered) and {@code REQUEST} (an id pulled). Consensus votes and proposals travel on a
 * path of their own and are not traced.
 *
 * <p>Threading: called on the node's event loop, in the order the node sends and receives. It must return quickly
 * and never block (hand the event to a queue of one's own for anything slow). If it throws, the node logs and counts
 * the failure (as it does for any host callback) and the frame goes on as if nothing happened.
 */
@FunctionalInterface
public interface SpreadTrace {
  /** One spreading frame at one node. */
  void onFrame(Frame frame);

  /** Whether the node that reports the frame sent or received it. */
  enum Direction {
    SENT, RECEIVED
  }

  /**
   * One spreading frame.
   *
   * @param gossip the id of the message the frame is about ({@code Gossip.id()})
   * @param from the node that sent it
   * @param to the node it was sent to
   * @param kind what the frame is: stem, payload (push, fluff), announcement or request (pull)
   * @param direction whether {@code from} (sent) or {@code to} (received) reports it
   */
  record Frame(Hash gossip, NodeId from, NodeId to, PropagationStats.Kind kind, Direction direction) {
    public Frame {
      Objects.requireNonNull(gossip, "gossip");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(direction, "direction");
    }
  }
}
