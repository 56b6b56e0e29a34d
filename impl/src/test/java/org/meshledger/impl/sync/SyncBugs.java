package org.meshledger.impl.sync;

/** Reaches {@link BlockSync#inject} from the simulator's package: test code only, as the switches are. */
public final class SyncBugs {
  private SyncBugs() {}

  /** Turns on {@code SyncBug.valueOf(name)} in {@code sync}. */
  public static void inject(BlockSync sync, String name) {
    sync.inject(SyncBug.valueOf(name));
  }

  /** The names of block sync's bug switches. */
  public static java.util.List<String> names() {
    return java.util.Arrays.stream(SyncBug.values()).map(Enum::name).toList();
  }
}
