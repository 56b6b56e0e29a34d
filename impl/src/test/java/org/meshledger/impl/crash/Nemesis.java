package org.meshledger.impl.crash;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The kill -9 nemesis of {@link ClusterCrashIT}: one node at a time (a validator, or now and then the
 * follower) gets SIGKILL after a random pause, stays down 0.5 to 5 s, and is restarted on its data directory;
 * once, half way through, the follower's data directory is wiped before its restart. The next kill waits
 * until the restarted node is within one block of the tip ({@link Recovery}); a node that does not get there
 * in 30 s is a hang, and the nemesis restarts it once more, as an operator would, before going on.
 */
final class Nemesis {
  private final Cluster cluster;
  private final SplittableRandom random;
  private final Recovery recovery;
  private final PrintStream log;
  private final List<String> events = new ArrayList<>();
  private final List<String> startFailures = new ArrayList<>();
  private final java.util.Set<Integer> dead = new java.util.HashSet<>();
  int kills;
  int operatorRestarts;
  long lastRestartNanos = System.nanoTime();

  Nemesis(Cluster cluster, long seed, Recovery recovery, PrintStream log) {
    this.cluster = cluster;
    this.random = new SplittableRandom(seed * 31 + 17);
    this.recovery = recovery;
    this.log = log;
  }

  /** Kills and restarts nodes until {@code target} kills are done or {@code budgetNanos} has passed (after at least one). */
  void run(int target, long budgetNanos) throws IOException {
    long start = System.nanoTime();
    int wipeAt = Math.max(1, target / 2);
    int follower = cluster.size() - 1;
    while (kills < target && (kills == 0 || System.nanoTime() - start < budgetNanos)) {
      boolean wipe = kills + 1 == wipeAt && !dead.contains(follower);
      // Once a validator is dead (it would not start again) killing another would take the quorum: followers only.
      boolean validatorsOk = dead.stream().noneMatch(cluster::validator);
      int victim = wipe || !validatorsOk || random.nextInt(5) == 0 ? follower : random.nextInt(cluster.size() - 1);
      if (dead.contains(victim)) {
        note("no node left to kill: " + dead.size() + " nodes do not start again");
        return;
      }
      Pause.millis(200 + random.nextInt(1300)); // when the next kill lands: the nemesis' choice
      long tipBefore = cluster.tipExcept(victim);
      cluster.kill(victim);
      kills++;
      Pause.millis(500 + random.nextInt(4500)); // downtime
      if (wipe) {
        cluster.wipe(victim);
      }
      String event = "kill " + kills + (wipe ? " and wipe" : "");
      note(String.format("%s: %s %s at tip %d, down until restart", event, cluster.name(victim), wipe ? "killed, data wiped" : "killed", tipBefore));
      lastRestartNanos = System.nanoTime();
      if (!start(victim, event)) {
        continue;
      }
      if (!recovery.await(cluster, victim, lastRestartNanos, event)) {
        note("HANG: " + recovery.hangs().get(recovery.hangs().size() - 1) + "; restarting it once more\n" + cluster.describe());
        cluster.kill(victim);
        operatorRestarts++;
        lastRestartNanos = System.nanoTime();
        if (start(victim, event + " (operator restart)")
            && !recovery.await(cluster, victim, lastRestartNanos, event + " (operator restart)")) {
          note("HANG again after the operator restart: " + cluster.name(victim));
        }
      } else {
        note(String.format("%s back within one block of the tip in %d ms", cluster.name(victim), last(recovery.times())));
      }
    }
  }

  /** Restarts {@code node}; false (and the node counts as dead) if it does not start. */
  private boolean start(int node, String event) throws IOException {
    try {
      cluster.start(node);
      return true;
    } catch (Cluster.StartFailure e) {
      dead.add(node);
      startFailures.add(cluster.name(node) + " does not start again after " + event + ": " + e.getMessage());
      note("START FAILED: " + e.getMessage());
      return false;
    }
  }

  /** Nodes that did not start again, with why. */
  List<String> startFailures() {
    return List.copyOf(startFailures);
  }

  /** True if {@code node} did not start again (it stays down). */
  boolean dead(int node) {
    return dead.contains(node);
  }

  private static long last(List<Long> l) {
    return l.isEmpty() ? -1 : l.get(l.size() - 1);
  }

  List<String> events() {
    return List.copyOf(events);
  }

  private void note(String event) {
    events.add(event);
    log.println("[nemesis] " + event);
  }
}
