package org.meshledger.impl.crash;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Churn on real sockets for {@link ChurnIT}: every 1 to 4 s a random follower stops, starts fresh from an
 * empty data directory knowing one bootstrap peer, restarts on its data directory, or (when stopped) comes
 * back; now and then one validator is stopped abruptly (close) and restarted 0.5 to 5 s later, and the next
 * action waits until it is within one block of the tip again ({@link Recovery}).
 */
final class ChurnNemesis {
  /** At most this many followers are down at once, so the network keeps most of its non-validators. */
  private static final int MAX_STOPPED = 3;

  private final InJvmFleet fleet;
  private final SplittableRandom random;
  private final Recovery recovery;
  private final PrintStream log;
  private final List<String> events = new ArrayList<>();
  private final boolean[] stopped;
  int validatorKills;
  int followerStops;
  int freshStarts;
  int restarts;
  long lastRestartNanos = System.nanoTime();

  ChurnNemesis(InJvmFleet fleet, long seed, Recovery recovery, PrintStream log) {
    this.fleet = fleet;
    this.random = new SplittableRandom(seed * 131 + 7);
    this.recovery = recovery;
    this.log = log;
    this.stopped = new boolean[fleet.size()];
  }

  /** Churns until {@code nanos} have passed. */
  void run(long nanos) throws Exception {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      Pause.millis(1000 + random.nextInt(3000)); // every few seconds: the nemesis' rhythm
      int down = 0;
      for (boolean s : stopped) {
        down += s ? 1 : 0;
      }
      int action = random.nextInt(100);
      if (action < 20) {
        validator(random.nextInt(validators()));
      } else if (down > 0 && (action < 40 || down >= MAX_STOPPED)) {
        bringBack(pickFollower(true));
      } else if (action < 55) {
        int f = pickFollower(false);
        fleet.stop(f);
        stopped[f] = true;
        followerStops++;
        note(fleet.name(f) + " stopped");
      } else if (action < 80) {
        int f = pickFollower(false);
        fleet.stop(f);
        restart(f, true, "fresh start");
      } else {
        int f = pickFollower(false);
        fleet.stop(f);
        restart(f, false, "restart");
      }
    }
  }

  List<String> events() {
    return List.copyOf(events);
  }

  private void validator(int v) throws Exception {
    long tip = fleet.tipExcept(v);
    fleet.stop(v);
    validatorKills++;
    Pause.millis(500 + random.nextInt(4500)); // downtime
    note(fleet.name(v) + " stopped abruptly at tip " + tip + ", restarting on its data directory");
    lastRestartNanos = System.nanoTime();
    fleet.start(v, false, everyOther(v));
    restarts++;
    if (!recovery.await(fleet, v, lastRestartNanos, "validator stop " + validatorKills)) {
      note("HANG: " + last(recovery.hangs()) + "\n" + fleet.describe());
    }
  }

  private void bringBack(int f) throws Exception {
    stopped[f] = false;
    restart(f, random.nextBoolean(), "back after a stop");
  }

  private void restart(int f, boolean fresh, String what) throws Exception {
    String bootstrap = fleet.address(randomLive(f));
    note(fleet.name(f) + " " + what + (fresh ? " (empty data directory)" : "") + " knowing " + bootstrap);
    lastRestartNanos = System.nanoTime();
    fleet.start(f, fresh, List.of(bootstrap));
    if (fresh) {
      freshStarts++;
    } else {
      restarts++;
    }
    if (!recovery.await(fleet, f, lastRestartNanos, what)) {
      note("HANG: " + last(recovery.hangs()) + "\n" + fleet.describe());
    }
  }

  private int pickFollower(boolean isStopped) {
    List<Integer> candidates = new ArrayList<>();
    for (int i = validators(); i < fleet.size(); i++) {
      if (stopped[i] == isStopped) {
        candidates.add(i);
      }
    }
    return candidates.get(random.nextInt(candidates.size()));
  }

  private int randomLive(int except) {
    List<Integer> live = new ArrayList<>(fleet.live());
    live.remove(Integer.valueOf(except));
    return live.get(random.nextInt(live.size()));
  }

  private List<String> everyOther(int node) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < validators(); i++) {
      if (i != node) {
        out.add(fleet.address(i));
      }
    }
    return out;
  }

  private int validators() {
    int n = 0;
    while (n < fleet.size() && fleet.validator(n)) {
      n++;
    }
    return n;
  }

  private static String last(List<String> l) {
    return l.isEmpty() ? "" : l.get(l.size() - 1);
  }

  private void note(String event) {
    events.add(event);
    log.println("[churn] " + event);
  }
}
