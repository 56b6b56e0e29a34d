package org.meshledger.impl.node;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.meshledger.spi.testsupport.Await;

/**
 * A watchdog timer on each of a Vert.x's event loops, every {@value #TICK_MILLIS} ms: how late it fires (wall time)
 * and how much CPU time its loop's thread spent between two of its ticks. The second is what a node must keep short:
 * on a loaded machine (other builds on the same two cores) a loop that runs nothing long is late too, because its
 * thread waits for a core, but it spends no CPU. A loop that waits on a lock held by another loop burns no CPU
 * either, but the loop holding it does, so the stall still shows.
 */
final class LoopWatchdog {
  static final long TICK_MILLIS = 10;

  private final AtomicLongArray ticks;
  private final AtomicLong worstLateness = new AtomicLong();
  private long worstCpu; // guarded by this
  private long worstCpuAtMillis; // guarded by this
  private volatile boolean stopped;

  /** Starts one watchdog on each of the {@code loops} event loops of {@code vertx} (its event-loop pool size). */
  LoopWatchdog(Vertx vertx, int loops) {
    ticks = new AtomicLongArray(loops);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long began = System.nanoTime();
    for (int i = 0; i < loops; i++) { // createEventLoopContext takes the event loops in turn: one watchdog on each
      Context c = ((VertxInternal) vertx).createEventLoopContext();
      int loop = i;
      c.runOnContext(v -> {
        long[] last = {System.nanoTime(), threads.getCurrentThreadCpuTime()};
        vertx.setPeriodic(TICK_MILLIS, t -> {
          if (stopped) {
            vertx.cancelTimer(t);
            return;
          }
          long now = System.nanoTime();
          long cpu = threads.getCurrentThreadCpuTime();
          worstLateness.accumulateAndGet((now - last[0]) / 1_000_000 - TICK_MILLIS, Math::max);
          worstCpu((cpu - last[1]) / 1_000_000, (now - began) / 1_000_000);
          last[0] = now;
          last[1] = cpu;
          ticks.incrementAndGet(loop);
        });
      });
    }
    awaitTicks(1);
  }

  /** The loops tick on threads of their own: the worst stretch and its time change together. */
  private synchronized void worstCpu(long cpuMillis, long atMillis) {
    if (cpuMillis > worstCpu) {
      worstCpu = cpuMillis;
      worstCpuAtMillis = atMillis;
    }
  }

  /** Waits until every watchdog has ticked {@code more} times beyond its count now (60 s at most). */
  void awaitTicks(int more) {
    long[] target = new long[ticks.length()];
    for (int i = 0; i < target.length; i++) {
      target[i] = ticks.get(i) + more;
    }
    for (int i = 0; i < target.length; i++) {
      int loop = i;
      Await.until("event loop " + i + " to tick " + more + " more times", Duration.ofSeconds(60), () -> ticks.get(loop),
          count -> count >= target[loop]);
    }
  }

  /** The most wall time a watchdog fired late, in ms. */
  long worstLatenessMillis() {
    return worstLateness.get();
  }

  /** The most CPU time a loop's thread spent between two ticks of its watchdog, in ms. */
  synchronized long worstCpuMillis() {
    return worstCpu;
  }

  /** When, in ms after the watchdogs started, the loop's thread spent {@link #worstCpuMillis()}. */
  synchronized long worstCpuAtMillis() {
    return worstCpuAtMillis;
  }

  void stop() {
    stopped = true;
  }
}
