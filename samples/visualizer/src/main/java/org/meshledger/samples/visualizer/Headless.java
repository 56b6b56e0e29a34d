package org.meshledger.samples.visualizer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.meshledger.NodeStatus;

/**
 * The demo without the page, for scripts: the same network under a steady load with churn (every
 * {@link #CHURN_EVERY} a validator is killed, then restarted; a node deleted, then one added), then a summary: the
 * chain's height, the transactions committed, each node's height, and whether every node restarted or added caught
 * up. Exit status 0 if the chain committed the load and every running node reached the chain's height, else 1.
 */
final class Headless {
  static final Duration CHURN_EVERY = Duration.ofSeconds(8);
  /** A running node at most this many blocks below the top counts as caught up (a block may be in flight). */
  static final long SLACK = 2;

  private Headless() {}

  static int run(VisualizerOptions options, PrintStream out) throws Exception {
    try (Visualizer v = new Visualizer(options, out)) {
      DemoNetwork net = v.network();
      net.start();
      v.feed().start();
      net.load().start(options.load());
      out.printf("running %d s with %d transactions a second and churn every %d s, seed %d (-Dseed=%d picks the same nodes)%n",
          options.headlessSeconds(), options.load(), CHURN_EVERY.toSeconds(), options.seed(), options.seed());
      long end = System.nanoTime() + Duration.ofSeconds(options.headlessSeconds()).toNanos();
      int step = 0;
      while (System.nanoTime() < end - CHURN_EVERY.toNanos()) {
        pause(CHURN_EVERY);
        int s = step++ % 4;
        net.controlAndWait("churn", () -> {
          String what = switch (s) {
            case 0 -> net.killValidator().map(m -> "killed " + m.name).orElse("no validator to kill");
            case 1 -> "restarted " + net.restartKilled().stream().map(m -> m.name).toList();
            case 2 -> net.deleteRandom().map(m -> "deleted " + m.name).orElse("nothing to delete");
            default -> "added " + net.add().name;
          };
          out.printf("%5.1f s  %s, height %d, %d committed%n", (System.nanoTime() - (end - Duration.ofSeconds(options.headlessSeconds()).toNanos())) / 1e9,
              what, height(net), net.load().committed());
        });
      }
      net.controlAndWait("restart", net::restartKilled);
      long remaining = end - System.nanoTime();
      if (remaining > 0) {
        pause(Duration.ofNanos(remaining));
      }
      net.load().stop();
      // let the last blocks reach everyone, up to a bound
      long top = height(net);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline && !allCaughtUp(net, top)) {
        pause(Duration.ofMillis(200));
      }
      return summary(net, out);
    }
  }

  private static boolean allCaughtUp(DemoNetwork net, long top) {
    return net.members().stream().filter(Member::running).allMatch(m -> m.node.status().height() >= top - SLACK);
  }

  static long height(DemoNetwork net) {
    return net.members().stream().filter(Member::running).mapToLong(m -> m.node.status().height()).max().orElse(0);
  }

  private static int summary(DemoNetwork net, PrintStream out) {
    long top = height(net);
    out.println();
    out.printf("chain height %d; transactions committed %d of %d submitted (%d failed: submitted to a node that stopped, or a nonce"
        + " resent)%n", top, net.load().committed(), net.load().submitted(), net.load().failed());
    boolean ok = net.load().committed() > 0 && top > 0;
    int rejoined = 0;
    int caughtUp = 0;
    for (Member m : net.members()) {
      if (m.life == Member.Life.SPARE) {
        continue;
      }
      Optional<NodeStatus> s = m.running() ? Optional.of(m.node.status()) : Optional.empty();
      long h = s.map(NodeStatus::height).orElse(0L);
      boolean up = s.isPresent() && h >= top - SLACK;
      if (m.rejoined && m.running()) {
        rejoined++;
        caughtUp += up ? 1 : 0;
      }
      ok &= !m.running() || up;
      out.printf(Locale.ROOT, "  %-12s %-9s %-8s height %6d%s%s%n", m.name, m.role(), m.life.name().toLowerCase(Locale.ROOT), h,
          m.rejoined ? "  (restarted or added)" : "", m.running() && !up ? "  BEHIND" : "");
    }
    out.printf("restarted or added nodes caught up: %d of %d%n", caughtUp, rejoined);
    out.println(ok ? "OK: the network committed and every running node holds the chain" : "FAILED: see the lines above");
    return ok ? 0 : 1;
  }

  private static void pause(Duration d) throws InterruptedException {
    Thread.sleep(d.toMillis()); // the run's own pacing, not a synchronisation
  }

  static List<String> names(List<Member> ms) {
    return ms.stream().map(m -> m.name).toList();
  }
}
