package org.meshledger.simulation;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Seeds for randomized tests: each test has a fixed default seed so the build is reproducible, and
 * {@code -Dmeshledger.seed=N} replays (or explores) another one. A failing test prints the seed it used.
 * Register with {@code @ExtendWith(Seeds.class)} and ask for the seed with {@link #seed(long)}.
 */
final class Seeds implements TestWatcher {
  private static final ThreadLocal<Long> CURRENT = new ThreadLocal<>();

  /** The seed to use: {@code -Dmeshledger.seed} if set, else {@code defaultSeed}. */
  static long seed(long defaultSeed) {
    String s = System.getProperty("meshledger.seed");
    long seed = s == null || s.isBlank() ? defaultSeed : Long.parseLong(s.trim());
    CURRENT.set(seed);
    return seed;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    Long seed = CURRENT.get();
    if (seed != null) {
      System.err.println(context.getDisplayName() + " failed with seed " + seed + "; replay with -Dmeshledger.seed=" + seed
          + " -Dtest=" + context.getRequiredTestClass().getSimpleName());
    }
    CURRENT.remove();
  }

  @Override
  public void testSuccessful(ExtensionContext context) {
    CURRENT.remove();
  }
}
