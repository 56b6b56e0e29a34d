package org.meshledger.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.meshledger.PropagationStats.Kind;
import org.meshledger.Spreading;

/**
 * A simulation on several threads (ADR 023) gives the run it gives on one, event for event: the same events at
 * the same instants, the same report, latencies, first spies and every node's statistics. The networks are large
 * enough that every thread runs nodes (nodes are dealt to threads in blocks of 512) and half the frames cross
 * from one thread to another. The runs cover what could make thread counts disagree: ties (a constant latency
 * puts many frames at one instant, on both sides of a thread boundary), loss and limited uplinks (drawn and
 * queued by the sender), churn, a crash, a partition, frames sent later, and runs stepped with
 * {@code runFor}. Then what a user gets wrong: no floor, a model that draws below its floor, a failing model,
 * handlers.
 */
@ExtendWith(Seeds.class)
class ThreadsTest {
  private static final int NODES = 1600;

  private static SimulationOptions options(long seed, Spreading spreading, LatencyModel latency, int threads) {
    return new SimulationOptions()
        .setSeed(seed)
        .setTopology(Topology.randomRegular(NODES, 8))
        .setLatency(latency)
        .setSpyFraction(0.1)
        .setSpreading(spreading)
        .setThreads(threads);
  }

  private static String run(SimulationOptions options, boolean stepped) {
    Simulation sim = new Simulation(options);
    for (int i = 0; i < 16; i++) {
      sim.at(Duration.ofMillis(150L * i), () -> sim.publish(sim.randomHonestNode()));
    }
    sim.at(Duration.ofMillis(1200), () -> sim.removeRandom(40));
    sim.at(Duration.ofMillis(1300), () -> sim.crash(sim.randomHonestNode()));
    sim.at(Duration.ofMillis(1500), () -> sim.add(4));
    sim.at(Duration.ofMillis(1700), () -> sim.partition(n -> n % 3 == 0));
    sim.at(Duration.ofMillis(2100), sim::heal);
    if (stepped) {
      while (sim.nowNanos() < Duration.ofSeconds(60).toNanos()) {
        sim.runFor(Duration.ofMillis(37));
      }
    }
    sim.run();
    StringBuilder stats = new StringBuilder();
    for (int i = 0; i < sim.size(); i++) {
      stats.append(sim.stats(i)).append(';');
    }
    StringBuilder spies = new StringBuilder();
    sim.messages().forEach(g -> spies.append(sim.firstSpySource(g.id())).append(','));
    return sim.report().csvRow() + " events=" + sim.events() + " fingerprint=" + sim.fingerprint()
        + " latencies=" + Arrays.hashCode(sim.latenciesMillis()) + " lost=" + sim.framesLost() + " now=" + sim.nowNanos()
        + " announces=" + sim.framesReceived(Kind.ANNOUNCE) + " spies=" + spies + " stats=" + stats.toString().hashCode();
  }

  private static void sameOnEveryThreadCount(long seed, Spreading spreading, LatencyModel latency, Consumer<SimulationOptions> more,
      boolean stepped) {
    SimulationOptions one = options(seed, spreading, latency, 1);
    more.accept(one);
    String expected = run(one, stepped);
    assertThat(expected).contains("events=");
    for (int threads : new int[] {2, 3}) {
      SimulationOptions o = options(seed, spreading, latency, threads);
      more.accept(o);
      assertThat(run(o, stepped)).as("%s on %d threads, seed %d", spreading, threads, seed).isEqualTo(expected);
    }
  }

  @Test
  void everyProtocolRunsTheSameOnOneTwoAndThreeThreads() {
    long seed = Seeds.seed(23);
    LatencyModel latency = LatencyModel.logNormal(Duration.ofMillis(40), 0.6).atLeast(Duration.ofMillis(4));
    for (Spreading s : new Spreading[] {Spreading.dandelionPlusPlus(), Spreading.of("diffusion"),
        Spreading.of("diffusion").with("trickle", "true"), Spreading.flooding().with("relay", "announce")}) {
      sameOnEveryThreadCount(seed, s, latency, o -> o.setLossProbability(0.01), false);
    }
  }

