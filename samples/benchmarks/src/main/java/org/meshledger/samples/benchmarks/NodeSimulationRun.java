package org.meshledger.samples.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.meshledger.simulation.InvariantViolation;
import org.meshledger.simulation.NodeSimulation;

/**
 * Many whole-node schedules through the exported simulator ({@link NodeSimulation}), as a host would run them:
 * schedules are independent, so they run on every core, and each one's result does not depend on the others or on
 * the thread that ran it. Shows progress every 10 s, saves each failing schedule's fault plan (which replays it with
 * {@code plan=FILE}), prints a summary and exits with 1 if any schedule broke a promise.
 *
 * <p>Arguments ({@code name=value}): {@code schedules} (1000), {@code validators} (4), {@code seed} (the first
 * schedule's seed, 1; schedule i has seed + i), {@code threads} (the available processors), {@code out} (where
 * failing plans go, {@code target/fault-plans}), {@code plan} (replays one saved plan instead).
 */
public final class NodeSimulationRun {
  private NodeSimulationRun() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = BenchArgs.parse(args, Map.of("schedules", "1000", "validators", "4", "seed", "1",
        "threads", Integer.toString(Runtime.getRuntime().availableProcessors()), "out", "target/fault-plans", "plan", ""));
    if (!a.get("plan").isEmpty()) {
      String plan = Files.readString(Path.of(a.get("plan")), StandardCharsets.UTF_8);
      try {
        System.out.println(NodeSimulation.run(plan));
      } catch (InvariantViolation e) {
        System.out.println("FAILED: " + e.getMessage());
        System.exit(1);
      }
      return;
    }
    int schedules = Integer.parseInt(a.get("schedules"));
    int validators = Integer.parseInt(a.get("validators"));
    long seed = Long.parseLong(a.get("seed"));
    int threads = Integer.parseInt(a.get("threads"));
    Path out = Path.of(a.get("out"));
    NodeSimulation.plan(seed, validators); // fails fast, with the reason, on a bad count
    if (schedules < 1 || threads < 1) {
      throw new IllegalArgumentException("schedules and threads must be at least 1");
    }

    AtomicInteger done = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicLong blocks = new AtomicLong();
    AtomicLong transactions = new AtomicLong();
    AtomicLong events = new AtomicLong();
    AtomicLong worstRecovery = new AtomicLong();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> runs = new ArrayList<>();
    for (int i = 0; i < schedules; i++) {
      long s = seed + i;
      runs.add(pool.submit(() -> {
        try {
          NodeSimulation.Outcome o = NodeSimulation.run(s, validators);
          blocks.addAndGet(o.height());
          transactions.addAndGet(o.transactions());
          events.addAndGet(o.events());
          worstRecovery.accumulateAndGet(o.recovery().toMillis(), Math::max);
        } catch (InvariantViolation e) {
          failed.incrementAndGet();
          Path saved = save(out, validators, s, e.plan());
          failures.add("seed " + s + ": " + e.getMessage().lines().findFirst().orElse("") + " (plan saved as " + saved + ")");
        }
        done.incrementAndGet();
      }));
    }
    pool.shutdown();
    while (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
      double seconds = (System.nanoTime() - started) / 1e9;
      int d = done.get();
      System.out.printf(Locale.ROOT, "%d of %d schedules, %d failed, %.0f per second, about %s left%n", d, schedules, failed.get(),
          d / seconds, d == 0 ? "?" : Duration.ofSeconds((long) ((schedules - d) * seconds / d)));
    }
    for (Future<?> f : runs) {
      f.get(); // anything but a broken promise (a bug in the simulator itself) ends the run here
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    failures.forEach(System.out::println);
    System.out.printf(Locale.ROOT, "%d schedules of %d validators (seeds %d to %d) on %d threads in %.1f s (%.1f ms per schedule per thread):"
        + " %d failed; %d blocks, %d transactions, %d events, worst time to commit after the heal %d ms%n", schedules, validators, seed,
        seed + schedules - 1, threads, seconds, seconds * 1000 * threads / schedules, failed.get(), blocks.get(), transactions.get(),
        events.get(), worstRecovery.get());
    System.exit(failed.get() == 0 ? 0 : 1);
  }

  private static Path save(Path dir, int validators, long seed, String plan) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(validators + "v-" + seed + ".plan");
      Files.writeString(file, plan, StandardCharsets.UTF_8);
      return file.toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
