package org.meshledger.samples.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A profile in a few lines: the execution samples of a JFR recording grouped by thread and by the nearest
 * {@code org.meshledger.impl} method from the leaf (the crypto wrapper skipped, so a verification counts for
 * whoever asked for it), or by the leaf's class when no such method is on the stack (TLS, Netty, the JDK).
 * Threads whose name starts with {@code prepare-} (LedgerThroughput's signing before the clock starts) are left
 * out.
 *
 * <p>Usage: {@code JfrSummary recording.jfr [lines=25]}; record with
 * {@code java -XX:StartFlightRecording=filename=recording.jfr,settings=profile ...}.
 */
public final class JfrSummary {
  private JfrSummary() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    int lines = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    Map<String, Integer> byThread = new HashMap<>();
    Map<String, Integer> byCaller = new HashMap<>();
    int total = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
        continue;
      }
      String thread = e.getThread("sampledThread").getJavaName();
      thread = thread == null ? "?" : thread.replaceAll("\\d+$", "N");
      if (thread.startsWith("prepare-")) {
        continue;
      }
      total++;
      byThread.merge(thread, 1, Integer::sum);
      byCaller.merge(caller(e.getStackTrace().getFrames()), 1, Integer::sum);
    }
    System.out.printf(Locale.ROOT, "%d execution samples%n-- by thread%n", total);
    print(byThread, total, lines);
    System.out.println("-- by nearest org.meshledger.impl caller (else the leaf's class)");
    print(byCaller, total, lines);
  }

  private static String caller(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String type = f.getMethod().getType().getName();
      if (type.startsWith("org.meshledger.impl.") && !type.startsWith("org.meshledger.impl.crypto.")) {
        return type.substring("org.meshledger.impl.".length()) + "." + f.getMethod().getName();
      }
    }
    return frames.isEmpty() ? "?" : "(no impl frame) " + frames.get(0).getMethod().getType().getName();
  }

  private static void print(Map<String, Integer> counts, int total, int lines) {
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(lines)
        .forEach(c -> System.out.printf(Locale.ROOT, "%6d %5.1f%% %s%n", c.getValue(), 100.0 * c.getValue() / total, c.getKey()));
  }
}
