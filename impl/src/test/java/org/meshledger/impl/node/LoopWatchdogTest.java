package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The watchdog that {@link EventLoopFreeIT} relies on sees a loop that computes for a long stretch, whatever the machine's load. */
class LoopWatchdogTest {
  @Test
  void aLoopThatComputesFor300MsWithoutABreakShowsAsThatMuchCpuBetweenTwoTicks() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setBlockedThreadCheckInterval(1).setBlockedThreadCheckIntervalUnit(TimeUnit.HOURS));
    try {
      LoopWatchdog watchdog = new LoopWatchdog(vertx, 2);
      watchdog.awaitTicks(3);
      long before = watchdog.worstCpuMillis();
      vertx.getOrCreateContext().runOnContext(v -> {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + 300_000_000L; // 300 ms of this thread's CPU, not of the wall clock
        long x = 0;
        while (threads.getCurrentThreadCpuTime() < until) {
          x += System.nanoTime() % 7;
        }
        if (x == 42) {
          System.out.print("");
        }
      });
      watchdog.awaitTicks(2);
      watchdog.stop();
      assertThat(before).as("CPU between ticks before the stretch").isLessThan(300);
      assertThat(watchdog.worstCpuMillis()).as("CPU between two ticks of the busy loop's watchdog").isGreaterThanOrEqualTo(300);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
