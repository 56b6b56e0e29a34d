package org.meshledger.samples.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.meshledger.Gossip;
import org.meshledger.Spreading;
import org.meshledger.simulation.LatencyModel;
import org.meshledger.simulation.Report;
import org.meshledger.simulation.Simulation;
import org.meshledger.simulation.SimulationOptions;
import org.meshledger.simulation.Topology;

/**
 * Compares the spreading protocols and writes the results: {@code study.csv} (latency, fairness, bandwidth
 * and anonymity per protocol, on a realistic and on the theory's wire), {@code latency-cdf.svg} (the latency
 * distributions), {@code churn.csv} (delivery when half the nodes leave) and {@code scale.csv} (time and heap
 * of 10,000 nodes). See {@code docs/propagation.md}.
 *
 * <p>Arguments: {@code --out DIR} (default {@code target/study}), {@code --seed N} (default 1),
 * {@code --nodes N} (default 1000), {@code --skip-scale}, {@code --scale-only}.
 */
public final class PropagationStudy {
  private static final int DEGREE = 8;
  private static final double SPIES = 0.1;
  /** The size of a typical transaction: what the bandwidth figures are per. */
  static final int BODY_BYTES = 250;
  private static int published;

  private PropagationStudy() {}

  /** A protocol configuration with a short label for the plot. */
  record Variant(String label, Spreading spreading) {}

  static List<Variant> variants() {
    return List.of(
        new Variant("flooding (push)", Spreading.flooding()),
        new Variant("flooding (announce)", Spreading.flooding().with("relay", "announce")),
        new Variant("diffusion 200 ms", Spreading.diffusion(Duration.ofMillis(200))),
        new Variant("diffusion 2 s", Spreading.of("diffusion")),
        new Variant("diffusion 2 s (push)", Spreading.of("diffusion").with("relay", "push")),
        new Variant("diffusion 2 s, trickle", Spreading.of("diffusion").with("trickle", "true")),
        new Variant("dandelion++", Spreading.dandelionPlusPlus()));
  }

