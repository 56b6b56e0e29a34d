package org.meshledger.impl.crash;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.meshledger.spi.testsupport.Await;

/**
 * The recovery clock: from a node's restart (the moment it was launched) until it is live and within one block
 * of the other live nodes' tip. A node that does not get there within {@link #LIMIT} is a hang.
 */
final class Recovery {
  static final Duration LIMIT = Duration.ofSeconds(30);

  private final List<Long> millis = Collections.synchronizedList(new ArrayList<>());
  private final List<String> hangs = Collections.synchronizedList(new ArrayList<>());

  /** Waits until {@code node} recovered or the limit passed; true if it recovered (the time is recorded). */
  boolean await(Fleet fleet, int node, long restartedNanos, String event) {
    long deadline = restartedNanos + LIMIT.toNanos();
    boolean ok = Await.within(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), () -> fleet.nearTip(node));
    if (ok) {
      millis.add((System.nanoTime() - restartedNanos) / 1_000_000);
    } else {
      hangs.add(fleet.name(node) + " after " + event + ": at height " + fleet.height(node) + " (live " + fleet.live(node)
          + ") while the others' tip is " + fleet.tipExcept(node) + " " + LIMIT.toSeconds() + " s after its restart");
    }
    return ok;
  }

  List<String> hangs() {
    return List.copyOf(hangs);
  }

  List<Long> times() {
    return List.copyOf(millis);
  }

  /** p50/p90/max of the recovery times, in ms. */
  String summary() {
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      return "recovery: none measured; hangs " + hangs.size();
    }
    return String.format("recovery (restart to within one block of the tip) p50 %d ms, p90 %d ms, max %d ms over %d restarts; hangs %d",
        percentile(sorted, 50), percentile(sorted, 90), sorted.get(sorted.size() - 1), sorted.size(), hangs.size());
  }

  static long percentile(List<Long> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
