package org.meshledger.simulation;

import java.time.Duration;
import java.util.Objects;
import org.meshledger.impl.sim.FaultPlan;
import org.meshledger.impl.sim.Schedule;

/**
 * Whole nodes under faults, on a virtual clock: the deterministic simulator that runs a network of Meshledger nodes
 * (consensus, block sync, the ledger with its mempool and execution, transactions spread in batches by the node's
 * spreading protocol) as they run on sockets, with the network, disks, clocks and some validators going wrong.
 *
 * <p>A schedule is a <em>fault plan</em>, data that says everything it does: validators (and followers, a follower
 * that lies to block sync), up to f faulty validators and how each misbehaves (equivocation, withheld or replayed
 * messages, invalid proposals, votes for unknown blocks, stale proofs of lock, Twins, a split-brain attack on locks),
 * message delay, loss, duplication and reordering, partitions, crashes that lose the disk's unfinished writes and
 * sometimes the last blocks of a store, skewed and drifting clocks, late news of finished writes, whether nodes run
 * the ledger and how its transactions spread. {@link #plan(long, int)} draws one from a seed; a plan's text replays
 * exactly with {@link #run(String)}, whatever the mapping from seeds to plans becomes in later versions.
 *
 * <p>At every step the run checks that no honest validator signs two values in one slot, no height gathers quorum
 * certificates for two values, honest nodes commit the same blocks with verifying certificates, every honest node
 * computes the same state after each block, and no receipt a node reported final is lost. At 10 s of virtual time
 * every fault heals (faulty validators go on misbehaving); within 30 s after that every honest node must commit a
 * block above the highest height any had at the heal, and every client transaction must be final. A broken promise
 * throws an {@link InvariantViolation} carrying the plan.
 *
 * <p>A run is single-threaded and takes tens of milliseconds; runs are independent, so a host may run many in
 * parallel. See {@code docs/consensus.md}, "Simulation tests".
 */
public final class NodeSimulation {
  /** The largest network of validators a plan may have. */
  public static final int MAX_VALIDATORS = 16;

  private NodeSimulation() {}

  /**
   * The fault plan that {@code seed} maps to for {@code validators} validators, as text.
   *
   * @throws IllegalArgumentException unless 1 &lt;= validators &lt;= {@link #MAX_VALIDATORS}
   */
  public static String plan(long seed, int validators) {
    if (validators < 1 || validators > MAX_VALIDATORS) {
      throw new IllegalArgumentException("validators must be 1 to " + MAX_VALIDATORS + ", not " + validators);
    }
    return FaultPlan.random(seed, validators).encode();
  }

  /** Runs the schedule of {@link #plan(long, int) plan(seed, validators)}. */
  public static Outcome run(long seed, int validators) {
    return run(plan(seed, validators));
  }

  /**
   * Runs the schedule {@code plan} describes (text as {@link #plan} returns it or {@link InvariantViolation#plan()}
   * carries it).
   *
   * @throws IllegalArgumentException if the text is not a fault plan (the message names the line)
   * @throws InvariantViolation if the nodes broke a promise; it carries the plan
   */
  public static Outcome run(String plan) {
    Objects.requireNonNull(plan, "plan");
    FaultPlan p = FaultPlan.parse(plan);
    if (p.validators() < 1 || p.validators() > MAX_VALIDATORS) {
      throw new IllegalArgumentException("fault plan: validators must be 1 to " + MAX_VALIDATORS + ", not " + p.validators());
    }
    Schedule.Result r;
    try {
      r = new Schedule(p).run();
    } catch (InvariantViolation e) {
      throw new InvariantViolation(e.getMessage(), p.encode(), e);
    }
    return new Outcome(r.seed(), r.validators(), r.faulty(), r.crashes(), r.partitions(), r.maxHeight(), r.transactions(), r.receipts(),
        r.spreading(), r.events(), Duration.ofMillis(r.livenessMillis()));
  }

  /**
   * What a schedule did.
   *
   * @param seed the plan's seed
   * @param validators validators in the network
   * @param faultyValidators those that misbehaved
   * @param crashes crashes (each followed by a restart)
   * @param partitions network partitions
   * @param height the highest height an honest node committed
   * @param transactions transactions committed (0 unless the plan runs the ledger)
   * @param receiptsReported receipts the nodes reported final, summed over nodes
   * @param spreading the spreading protocol transactions went through, or null if clients handed them to every node
   * @param events events the simulator processed
   * @param recovery virtual time from the heal until every honest node had committed a new block (and every client
   *     transaction was final)
   */
  public record Outcome(long seed, int validators, int faultyValidators, int crashes, int partitions, long height, long transactions,
      long receiptsReported, String spreading, long events, Duration recovery) {}
}
