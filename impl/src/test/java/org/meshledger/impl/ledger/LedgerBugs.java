package org.meshledger.impl.ledger;

/** Reaches {@link Executor#inject} from the simulator's package: test code only, as the switches are. */
public final class LedgerBugs {
  private LedgerBugs() {}

  /** Turns on {@code LedgerBug.valueOf(name)} in {@code executor}. */
  public static void inject(Executor executor, String name) {
    executor.inject(LedgerBug.valueOf(name));
  }
}
