package org.meshledger.spi.testsupport;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way tests wait: a condition polled until it holds or a generous timeout passes, never a bare sleep.
 *
 * <p>On timeout it throws an {@link AssertionError} that says what was awaited, how long, and what was seen last
 * (the probed value, or a description the test supplies, such as every node's status), so a failure on a busy
 * machine can be told apart from a real hang. A probe that throws counts as "not yet"; its last exception is the
 * cause of the timeout's error.
 *
 * <p>Threading: the calling thread polls (every {@value #POLL_MILLIS} ms) and blocks until the condition holds;
 * never call it on a Vert.x event loop. Interruption ends the wait with an {@link AssertionError} and keeps the
 * thread's interrupt flag.
 */
public final class Await {
  /** How often a condition is looked at: a polling interval, not a synchronisation. */
  public static final long POLL_MILLIS = 20;

  /** The timeout of {@link #await(String, BooleanSupplier)}: generous, for two busy cores. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private Await() {}

  /** Polls {@code condition} until it holds; fails after {@link #DEFAULT_TIMEOUT} naming {@code what}. */
  public static void await(String what, BooleanSupplier condition) {
    until(what, DEFAULT_TIMEOUT, condition);
  }

  /**
   * Polls {@code probe} until its value satisfies {@code done} and returns that value.
   *
   * @throws AssertionError after {@code timeout}, naming {@code what} and the last value seen
   */
  public static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> done) {
    Objects.requireNonNull(what, "what");
    long deadline = System.nanoTime() + timeout.toNanos();
    Object lastSeen = "nothing yet";
    RuntimeException lastFailure = null;
    while (true) {
      try {
        T value = probe.get();
        if (done.test(value)) {
          return value;
        }
        lastSeen = value;
        lastFailure = null;
      } catch (RuntimeException e) {
        lastSeen = "the probe threw " + e;
        lastFailure = e;
      }
      if (System.nanoTime() > deadline) {
        throw timedOut(what, timeout, String.valueOf(lastSeen), lastFailure);
      }
      pause();
    }
  }

  /**
   * Polls {@code condition} until it holds; on timeout the error shows {@code seen}, evaluated then (for example
   * each node's height and peers).
   *
   * @throws AssertionError after {@code timeout}, naming {@code what} and what {@code seen} says
   */
  public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<?> seen) {
    if (!within(timeout, condition)) {
      String last;
      try {
        last = String.valueOf(seen.get());
      } catch (RuntimeException e) {
        last = "(describing it threw " + e + ")";
      }
      throw timedOut(what, timeout, last, null);
    }
  }

  /** Polls {@code condition} until it holds; fails after {@code timeout} naming {@code what}. */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    until(what, timeout, () -> condition.getAsBoolean(), done -> done);
  }

  /**
   * True as soon as {@code condition} holds, false if it still does not after {@code timeout}: for a test that
   * decides what a timeout means itself (a recovery bound it reports, a soak that counts misses).
   */
  public static boolean within(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      pause();
    }
    return true;
  }

  private static AssertionError timedOut(String what, Duration timeout, String lastSeen, Throwable cause) {
    AssertionError e = new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
        + "; last seen: " + lastSeen);
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  private static void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }
}