  @Test
  void tiesBreakTheSameWayOnEveryThreadCount() {
    // Every frame takes 20 ms: many arrive at one instant, from nodes of different threads.
    long seed = Seeds.seed(29);
    sameOnEveryThreadCount(seed, Spreading.flooding(), LatencyModel.constant(Duration.ofMillis(20)), o -> {}, false);
    sameOnEveryThreadCount(seed, Spreading.dandelionPlusPlus(), LatencyModel.uniform(Duration.ofMillis(10), Duration.ofMillis(12)),
        o -> {}, false);
  }

  @Test
  void limitedUplinksAndSteppedRunsRunTheSame() {
    long seed = Seeds.seed(31);
    sameOnEveryThreadCount(seed, Spreading.dandelionPlusPlus(), SimulationOptions.DEFAULT_LATENCY,
        o -> o.setUplinkBytesPerSecond(200_000), true);
  }

  @Test
  void severalThreadsNeedALatencyFloor() {
    SimulationOptions o = options(1, Spreading.flooding(), LatencyModel.logNormal(Duration.ofMillis(50), 0.5), 2);
    assertThatThrownBy(() -> new Simulation(o)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("floor");
    assertThatThrownBy(() -> new SimulationOptions().setThreads(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threads");
    assertThatThrownBy(() -> new SimulationOptions().setThreads(SimulationOptions.MAX_THREADS + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(LatencyModel.logNormal(Duration.ofMillis(50), 0.5).minNanos()).isZero();
    assertThat(SimulationOptions.DEFAULT_LATENCY.minNanos()).isEqualTo(Duration.ofMillis(5).toNanos());
    assertThat(LatencyModel.uniform(Duration.ofMillis(3), Duration.ofMillis(9)).minNanos()).isEqualTo(Duration.ofMillis(3).toNanos());
  }

  /** {@code draws}, stating {@code floor} as its floor, true or not. */
  private static LatencyModel stating(Duration floor, LatencyModel draws) {
    return new LatencyModel() {
      @Override
      public long sampleNanos(int from, int to, RandomGenerator random) {
        return draws.sampleNanos(from, to, random);
      }

      @Override
      public long minNanos() {
        return floor.toNanos();
      }
    };
  }

  @Test
  void aModelThatDrawsBelowItsFloorIsCaught() {
    // 1 microsecond, from a model that states 10 ms.
    LatencyModel liar = stating(Duration.ofMillis(10), (from, to, random) -> 1_000);
    Simulation sim = new Simulation(options(1, Spreading.flooding(), liar, 2));
    sim.publish(3);
    assertThatThrownBy(sim::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("less than its floor");
  }

  @Test
  void aFailureOnALaneThreadReachesTheCaller() throws InterruptedException {
    LatencyModel failing = stating(Duration.ofMillis(30), (from, to, random) -> {
      if (from >= 512) {
        throw new ArithmeticException("model failed for node " + from);
      }
      return Duration.ofMillis(30).toNanos();
    });
    Simulation sim = new Simulation(options(1, Spreading.flooding(), failing, 2));
    sim.publish(0);
    assertThatThrownBy(sim::run).isInstanceOf(ArithmeticException.class).hasMessageContaining("model failed");
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("meshledger-simulation-lane")) {
        t.join(10_000);
        assertThat(t.isAlive()).as("%s ends with the run", t.getName()).isFalse();
      }
    }
  }

  @Test
  void handlersNeedOneThread() {
    Simulation sim = new Simulation(options(1, Spreading.flooding(), SimulationOptions.DEFAULT_LATENCY, 2));
    assertThatThrownBy(() -> sim.propagator(0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("setThreads(1)");
    sim.publish(0);
    sim.run();
    var payloads = sim.stats(1).of(Kind.PAYLOAD);
    assertThat(payloads.received() - payloads.duplicates()).as("the message reached node 1 once, and the rest were duplicates").isEqualTo(1);
  }
}