  public static void main(String[] args) throws IOException {
    Path out = Path.of("target", "study");
    long seed = 1;
    int nodes = 1000;
    boolean scale = true;
    boolean only = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--nodes" -> nodes = Integer.parseInt(args[++i]);
        case "--skip-scale" -> scale = false;
        case "--scale-only" -> only = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (known: --out DIR, --seed N, --nodes N, --skip-scale, --scale-only)");
      }
    }
    Files.createDirectories(out);
    System.out.printf(Locale.ROOT, "Propagation study: seed %d, %d nodes, %d-regular, %.0f%% spies, %d-byte messages; %d cores, max heap %d MiB%n",
        seed, nodes, DEGREE, SPIES * 100, BODY_BYTES, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
    if (!only) {
      compare(out, seed, nodes);
      churn(out, seed, nodes);
    }
    if (scale || only) {
      scale(out, seed);
    }
  }

  private static void compare(Path out, long seed, int nodes) throws IOException {
    StringBuilder csv = new StringBuilder("network,label," + Report.csvHeader() + ",wall_ms\n");
    List<SvgPlot.Series> series = new ArrayList<>();
    List<Long> totals = new ArrayList<>();
    String[][] networks = {{"lognormal-50ms-sigma0.5"}, {"constant-50ms"}};
    for (String[] net : networks) {
      LatencyModel latency = net[0].startsWith("constant") ? LatencyModel.constant(Duration.ofMillis(50)) : SimulationOptions.DEFAULT_LATENCY;
      for (Variant v : variants()) {
        long t0 = System.nanoTime();
        Simulation sim = new Simulation(new SimulationOptions().setSeed(seed).setTopology(Topology.randomRegular(nodes, DEGREE))
            .setLatency(latency).setSpyFraction(SPIES).setSpreading(v.spreading()));
        for (int origin = 0; origin < sim.size(); origin++) {
          if (!sim.isSpy(origin)) {
            publish(sim, origin);
            sim.run();
          }
        }
        Report r = sim.report();
        long wall = (System.nanoTime() - t0) / 1_000_000;
        csv.append(net[0]).append(",\"").append(v.label()).append("\",").append(r.csvRow()).append(',').append(wall).append('\n');
        System.out.printf(Locale.ROOT, "%-24s %-24s L50 %6.0f L90 %6.0f L100 %6.0f ms  L90/L50 %.2f  Jain %.3f  payloads %.2f ann %.2f  %.0f B/node/msg  %s  (%d ms)%n",
            net[0], v.label(), r.l50(), r.l90(), r.l100(), r.l90OverL50(), r.jain(), r.payloadsPerNode(), r.announcementsPerNode(),
            r.bytesPerNode(), r.anonymity(), wall);
        if (net[0].startsWith("lognormal")) {
          String legend = String.format(Locale.ROOT, "%s: L50 %.0f ms, recall %.2f", v.label(), r.l50(), r.anonymity().recall());
          series.add(new SvgPlot.Series(legend, sim.latenciesMillis()));
          totals.add(sim.targetCount());
        }
      }
    }
    Files.writeString(out.resolve("study.csv"), csv, StandardCharsets.UTF_8);
    long[] total = totals.stream().mapToLong(Long::longValue).toArray();
    String svg = SvgPlot.cdf("Latency CDF, " + nodes + " nodes, 8-regular, log-normal links (median 50 ms), seed " + seed,
        "milliseconds after publication (log scale)", 20, 20_000, series, total);
    Files.writeString(out.resolve("latency-cdf.svg"), svg, StandardCharsets.UTF_8);
  }

  /** Publishes a distinct {@value #BODY_BYTES}-byte message from {@code origin}. */
  private static Gossip publish(Simulation sim, int origin) {
    byte[] body = new byte[BODY_BYTES];
    ByteBuffer.wrap(body).putInt(published++);
    return sim.publish(origin, "tx", body);
  }

  private static void churn(Path out, long seed, int nodes) throws IOException {
    StringBuilder csv = new StringBuilder("protocol,largest_component,messages_after,delivered_to_component,delivery_ratio\n");
    for (Spreading s : List.of(Spreading.flooding(), Spreading.of("diffusion"), Spreading.dandelionPlusPlus())) {
      Simulation sim = new Simulation(new SimulationOptions().setSeed(seed).setTopology(Topology.randomRegular(nodes, DEGREE)).setSpreading(s));
      BitSet[] lcc = new BitSet[1];
      List<Gossip> after = new ArrayList<>();
      sim.at(Duration.ofSeconds(5), () -> {
        sim.removeRandom(nodes / 2);
        lcc[0] = sim.largestLiveComponent();
      });
      for (int i = 0; i < 100; i++) {
        sim.at(Duration.ofMillis(200L * i + 1), () -> {
          int origin = sim.randomHonestNode();
          while (lcc[0] != null && !lcc[0].get(origin)) {
            origin = sim.randomHonestNode();
          }
          Gossip g = publish(sim, origin);
          if (lcc[0] != null) {
            after.add(g);
          }
        });
      }
      sim.run();
      long want = 0;
      long got = 0;
      for (Gossip g : after) {
        for (int v = lcc[0].nextSetBit(0); v >= 0; v = lcc[0].nextSetBit(v + 1)) {
          want++;
          got += sim.arrivalNanos(g.id(), v) >= 0 ? 1 : 0;
        }
      }
      csv.append(String.format(Locale.ROOT, "\"%s\",%d,%d,%d,%.6f%n", s.protocol(), lcc[0].cardinality(), after.size(), got, (double) got / want));
      System.out.printf(Locale.ROOT, "churn %-12s: after removing %d of %d, largest component %d; %d messages reached %d of %d (%.4f)%n",
          s.protocol(), nodes / 2, nodes, lcc[0].cardinality(), after.size(), got, want, (double) got / want);
    }
    Files.writeString(out.resolve("churn.csv"), csv, StandardCharsets.UTF_8);
  }

  private static void scale(Path out, long seed) throws IOException {
    StringBuilder csv = new StringBuilder("protocol,nodes,messages,events,build_ms,run_ms,total_ms,cpu_ms,peak_heap_mib,max_heap_mib,cores,l50_ms,l100_ms,delivery\n");
    for (Spreading s : List.of(Spreading.flooding(), Spreading.flooding().with("relay", "announce"), Spreading.of("diffusion"), Spreading.dandelionPlusPlus())) {
      System.gc();
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        pool.resetPeakUsage();
      }
      long t0 = System.nanoTime();
      long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      Simulation sim = new Simulation(new SimulationOptions().setSeed(seed).setTopology(Topology.randomRegular(10_000, DEGREE)).setSpreading(s));
      long t1 = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        sim.at(Duration.ofMillis(100L * i), () -> publish(sim, sim.randomHonestNode()));
      }
      sim.run();
      long t2 = System.nanoTime();
      long cpu = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1_000_000;
      long peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      Report r = sim.report();
      String row = String.format(Locale.ROOT, "\"%s\",10000,100,%d,%d,%d,%d,%d,%d,%d,%d,%.1f,%.1f,%.5f", s, sim.events(), (t1 - t0) / 1_000_000,
          (t2 - t1) / 1_000_000, (t2 - t0) / 1_000_000, cpu, peak >> 20, Runtime.getRuntime().maxMemory() >> 20,
          Runtime.getRuntime().availableProcessors(), r.l50(), r.l100(), r.delivery());
      csv.append(row).append('\n');
      System.out.println("scale " + row);
    }
    Files.writeString(out.resolve("scale.csv"), csv, StandardCharsets.UTF_8);
  }
}
