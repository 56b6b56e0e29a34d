package org.meshledger.impl.consensus;

import java.util.Objects;

/**
 * A timer that {@link Tendermint} asks its driver to fire after a delay, by calling
 * {@link Tendermint#onTimeout}. Timers are never cancelled: one that fires for a height, round or step the
 * machine has left is ignored, as in the paper.
 */
public record Timeout(Kind kind, long height, int round) {
  public enum Kind {
    /** No proposal arrived in time: prevote nil. */
    PROPOSE,
    /** Two thirds prevoted, but not for one value, in time: precommit nil. */
    PREVOTE,
    /** Two thirds precommitted, but not for one value, in time: next round. */
    PRECOMMIT,
    /** The pause between a commit and the next height's first round ({@code blockInterval}). */
    NEW_HEIGHT,
    /** Periodic re-broadcast of this node's messages of the current round, against lost messages. */
    GOSSIP
  }

  public Timeout {
    Objects.requireNonNull(kind, "kind");
  }
}
