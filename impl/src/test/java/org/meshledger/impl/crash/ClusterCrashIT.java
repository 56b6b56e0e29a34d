package org.meshledger.impl.crash;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.chain.Hash;
import org.meshledger.spi.testsupport.Await;

/**
 * The network survives kill -9 as an operator runs it: 4 validators and 1 follower, each a JVM of its own
 * ({@link ClusterNodeMain}) on loopback with TLS and H2, a client in this JVM submitting transfers and DATA
 * writes without pause at random live nodes ({@link LoadClient}), and a {@link Nemesis} that kill -9s one
 * node at a time and restarts it on its data directory (once wiping the follower's). Afterwards the nodes
 * stop cleanly and their stores are checked ({@link ChainCheck}): one chain, valid certificates, no lost
 * receipt, no duplicate, state equal to a replay, everyone within one block of the tip within 30 s of the last
 * restart.
 *
 * <p>{@code -Dmeshledger.cluster.seed=N} replays the nemesis' and the client's choices (timing still varies);
 * {@code -Dmeshledger.cluster.kills=N} sets the kills (10 here, 100 in the {@code crash-soak} profile);
 * {@code -Dmeshledger.cluster.minutes=N} bounds the nemesis' time (5, or 90 in the soak).
 */
class ClusterCrashIT {
  static final long SEED = Long.getLong("meshledger.cluster.seed", System.nanoTime());
  static final int KILLS = Integer.getInteger("meshledger.cluster.kills", 10);
  static final int MINUTES = Integer.getInteger("meshledger.cluster.minutes", 5);
  static final int VALIDATORS = 4;
  static final int FOLLOWERS = 1;
  static final int CLIENTS = 6;

  @Test
  void survivesKillNineOfOneNodeAtATime(@TempDir Path dir) throws Exception {
    System.out.println("ClusterCrashIT seed " + SEED + " (replay with -Dmeshledger.cluster.seed=" + SEED + "), " + KILLS + " kills, under " + dir);
    Consortium consortium = new Consortium("crash-it", VALIDATORS, FOLLOWERS, CLIENTS, SEED);
    Verdict verdict = new Verdict();
    Recovery recovery = new Recovery();
    ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
    try (Cluster cluster = new Cluster(consortium, dir)) {
      // The overall bound: if anything waits longer than the nemesis' budget and 10 minutes, the children go,
      // and every wait on them ends.
      watchdog.schedule(() -> {
        System.out.println("ClusterCrashIT watchdog: over time, destroying the cluster\n" + cluster.describe());
        cluster.destroyAll();
      }, MINUTES + 10L, TimeUnit.MINUTES);
      cluster.startAll();
      Await.until("every node at height 2 or more", Duration.ofSeconds(120),
          () -> java.util.stream.IntStream.range(0, cluster.size()).allMatch(i -> cluster.height(i) >= 2), cluster::describe);

      LoadClient client = new LoadClient(cluster, consortium.genesis.chainId(), consortium.clients, SEED);
      client.start();
      Nemesis nemesis = new Nemesis(cluster, SEED, recovery, System.out);
      long started = System.nanoTime();
      try {
        nemesis.run(KILLS, TimeUnit.MINUTES.toNanos(MINUTES));
      } finally {
        long left = nemesis.lastRestartNanos + Recovery.LIMIT.toNanos() - System.nanoTime();
        boolean converged = Await.within(Duration.ofNanos(Math.max(0, left)),
            () -> java.util.stream.IntStream.range(0, cluster.size()).allMatch(i -> nemesis.dead(i) || cluster.nearTip(i)));
        if (!converged) {
          verdict.problems.add("not every node is within one block of the tip 30 s after the last restart: "
              + heights(cluster));
        }
        client.stop();
      }
      long runMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      String finalHeights = heights(cluster);
      List<String> unclean = new ArrayList<>();
      for (int i = 0; i < cluster.size(); i++) {
        if (!cluster.stop(i)) {
          unclean.add(cluster.name(i));
        }
      }
      if (!unclean.isEmpty()) {
        verdict.problems.add("did not stop cleanly within 30 s (killed): " + unclean);
      }
      if (nemesis.kills < KILLS) {
        verdict.problems.add("the nemesis made only " + nemesis.kills + " of " + KILLS + " kills in " + MINUTES + " minutes");
      }
      recovery.hangs().forEach(h -> verdict.problems.add("HANG: " + h));
      nemesis.startFailures().forEach(f -> verdict.problems.add("START FAILED: " + f));

      Map<String, Path> dataDirs = new LinkedHashMap<>();
      for (int i = 0; i < cluster.size(); i++) {
        dataDirs.put(cluster.name(i), cluster.dataDir(i));
      }
      verdict.checkStores(consortium.genesis, dataDirs, client.receipts());
      Set<Hash> unseen = new HashSet<>(client.signed().keySet());
      client.receipts().forEach(r -> unseen.remove(r.txId()));
      ChainCheck c = verdict.check;
      verdict.print(System.out, "ClusterCrashIT", SEED, List.of(
          "run " + runMillis / 1000 + " s; kills " + nemesis.kills + " (operator restarts after a hang " + nemesis.operatorRestarts + ")",
          "client: " + client.summary(),
          "acknowledged final " + client.acknowledged() + ", lost " + c.lost + " (must be 0)",
          "signed but never acknowledged " + unseen.size() + ", of which in the chain " + verdict.committed(unseen),
          "chain: " + c.tip + " blocks, " + c.transactions + " transactions; heights at the end " + finalHeights,
          recovery.summary(),
          "hangs: " + recovery.hangs(),
          "nodes that did not start again: " + nemesis.startFailures().size()));
      verdict.assertNone("ClusterCrashIT", SEED, "meshledger.cluster.seed", String.join("\n", nemesis.events()) + "\n" + cluster.describe());
    } finally {
      watchdog.shutdownNow();
    }
  }

  private static String heights(Fleet fleet) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < fleet.size(); i++) {
      s.append(i == 0 ? "" : ", ").append(fleet.name(i)).append('=').append(fleet.live(i) ? fleet.height(i) : "down");
    }
    return s.toString();
  }
}
