package org.meshledger.simulation;

/**
 * A property the nodes promise did not hold in a {@link NodeSimulation} schedule: two values signed by one honest
 * validator in one slot, quorum certificates for two values at one height, a fork, a block that does not verify, a
 * state digest that differs, a receipt reported final and then lost, an honest node blamed, or no progress within the
 * stated bound after the faults healed. The message says which, where and when; {@link #plan()} is the schedule's
 * fault plan, which replays the failure exactly ({@link NodeSimulation#run(String)}).
 */
public final class InvariantViolation extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String plan;

  /** A violation found by the simulator itself; its plan is attached where the schedule is known. */
  public InvariantViolation(String message) {
    this(message, null, null);
  }

  /** A violation found by the simulator itself, caused by {@code cause}. */
  public InvariantViolation(String message, Throwable cause) {
    this(message, null, cause);
  }

  InvariantViolation(String message, String plan, Throwable cause) {
    super(message, cause);
    this.plan = plan;
  }

  /** The fault plan of the schedule that failed, as text, or null if it is not known here. */
  public String plan() {
    return plan;
  }
}
