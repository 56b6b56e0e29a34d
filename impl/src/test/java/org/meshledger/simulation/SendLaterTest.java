package org.meshledger.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.meshledger.Gossip;
import org.meshledger.PropagationStats.Kind;
import org.meshledger.Spreading;

/**
 * A frame sent later ({@code SpreadingRuntime.sendLater}, what a diffusion sends) is queued for its arrival at
 * once, one event instead of a timer and a frame (ADR 022). It must still behave as a frame that leaves when its
 * delay ends: not sent if its sender stops or the connection closes first, lost if a partition separates the two
 * ends when it leaves, and untouched by what happens after it left. Each case is run on both sides of the
 * instant the frame leaves, found from a run without the fault (the fault draws nothing, so the same seed gives
 * the same delay and latency), with unlimited uplinks (one event) and with a limited one (a timer, then the
 * uplink's queue).
 */
@ExtendWith(Seeds.class)
class SendLaterTest {
  private static final long LATENCY = 10_000_000;
  private static final long US = 1_000;

  /** A line 0-1 running diffusion by push with a long mean delay: the only frame is 0's payload to 1. */
  private static Simulation line(long seed, long uplink) {
    return new Simulation(new SimulationOptions().setSeed(seed).setTopology(Topology.edges(2, new int[][] {{0, 1}}))
        .setLatency(LatencyModel.constant(Duration.ofNanos(LATENCY))).setUplinkBytesPerSecond(uplink)
        .setSpreading(Spreading.of("diffusion").with("meanDelay", "1s").with("relay", "push")));
  }

  /** Runs the line with {@code fault} applied at {@code faultAt} (or never, if negative); the arrival at 1, or -1. */
  private static long arrival(long seed, long uplink, long faultAt, Consumer<Simulation> fault) {
    Simulation sim = line(seed, uplink);
    Gossip g = sim.publish(0);
    if (faultAt >= 0) {
      sim.at(Duration.ofNanos(faultAt), () -> fault.accept(sim));
    }
    sim.run();
    long a = sim.arrivalNanos(g.id(), 1);
    assertThat(sim.framesReceived(Kind.PAYLOAD)).as("seed %d", seed).isEqualTo(a < 0 ? 0 : 1);
    return a;
  }

  private static void check(long uplink, Consumer<Simulation> fault, boolean deliveredIfBefore, boolean deliveredIfAfter) {
    for (long s = 0; s < 5; s++) {
      long seed = Seeds.seed(71) + s;
      long arrives = arrival(seed, uplink, -1, null);
      assertThat(arrives).as("seed %d: the payload arrives without the fault", seed).isGreaterThan(LATENCY);
      // It left one latency (and, on the limited uplink, a few nanoseconds of transmission) before it arrived.
      long departs = arrives - LATENCY;
      assertThat(arrival(seed, uplink, departs - 2 * US, fault) >= 0).as("seed %d: fault just before it leaves", seed)
          .isEqualTo(deliveredIfBefore);
      assertThat(arrival(seed, uplink, departs + US, fault) >= 0).as("seed %d: fault just after it left", seed)
          .isEqualTo(deliveredIfAfter);
    }
  }

  @Test
  void aSenderThatCrashesBeforeTheFrameLeavesNeverSendsIt() {
    check(0, sim -> sim.crash(0), false, true);
    check(1_000_000_000L, sim -> sim.crash(0), false, true);
  }

  @Test
  void aSenderRemovedBeforeTheFrameLeavesNeverSendsIt() {
    // Removal also closes the connection, and a frame on a closed connection is lost even after it left, as
    // a frame sent at once is.
    check(0, sim -> sim.remove(0), false, false);
    check(1_000_000_000L, sim -> sim.remove(0), false, false);
  }

  @Test
  void aPartitionWhenTheFrameLeavesLosesIt() {
    check(0, sim -> sim.partition(n -> n == 0), false, true);
    check(1_000_000_000L, sim -> sim.partition(n -> n == 0), false, true);
  }

  @Test
  void aPartitionHealedBeforeTheFrameLeavesLetsItThrough() {
    for (long uplink : new long[] {0, 1_000_000_000L}) {
      long seed = Seeds.seed(72);
      long arrives = arrival(seed, uplink, -1, null);
      long departs = arrives - LATENCY;
      for (long healAt : new long[] {departs - 2 * US, departs + US}) {
        Simulation sim = line(seed, uplink);
        sim.partition(n -> n == 0);
        Gossip g = sim.publish(0);
        sim.at(Duration.ofNanos(healAt), sim::heal);
        sim.run();
        boolean delivered = sim.arrivalNanos(g.id(), 1) >= 0;
        assertThat(delivered).as("seed %d uplink %d heal %s the frame leaves", seed, uplink, healAt < departs ? "before" : "after")
            .isEqualTo(healAt < departs);
        assertThat(sim.framesLost()).isEqualTo(delivered ? 0 : 1);
      }
    }
  }

  @Test
  void aDiffusionSendsOneEventPerFrameWithUnlimitedUplinks() {
    // Unlimited: the payload is one event (plus the publication itself, which is not an event here).
    Simulation fast = line(Seeds.seed(73), 0);
    fast.publish(0);
    fast.run();
    Simulation timed = line(Seeds.seed(73), 1_000_000_000L);
    timed.publish(0);
    timed.run();
    assertThat(fast.events()).isEqualTo(1);
    assertThat(timed.events()).isEqualTo(2);
    assertThat(fast.propagator(0).stats().of(Kind.PAYLOAD).sent()).isEqualTo(1);
  }
}
