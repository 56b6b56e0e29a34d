package org.meshledger.impl.crash;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The one polling helper of the crash tests: every wait is a condition with a timeout, never a bare sleep. */
final class Await {
  /** Polling interval: how often a condition is looked at, not a synchronisation. */
  private static final long POLL_MILLIS = 20;

  private Await() {}

  /** True as soon as {@code condition} holds, false if it still does not after {@code timeout}. */
  static boolean within(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      pause(POLL_MILLIS);
    }
    return true;
  }

  /** Waits for {@code condition}; fails naming {@code what} and the diagnostics if it does not hold in time. */
  static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> diagnostics) {
    if (!within(timeout, condition)) {
      throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what + "\n" + diagnostics.get());
    }
  }

  /** A pause of the nemesis or a client's back-off: part of the workload, never used to wait for a state. */
  static void pause(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
