package org.meshledger.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.meshledger.PropagationStats;
import org.meshledger.PropagationStats.Kind;
import org.meshledger.Spreading;

/**
 * The simulator answers an announcement of a message already public at its target itself, from the relays'
 * reports of what is public, instead of calling the relay (ADR 022). That must change nothing a user can see:
 * each run here is made twice, with and without it, and must agree on every event's time, the report, the
 * latencies, and every node's statistics, read mid-run and at the end. The runs cover what could make the
 * two disagree: a seen-cache small enough to forget messages (a forgotten message's announcement is new again; not so small
 * that messages still in flight are forgotten, which makes them echo for ever),
 * the origin of a Dandelion++ stem (private until its message comes back), churn, crashes, loss and a partition,
 * and statistics read from an action and from a host's handler while duplicates are pending.
 */
@ExtendWith(Seeds.class)
class DuplicateAnswerTest {

  private static String run(long seed, Spreading spreading, int seenCapacity, boolean answer, boolean handlers) {
    Simulation sim = new Simulation(new SimulationOptions()
        .setSeed(seed)
        .setTopology(Topology.randomRegular(300, 8))
        .setLatency(LatencyModel.logNormal(Duration.ofMillis(40), 0.6))
        .setLossProbability(0.02)
        .setSpyFraction(0.1)
        .setSeenCapacity(seenCapacity)
        .setSpreading(spreading));
    sim.answerDuplicates = answer;
    List<String> seen = new ArrayList<>();
    if (handlers) {
      // A host's handler on a few nodes reads another node's statistics at each delivery.
      for (int i = 0; i < 300; i += 50) {
        int reader = i;
        sim.propagator(i).subscribe("sim", g -> seen.add(reader + ":" + sim.propagator(reader + 1).stats()));
      }
    }
    for (int i = 0; i < 40; i++) {
      sim.at(Duration.ofMillis(400L * i), () -> sim.publish(sim.randomHonestNode()));
    }
    if (handlers) {
      // Reading them makes every node's propagator, after which each delivery settles: so only in this variant.
      sim.at(Duration.ofMillis(6500), () -> seen.add("mid " + stats(sim)));
    }
    sim.at(Duration.ofSeconds(5), () -> sim.removeRandom(20));
    sim.at(Duration.ofMillis(5500), () -> sim.crash(sim.randomHonestNode()));
    sim.at(Duration.ofSeconds(7), () -> sim.add(4));
    sim.at(Duration.ofSeconds(9), () -> sim.partition(n -> n < 150));
    sim.at(Duration.ofSeconds(11), sim::heal);
    sim.run();
    return sim.report().csvRow() + " events=" + sim.events() + " fingerprint=" + sim.fingerprint()
        + " latencies=" + Arrays.hashCode(sim.latenciesMillis()) + " lost=" + sim.framesLost()
        + " end " + stats(sim) + " seen=" + seen;
  }

  /** Every node's counters, in order. */
  private static String stats(Simulation sim) {
    StringBuilder b = new StringBuilder();
    long duplicates = 0;
    for (int i = 0; i < sim.size(); i++) {
      PropagationStats s = sim.propagator(i).stats();
      b.append(s).append(';');
      duplicates += s.of(Kind.ANNOUNCE).duplicates();
    }
    return "duplicate announcements " + duplicates + " " + b;
  }

  @Test
  void answeringDuplicatesChangesNothingVisible() {
    long seed = Seeds.seed(91);
    for (Spreading s : new Spreading[] {Spreading.dandelionPlusPlus(), Spreading.of("diffusion"),
        Spreading.flooding().with("relay", "announce")}) {
      for (int capacity : new int[] {30, 100_000}) {
        for (boolean handlers : new boolean[] {false, true}) {
          String with = run(seed, s, capacity, true, handlers);
          String without = run(seed, s, capacity, false, handlers);
          assertThat(with).as("seed %d, %s, seen capacity %d, handlers %s", seed, s, capacity, handlers).isEqualTo(without);
          assertThat(with).as("the runs have duplicate announcements to answer").doesNotContain("duplicate announcements 0 ");
        }
      }
    }
  }
}
