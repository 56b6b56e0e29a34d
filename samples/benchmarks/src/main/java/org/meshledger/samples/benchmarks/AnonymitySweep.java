package org.meshledger.samples.benchmarks;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.meshledger.Spreading;
import org.meshledger.simulation.Anonymity;
import org.meshledger.simulation.LatencyModel;
import org.meshledger.simulation.Simulation;
import org.meshledger.simulation.SimulationOptions;
import org.meshledger.simulation.Topology;

/**
 * First-spy recall and latency of one spreading configuration over several seeds, on the anonymity test's
 * network (1,000 nodes, 8-regular, 10% spies, every honest node publishes once, one message at a time) with
 * constant 50 ms links ({@code latency=constant}) or log-normal ones ({@code latency=lognormal}). Prints one
 * row per seed and the mean: what docs/propagation.md quotes when it places a default against the anonymity
 * test's line.
 *
 * <p>Arguments ({@code name=value}): {@code spreading} (a spec such as {@code diffusion:meanDelay=3s,relay=announce};
 * default {@code diffusion}), {@code seeds} (10), {@code first} (1), {@code nodes} (1000), {@code latency}
 * ({@code constant}).
 */
public final class AnonymitySweep {
  private AnonymitySweep() {}

  public static void main(String[] args) {
    Map<String, String> a = BenchArgs.parse(args, Map.of("spreading", "diffusion", "seeds", "10", "first", "1", "nodes", "1000", "latency", "constant"));
    Spreading spreading = parse(a.get("spreading"));
    int seeds = Integer.parseInt(a.get("seeds"));
    long first = Long.parseLong(a.get("first"));
    int nodes = Integer.parseInt(a.get("nodes"));
    LatencyModel latency = switch (a.get("latency")) {
      case "constant" -> LatencyModel.constant(Duration.ofMillis(50));
      case "lognormal" -> SimulationOptions.DEFAULT_LATENCY;
      default -> throw new IllegalArgumentException("latency is constant or lognormal, got " + a.get("latency"));
    };
    double sumRecall = 0;
    double sumL50 = 0;
    double sumBytes = 0;
    for (long seed = first; seed < first + seeds; seed++) {
      Simulation sim = new Simulation(new SimulationOptions().setSeed(seed).setTopology(Topology.randomRegular(nodes, 8))
          .setLatency(latency).setSpyFraction(0.1).setSpreading(spreading));
      for (int origin = 0; origin < sim.size(); origin++) {
        if (!sim.isSpy(origin)) {
          sim.publish(origin);
          sim.run();
        }
      }
      Anonymity an = sim.report().anonymity();
      sumRecall += an.recall();
      sumL50 += sim.report().l50();
      sumBytes += sim.report().bytesPerNode();
      System.out.printf(Locale.ROOT, "%s seed %d: recall %.3f [%.3f, %.3f] L50 %.0f ms%n", spreading, seed, an.recall(), an.recallLow(), an.recallHigh(), sim.report().l50());
    }
    System.out.printf(Locale.ROOT, "%s, %s links, seeds %d..%d: mean recall %.4f, mean L50 %.0f ms, %.0f bytes/node/msg%n",
        spreading, a.get("latency"), first, first + seeds - 1, sumRecall / seeds, sumL50 / seeds, sumBytes / seeds);
  }

  /** {@code protocol} or {@code protocol:name=value,name=value}. */
  private static Spreading parse(String spec) {
    int colon = spec.indexOf(':');
    Spreading s = Spreading.of(colon < 0 ? spec : spec.substring(0, colon));
    if (colon >= 0) {
      for (String kv : spec.substring(colon + 1).split(",")) {
        int eq = kv.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException("parameter '" + kv + "' is not name=value");
        }
        s = s.with(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return s;
  }
}
