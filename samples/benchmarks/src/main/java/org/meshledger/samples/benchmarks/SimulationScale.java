package org.meshledger.samples.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.meshledger.Spreading;
import org.meshledger.simulation.Report;
import org.meshledger.simulation.Simulation;
import org.meshledger.simulation.SimulationOptions;
import org.meshledger.simulation.Topology;

/**
 * One large simulator run, timed: {@code nodes} on a random 8-regular graph with log-normal links and 10% spies,
 * {@code messages} of 250 bytes published 100 ms apart from random honest nodes. Prints one CSV row (with
 * {@code header=true}, the header first): wall time, the CPU time of the calling thread (with several threads
 * it only coordinates them) and of the whole process (collector and compiler included), the heap's peak and what is
 * still live at the end (after a full collection, the simulation still referenced), and the figures that show
 * a seed replays the same run (events, the event-time fingerprint, latencies, copies, recall). One run per
 * JVM, so the heap figures are its own. See docs/performance.md.
 *
 * <p>Arguments ({@code name=value}): {@code nodes} (10000), {@code messages} (100), {@code protocol}
 * ({@code flooding}, {@code diffusion}, {@code dandelion++}), {@code seed} (1), {@code threads} (1: the
 * simulation's threads, which change the time and nothing else), {@code header} (false).
 */
public final class SimulationScale {
  private SimulationScale() {}

  public static void main(String[] args) {
    Map<String, String> a = BenchArgs.parse(args, Map.of("nodes", "10000", "messages", "100", "protocol", "dandelion++", "seed", "1", "header", "false",
        "threads", "1"));
    int nodes = Integer.parseInt(a.get("nodes"));
    int messages = Integer.parseInt(a.get("messages"));
    long seed = Long.parseLong(a.get("seed"));
    int threads = Integer.parseInt(a.get("threads"));
    Spreading spreading = Spreading.of(a.get("protocol"));
    if (Boolean.parseBoolean(a.get("header"))) {
      System.out.println("protocol,nodes,messages,threads,seed,build_ms,run_ms,cpu_ms,process_cpu_ms,peak_heap_mib,live_heap_mib,max_heap_mib,gc_ms,"
          + "events,fingerprint,l50_ms,l90_ms,l100_ms,delivery,payloads_per_node,announcements_per_node,recall");
    }
    long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    long processCpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    Simulation sim = new Simulation(new SimulationOptions().setSeed(seed).setTopology(Topology.randomRegular(nodes, 8))
        .setSpyFraction(0.1).setSpreading(spreading).setThreads(threads));
    long t1 = System.nanoTime();
    for (int i = 0; i < messages; i++) {
      int n = i;
      sim.at(Duration.ofMillis(100L * i), () -> {
        byte[] body = new byte[PropagationStudy.BODY_BYTES];
        ByteBuffer.wrap(body).putInt(n);
        sim.publish(sim.randomHonestNode(), "tx", body);
      });
    }
    sim.run();
    long t2 = System.nanoTime();
    long cpu = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1_000_000;
    long processCpu = (processCpuNanos() - processCpu0) / 1_000_000;
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    long gc = ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
    Report r = sim.report();
    System.gc();
    long live = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    System.out.printf(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%016x,%.3f,%.3f,%.3f,%.6f,%.4f,%.4f,%.4f%n",
        spreading.protocol(), nodes, messages, threads, seed, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, cpu, processCpu, peak >> 20, live >> 20,
        Runtime.getRuntime().maxMemory() >> 20, gc, sim.events(), sim.fingerprint(), r.l50(), r.l90(), r.l100(), r.delivery(),
        r.payloadsPerNode(), r.announcementsPerNode(), r.anonymity() == null ? Double.NaN : r.anonymity().recall());
    if (sim.size() < 0) {
      System.out.println(sim); // keeps the simulation reachable until the live heap is measured
    }
  }

  /** CPU time of the whole process (every thread: lanes, collector, compiler), in nanoseconds; -1 if unknown. */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
  }
}
