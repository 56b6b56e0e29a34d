package org.meshledger.impl.node;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.spi.testsupport.Await;
import org.meshledger.spi.testsupport.TestGenesis;

/**
 * The child JVM of {@link NodeStartLoopIT}: in a JVM that has built no TLS context yet, starts four validators
 * on TLS, on one Vert.x with four event loops, until they are connected and have committed a block, while a
 * watchdog timer on every event loop measures how late it fires and how much CPU time its loop's thread spent
 * between two of its ticks. Prints {@code MAX_LATENESS_MS <n>} and {@code MAX_LOOP_CPU_MS <n>}, then one line
 * per event-loop stall Vert.x's BlockedThreadChecker reported ({@code BLOCKED <message>}, with its stack on the
 * following lines), and exits 0; any failure exits 1.
 *
 * <p>Lateness is wall time: on a loaded machine (other builds on the same cores) a loop that runs nothing long
 * is late too, because its thread waits for a core. CPU time between ticks counts only what the loop itself
 * ran, which is what a node must keep short; a loop that waits on a class-initialisation lock held by another
 * loop burns no CPU, but the loop holding it does, so the stall still shows.
 */
public final class StartLoopProbe {
  private static final int LOOPS = 4;

  private StartLoopProbe() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    List<String> blocked = new ArrayList<>();
    java.util.logging.Logger checker = java.util.logging.Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");
    checker.setUseParentHandlers(false); // reported once, as BLOCKED lines below, not also as traces on stderr
    checker.addHandler(new Handler() {
      @Override
      public void publish(LogRecord r) {
        StringBuilder s = new StringBuilder("BLOCKED ").append(r.getMessage());
        if (r.getThrown() != null) {
          for (StackTraceElement e : r.getThrown().getStackTrace()) {
            s.append("\n    at ").append(e);
          }
        }
        synchronized (blocked) {
          blocked.add(s.toString());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS)
        .setBlockedThreadCheckInterval(100).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setWarningExceptionTime(200).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS));
    LoopWatchdog watchdog = new LoopWatchdog(vertx, LOOPS);

    TestGenesis net = TestGenesis.chain("start-loop").validators(4).fast().build();
    List<KeyPair> keys = net.keys();
    Genesis genesis = net.genesis();
    List<Node> nodes = new ArrayList<>();
    long began = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      Path data = Files.createDirectories(dir.resolve("v" + i));
      NodeOptions options = new NodeOptions().setDataDir(data).setListenHost("127.0.0.1").setListenPort(0).setStorage("memory")
          .setReconnectMin(Duration.ofMillis(50)).setReconnectMax(Duration.ofMillis(500));
      for (Node n : nodes) {
        options.addPeer("127.0.0.1:" + n.status().port());
      }
      Node node = Node.builder().options(options).genesis(genesis).identity(keys.get(i)).vertx(vertx).build();
      node.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      nodes.add(node);
    }
    Await.until("the four validators connected and at height 1 or more", Duration.ofSeconds(60),
        () -> nodes.stream().allMatch(n -> n.status().peers().size() == 3 && n.status().height() >= 1),
        () -> nodes.stream().map(n -> n.status().toString()).toList());
    long tookMillis = (System.nanoTime() - began) / 1_000_000;
    watchdog.awaitTicks(2); // every loop ticks again after the latest stall, so its lateness is counted
    System.out.println("STARTED_MS " + tookMillis);
    System.out.println("MAX_LATENESS_MS " + watchdog.worstLatenessMillis());
    System.out.println("MAX_LOOP_CPU_MS " + watchdog.worstCpuMillis());
    synchronized (blocked) {
      blocked.forEach(System.out::println);
    }
    System.out.flush();
    for (Node n : nodes) {
      n.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    System.exit(0);
  }
}
