package org.meshledger.impl.consensus;

import org.meshledger.impl.ledger.Executor;
import org.meshledger.impl.ledger.LedgerBugs;
import org.meshledger.impl.sim.Bugs;
import org.meshledger.impl.sync.BlockSync;
import org.meshledger.impl.sync.SyncBugs;

/**
 * A deliberate bug the simulator switches on in every honest node, by core: the consensus core's ({@link Bug}), block
 * sync's ({@code SyncBug}) and execution's ({@code LedgerBug}). A fault plan names them by these names
 * ({@code bug NAME}).
 */
public enum BugSwitch {
  DROP_LOCK_RULE(Core.CONSENSUS, Bug.DROP_LOCK_RULE),
  ACCEPT_STALE_LOCK_ROUND(Core.CONSENSUS, Bug.ACCEPT_STALE_LOCK_ROUND),
  SEND_BEFORE_DURABLE(Core.CONSENSUS, Bug.SEND_BEFORE_DURABLE),
  SKIP_CERTIFICATE_CHECK(Core.SYNC, null),
  ACCEPT_STALE_VOTE_ROUND(Core.CONSENSUS, Bug.ACCEPT_STALE_VOTE_ROUND),
  SKIP_NONCE_CHECK(Core.LEDGER, null);

  /** Switches a fault plan's bugs on by these names: what the simulator is given in this project's tests. */
  public static final Bugs INJECTOR = (name, machine, sync, executor) -> valueOf(name).apply(machine, sync, executor);

  private enum Core { CONSENSUS, SYNC, LEDGER }

  private final Core core;
  private final Bug consensus;

  BugSwitch(Core core, Bug consensus) {
    this.core = core;
    this.consensus = consensus;
  }

  /** Turns this bug on in a node's consensus machine, block sync or executor (none in a plan without the ledger). */
  void apply(Tendermint machine, BlockSync sync, Executor executor) {
    switch (core) {
      case CONSENSUS -> machine.inject(consensus);
      case SYNC -> SyncBugs.inject(sync, name());
      case LEDGER -> {
        if (executor != null) {
          LedgerBugs.inject(executor, name());
        }
      }
      default -> throw new IllegalStateException(core.toString());
    }
  }
}
