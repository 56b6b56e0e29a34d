package org.meshledger.impl.node;

import java.lang.System.Logger.Level;
import java.lang.System.Logger;
import org.meshledger.IncentivePolicy;
import org.meshledger.NodeStatus.SyncState;
import org.meshledger.NodeStatus;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Role;
import org.meshledger.impl.consensus.ConsensusHealth.Assessment;
import org.meshledger.impl.consensus.ConsensusHealth.Verdict;
import org.meshledger.impl.consensus.ConsensusHealth;

/**
 * How a node tells its host and operator about consensus health: the {@link NodeStatus#sync()} state and fault
 * its status shows, the start line that says how many validator failures its set tolerates, and a log line at
 * each change of {@link ConsensusHealth}'s verdict. An instance logs changes on the node's context; the static
 * methods may be called from any thread.
 */
final class HealthReport {
  private static final Logger LOG = System.getLogger("org.meshledger.consensus");

  private final NodeId node;
  private Verdict logged = Verdict.OK;
  /** Until the first OK verdict, or this time, a verdict other than OK is not logged: the node is still connecting. */
  private long quietUntil;

  /** For {@code node}, which started at {@code now} and gives its peers {@code graceMillis} to connect. */
  HealthReport(NodeId node, long now, long graceMillis) {
    this.node = node;
    this.quietUntil = now + graceMillis;
  }

  /** Logs {@code a} if its verdict differs from the last one logged: a warning when consensus cannot progress, a note when it can again. */
  void check(Assessment a, long now) {
    if (a.verdict() == Verdict.OK) {
      quietUntil = 0;
    }
    if (a.verdict() == logged || a.verdict() != Verdict.OK && now < quietUntil) {
      return;
    }
    if (a.verdict() == Verdict.OK) {
      LOG.log(Level.INFO, "consensus of node " + node + " progresses again: " + a.reachable() + " of " + a.validators()
          + " validators reachable (" + a.needed() + " needed)");
    } else {
      LOG.log(Level.WARNING, "consensus of node " + node + " cannot progress: " + a.reason());
    }
    logged = a.verdict();
  }

  /**
   * The state a status shows, judged in this order: HALTED if {@code halt} names why, BEHIND while catching up,
   * then the verdict of {@code health} (null while the node is not running, when consensus is not judged).
   */
  static SyncState sync(String halt, boolean catchingUp, Assessment health) {
    if (!halt.isEmpty()) {
      return SyncState.HALTED;
    }
    if (catchingUp) {
      return SyncState.BEHIND;
    }
    if (health == null || health.verdict() == Verdict.OK) {
      return SyncState.IN_SYNC;
    }
    return health.verdict() == Verdict.NO_QUORUM ? SyncState.NO_QUORUM : SyncState.STALLED;
  }

  /** The fault a status shows with {@code sync}: the halt's reason, the health's, or none. */
  static String fault(SyncState sync, String halt, Assessment health) {
    return switch (sync) {
      case HALTED -> halt;
      case NO_QUORUM, STALLED -> health.reason();
      default -> "";
    };
  }

  /**
   * Logs how many validator failures {@code set} survives (n = 3f + 1), as a warning when it survives none
   * although it has more than one validator: then any one of them stopping stops the chain.
   */
  static void logTolerance(String chainId, ValidatorSet set) {
    int n = set.size();
    int f = set.tolerated();
    String figures = n + " validator" + (n == 1 ? "" : "s") + ", " + set.quorum() + " needed to decide a block";
    if (f == 0 && n > 1) {
      LOG.log(Level.WARNING, "the validator set of chain " + chainId + " tolerates no validator failure (" + figures
          + "): any one validator stopping stops the chain; 4 validators tolerate one (n = 3f + 1)");
    } else {
      LOG.log(Level.INFO, "the validator set of chain " + chainId + " tolerates " + f + " validator failure" + (f == 1 ? "" : "s")
          + " (" + figures + ")");
    }
  }

  /**
   * Says at start how the chain pays for its work: the reward rule, the era in force from height 1 and how many
   * eras follow, and the service nodes the genesis registers, so an operator sees the policy the node applies.
   */
  static void logIncentives(Genesis genesis) {
    IncentivePolicy p = genesis.incentives();
    if (!p.pays()) {
      LOG.log(Level.INFO, "incentives of chain " + genesis.chainId() + ": none (no currency is minted; fees, if any are paid, are burnt)");
      return;
    }
    IncentivePolicy.Era first = p.eras().get(0);
    long services = genesis.members().stream().filter(m -> m.has(Role.SECURE_NODE) || m.has(Role.SUPER_NODE)).count();
    LOG.log(Level.INFO, "incentives of chain " + genesis.chainId() + ": rule '" + p.rule() + "', subsidy " + first.subsidy().initial()
        + (first.subsidy().halvingInterval() > 0 ? " halved every " + first.subsidy().halvingInterval() + " blocks" : "") + ", shares "
        + first.shares() + " of " + first.outOf() + ", fees " + first.fees().name().toLowerCase(java.util.Locale.ROOT) + ", producers "
        + p.producers().name().toLowerCase(java.util.Locale.ROOT) + (p.eras().size() > 1 ? ", " + (p.eras().size() - 1) + " later era(s)" : "")
        + "; " + services + " service node(s) in the genesis, epochs of " + p.service().epochLength() + " blocks");
  }
}
