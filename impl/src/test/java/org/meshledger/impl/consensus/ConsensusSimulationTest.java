package org.meshledger.impl.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Random fault schedules over 4 and 7 validators (plus a follower), seeded and replayable. Each schedule
 * checks safety at every commit and liveness after the faults heal (see {@link ConsensusSim}).
 *
 * <p>{@code -Dmeshledger.consensus.schedules=N} runs N schedules per test (default 250, so 500 per build);
 * {@code -Dmeshledger.seed=S} replays the one schedule with seed S, which a failure prints.
 */
class ConsensusSimulationTest {
  private static final int DEFAULT_SCHEDULES = 250;

  @Test
  void fourValidators() {
    runSchedules(4, 0x4000_0000L);
  }

  @Test
  void sevenValidators() {
    runSchedules(7, 0x7000_0000L);
  }

  private static void runSchedules(int validators, long base) {
    String replay = System.getProperty("meshledger.seed");
    int count = Integer.getInteger("meshledger.consensus.schedules", DEFAULT_SCHEDULES);
    List<Long> seeds = new ArrayList<>();
    if (replay != null && !replay.isBlank()) {
      seeds.add(Long.parseLong(replay.trim()));
    } else {
      for (int i = 0; i < count; i++) {
        seeds.add(base + i);
      }
    }
    long started = System.nanoTime();
    int byzantine = 0;
    int withEvidence = 0;
    long blocks = 0;
    long worstLiveness = 0;
    long events = 0;
    int liars = 0;
    long badBlocks = 0;
    long differing = 0;
    for (long seed : seeds) {
      ConsensusSim.Result r;
      try {
        r = schedule(seed, validators).run();
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError("schedule failed with seed " + seed + " (" + validators + " validators); replay with -Dmeshledger.seed="
            + seed + " -Dtest=ConsensusSimulationTest#" + (validators == 4 ? "fourValidators" : "sevenValidators"), e);
      }
      byzantine += r.byzantine() ? 1 : 0;
      withEvidence += r.evidence() > 0 ? 1 : 0;
      blocks += r.maxHeight();
      worstLiveness = Math.max(worstLiveness, r.livenessMillis());
      events += r.events();
      liars += r.liar() ? 1 : 0;
      badBlocks += r.badBlocks();
      differing += r.differingCertificates();
    }
    System.out.printf("consensus simulation: %d validators, %d schedules (%d with a Byzantine validator, %d with evidence found,"
        + " %d with a lying follower, %d forged blocks caught by sync), %d blocks, worst time to commit after heal %d ms virtual,"
        + " %d events, %d heights whose block honest nodes hold with different certificates, %.1f s%n", validators, seeds.size(),
        byzantine, withEvidence, liars, badBlocks, blocks, worstLiveness, events, differing,
        (System.nanoTime() - started) / 1e9);
    if (seeds.size() > 20) {
      assertThat(withEvidence).as("equivocation was detected in some schedules").isPositive();
      assertThat(badBlocks).as("block sync caught the liar's forged blocks in some schedules").isPositive();
      assertThat(differing).as("honest nodes held different certificates for a block (and agreed on the next block's previous commit)")
          .isPositive();
    }
  }

  /**
   * The schedule of a seed: whether a Byzantine validator, a follower and a follower that lies to block sync
   * take part is drawn from the seed too.
   */
  static ConsensusSim schedule(long seed, int validators) {
    java.util.Random shape = new java.util.Random(seed ^ 0x5DEECE66DL);
    return new ConsensusSim(seed, validators, shape.nextInt(2), shape.nextBoolean(), shape.nextInt(3) == 0);
  }
}
