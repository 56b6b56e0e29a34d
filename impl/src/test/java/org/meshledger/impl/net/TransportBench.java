package org.meshledger.impl.net;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Frames per second and MB/s between two nodes on loopback, over TLS 1.3 and over plain TCP, in the same
 * run: one node sends 200-byte application frames, 64 per event-loop turn (so 64 frames leave in one write),
 * as fast as the connection drains; the other counts them. Each mode runs {@code runs} times for
 * {@code seconds} (after a one-second warm-up); the median and the TLS/TCP ratio are printed.
 *
 * <p>Run: {@code mvn -q -pl impl test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.meshledger.impl.net.TransportBench -Dexec.args="5 3"} (runs, seconds per run).
 * Figures: docs/performance.md, section "Transport".
 */
public final class TransportBench {
  private static final int BODY = 200;
  private static final int BATCH = 64;

  private TransportBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<Double> tls = new ArrayList<>();
    List<Double> tcp = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      tcp.add(run(false, seconds));
      tls.add(run(true, seconds));
      ratios.add(tls.get(r) / tcp.get(r));
      System.out.printf(Locale.ROOT, "run %d: plain TCP %,.0f frames/s, TLS %,.0f frames/s, TLS/TCP %.0f%%%n", r + 1, tcp.get(r),
          tls.get(r), 100 * ratios.get(r));
    }
    double mTcp = median(tcp);
    double mTls = median(tls);
    System.out.printf(Locale.ROOT, "median of %d runs of %d s, %d-byte frames, %d per write:%n", runs, seconds, BODY, BATCH);
    System.out.printf(Locale.ROOT, "  plain TCP: %,.0f frames/s = %.1f MB/s%n", mTcp, mTcp * BODY / 1e6);
    System.out.printf(Locale.ROOT, "  TLS 1.3:   %,.0f frames/s = %.1f MB/s%n", mTls, mTls * BODY / 1e6);
    System.out.printf(Locale.ROOT, "  TLS / TCP: %.0f%% (ratio of medians), %.0f%% (median of the runs' ratios)%n", 100 * mTls / mTcp,
        100 * median(ratios));
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  /** Frames per second received over one connection. */
  static double run(boolean useTls, int seconds) throws Exception {
    Path dir = Files.createTempDirectory("transport-bench");
    try (TestNet t = new TestNet(dir, 2, true)) {
      Vertx vertx = t.vertx;
      AtomicLong received = new AtomicLong();
      NetworkListener counting = new NetworkListener() {
        @Override
        public void onConnected(PeerConnection peer) {}

        @Override
        public void onDisconnected(PeerConnection peer, String reason) {}

        @Override
        public void onMessage(PeerConnection peer, int type, byte[] body) {
          received.incrementAndGet();
        }
      };
      NetworkConfig base = t.config(1).setInsecurePlainTcp(!useTls).setMaxFrameBytes(1 << 20)
          .setKeepaliveInterval(Duration.ofSeconds(5)).setIdleTimeout(Duration.ofSeconds(30));
      Network receiver = new Network(vertx, base, counting);
      TestNet.get(receiver.start(), "start receiver");
      Network sender = new Network(vertx, new NetworkConfig(base).setKey(t.keys.get(0)).setDataDir(dir.resolve("node-0"))
          .setRandomSeed(TestNet.SEED).addBootstrapPeer("127.0.0.1:" + receiver.port()), counting);
      TestNet.get(sender.start(), "start sender");
      TestNet.await("connected", Duration.ofSeconds(10), () -> sender.peers().size() == 1);
      PeerConnection conn = sender.peers().get(0);
      byte[] body = new byte[BODY];
      boolean[] stop = {false};
      Runnable[] pump = new Runnable[1];
      pump[0] = () -> {
        if (stop[0] || !conn.isOpen()) {
          return;
        }
        for (int i = 0; i < BATCH; i++) {
          conn.send(0x40, body);
        }
        if (conn.isWritable()) {
          sender.runOnLoop(pump[0]);
        } else {
          conn.whenWritable(pump[0]);
        }
      };
      sender.runOnLoop(pump[0]);
      Thread.sleep(1000); // warm-up of the measured loop, not synchronisation
      long n0 = received.get();
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      long n1 = received.get();
      long t1 = System.nanoTime();
      sender.runOnLoop(() -> stop[0] = true);
      TestNet.get(sender.stop(), "stop");
      TestNet.get(receiver.stop(), "stop");
      return (n1 - n0) / ((t1 - t0) / 1e9);
    }
  }
}
