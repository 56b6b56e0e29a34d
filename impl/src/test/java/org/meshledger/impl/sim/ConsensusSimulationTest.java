package org.meshledger.impl.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshledger.impl.consensus.BugSwitch;

/**
 * Random fault schedules over 4 and 7 validators (plus followers), seeded and replayable. Each schedule runs a
 * {@link FaultPlan} drawn from its seed: up to f faulty validators (equivocating, silent, proposing invalid blocks,
 * voting for unknown blocks, replaying, re-proposing with a stale proof of lock, or a twin instance of their key),
 * a follower that lies to block sync now and then, message delay, loss, duplication and reordering, partitions,
 * and crashes that lose the writes the node's disk had not finished and sometimes the last blocks of its store.
 * Safety is checked at every step and liveness after the faults heal (see {@link Schedule}).
 *
 * <p>{@code -Dmeshledger.consensus.schedules=N} runs N schedules per test (default 500, so 1,000 per build);
 * {@code -Dmeshledger.seed=S} replays the one schedule with seed S, and {@code -Dmeshledger.plan=FILE} a saved plan.
 * A failing schedule saves its plan under {@code target/fault-plans/} and prints both ways to replay it.
 */
class ConsensusSimulationTest {
  private static final int DEFAULT_SCHEDULES = 500;

  @Test
  void fourValidators() {
    runSchedules(4, 0x4000_0000L);
  }

  @Test
  void sevenValidators() {
    runSchedules(7, 0x7000_0000L);
  }

  private static void runSchedules(int validators, long base) {
    List<FaultPlan> plans = new ArrayList<>();
    String replay = System.getProperty("meshledger.seed");
    String planFile = System.getProperty("meshledger.plan");
    if (planFile != null && !planFile.isBlank()) {
      FaultPlan plan = load(Path.of(planFile.trim()));
      if (plan.validators() == validators) {
        plans.add(plan);
      }
    } else if (replay != null && !replay.isBlank()) {
      plans.add(FaultPlan.random(Long.parseLong(replay.trim()), validators));
    } else {
      int count = Integer.getInteger("meshledger.consensus.schedules", DEFAULT_SCHEDULES);
      for (int i = 0; i < count; i++) {
        plans.add(FaultPlan.random(base + i, validators));
      }
    }
    long started = System.nanoTime();
    int faulty = 0;
    int withEvidence = 0;
    long blocks = 0;
    long worstLiveness = 0;
    long events = 0;
    int liars = 0;
    int skewed = 0;
    int farSkewed = 0;
    int lateNews = 0;
    long badBlocks = 0;
    long differing = 0;
    long transactions = 0;
    long receipts = 0;
    int ledgers = 0;
    Map<String, Integer> spreadings = new java.util.TreeMap<>();
    long resubmits = 0;
    long spreadAdmitted = 0;
    Map<Byzantine.Behaviour, Integer> behaviours = new EnumMap<>(Byzantine.Behaviour.class);
    for (FaultPlan plan : plans) {
      Schedule.Result r;
      try {
        r = new Schedule(plan, BugSwitch.INJECTOR).run();
      } catch (RuntimeException | AssertionError e) {
        Path saved = save(plan);
        throw new AssertionError("schedule failed with seed " + plan.seed() + " (" + validators + " validators); replay with -Dmeshledger.seed="
            + plan.seed() + " or -Dmeshledger.plan=" + saved + " and -Dtest=ConsensusSimulationTest#"
            + (validators == 4 ? "fourValidators" : "sevenValidators"), e);
      }
      faulty += r.faulty();
      plan.faulty().forEach(f -> behaviours.merge(f.behaviour(), 1, Integer::sum));
      withEvidence += r.evidence() > 0 ? 1 : 0;
      blocks += r.maxHeight();
      worstLiveness = Math.max(worstLiveness, r.livenessMillis());
      events += r.events();
      liars += r.liar() ? 1 : 0;
      skewed += plan.clocks().isEmpty() ? 0 : 1;
      lateNews += plan.ackDelayMillis() > 0 ? 1 : 0;
      farSkewed += plan.clocks().stream().anyMatch(c -> Math.abs(c.offsetMillis()) > 10_000) ? 1 : 0;
      badBlocks += r.badBlocks();
      differing += r.differingCertificates();
      transactions += r.transactions();
      receipts += r.receipts();
      ledgers += plan.ledger() ? 1 : 0;
      if (r.spreading() != null) {
        spreadings.merge(r.spreading(), 1, Integer::sum);
      }
      resubmits += r.resubmits();
      spreadAdmitted += r.spreadAdmitted();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("consensus simulation: %d validators, %d schedules (%d faulty validators: %s; %d with evidence found,"
        + " %d with a lying follower, %d forged blocks caught by sync, %d with skewed and drifting clocks, %d of them a minute off, %d with late news of finished writes), %d blocks, worst time to commit after heal %d ms virtual,"
        + " %d events, %d heights whose block honest nodes hold with different certificates, %d schedules running the ledger with %d"
        + " transactions committed (%d receipts reported final, none lost; transactions spread in batches by %s: %d taken from peers' batches, %d sent again by their clients),"
        + " %.1f s (%.0f ms per schedule)%n", validators,
        plans.size(), faulty, behaviours, withEvidence, liars, badBlocks, skewed, farSkewed, lateNews, blocks, worstLiveness, events, differing, ledgers, transactions, receipts,
        spreadings, spreadAdmitted, resubmits, seconds,
        seconds * 1000 / plans.size());
    if (plans.size() > 20) {
      assertThat(behaviours.keySet()).as("every faulty behaviour took part in some schedule").containsAll(Byzantine.Behaviour.ORDINARY);
      assertThat(withEvidence).as("equivocation was detected in some schedules").isPositive();
      assertThat(transactions).as("schedules running the ledger committed transactions").isPositive();
      assertThat(spreadings.keySet()).as("ledger schedules spread their transactions with every protocol").containsExactlyInAnyOrder(FaultPlan.SPREADING);
      assertThat(spreadAdmitted).as("nodes took transactions from their peers' batches").isPositive();
      assertThat(farSkewed).as("some schedules ran a node whose clock is a minute off").isPositive();
      assertThat(badBlocks).as("block sync caught the liar's forged blocks in some schedules").isPositive();
      assertThat(differing).as("honest nodes held different certificates for a block (and agreed on the next block's previous commit)")
          .isPositive();
    }
  }

  /** Saves {@code plan} under target/fault-plans/ for replay; returns where. */
  static Path save(FaultPlan plan) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "fault-plans"));
      Path file = dir.resolve(plan.validators() + "v-" + plan.seed() + (plan.bugs().isEmpty() ? "" : "-" + plan.bugs().iterator().next()) + ".plan");
      Files.writeString(file, plan.encode(), StandardCharsets.UTF_8);
      return file.toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static FaultPlan load(Path file) {
    try {
      return FaultPlan.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schedule of a seed (its {@link FaultPlan#random plan}). */
  static Schedule schedule(long seed, int validators) {
    return new Schedule(FaultPlan.random(seed, validators), BugSwitch.INJECTOR);
  }
}
