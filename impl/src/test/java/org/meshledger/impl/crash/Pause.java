package org.meshledger.impl.crash;

import java.util.concurrent.TimeUnit;

/** A pause of the nemesis or a client's back-off: part of the workload, never used to wait for a state (that is {@code Await}). */
final class Pause {
  private Pause() {}

  static void millis(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
