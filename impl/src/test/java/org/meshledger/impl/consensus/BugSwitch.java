package org.meshledger.impl.consensus;

import org.meshledger.impl.sim.Bugs;
import org.meshledger.impl.sync.BlockSync;
import org.meshledger.impl.sync.SyncBugs;

/**
 * A deliberate bug the simulator switches on in every honest node, one per core: the consensus core's ({@link Bug})
 * and block sync's ({@code SyncBug}). A fault plan names them by these names ({@code bug NAME}).
 */
public enum BugSwitch {
  DROP_LOCK_RULE(Bug.DROP_LOCK_RULE),
  ACCEPT_STALE_LOCK_ROUND(Bug.ACCEPT_STALE_LOCK_ROUND),
  SEND_BEFORE_DURABLE(Bug.SEND_BEFORE_DURABLE),
  SKIP_CERTIFICATE_CHECK(null),
  ACCEPT_STALE_VOTE_ROUND(Bug.ACCEPT_STALE_VOTE_ROUND);

  /** Switches a fault plan's bugs on by these names: what the simulator is given in this project's tests. */
  public static final Bugs INJECTOR = (name, machine, sync) -> valueOf(name).apply(machine, sync);

  private final Bug consensus;

  BugSwitch(Bug consensus) {
    this.consensus = consensus;
  }

  /** Turns this bug on in a node's consensus machine or its block sync, whichever it belongs to. */
  void apply(Tendermint machine, BlockSync sync) {
    if (consensus != null) {
      machine.inject(consensus);
    } else {
      SyncBugs.inject(sync, name());
    }
  }
}
