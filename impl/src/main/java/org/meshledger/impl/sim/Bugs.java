package org.meshledger.impl.sim;

import org.meshledger.impl.consensus.Tendermint;
import org.meshledger.impl.ledger.Executor;
import org.meshledger.impl.sync.BlockSync;

/**
 * Switches a fault plan's deliberate bugs ({@code bug NAME}) on in an honest node's machines. The bugs themselves are
 * package-private in the cores and off in production; only Meshledger's own tests can reach them, so they pass an
 * instance of this, and the simulator without one refuses a plan that names a bug.
 */
@FunctionalInterface
public interface Bugs {
  /** No bug can be switched on: the simulator as hosts run it. */
  Bugs NONE = (bug, machine, sync, executor) -> {
    throw new IllegalArgumentException("no deliberate bug named " + bug + " outside Meshledger's own tests");
  };

  /**
   * Turns {@code bug} on in a node's consensus machine, block sync or executor, whichever it belongs to; the
   * executor is null in a plan without the ledger.
   */
  void apply(String bug, Tendermint machine, BlockSync sync, Executor executor);
}
