package org.meshledger.impl.spreading;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The protocols and the relay engine reach time, randomness and the network only through their runtime: no
 * real clock, no random source of their own, no sleeping, no threads, no sockets. Otherwise a simulated run
 * would not replay, and the code would not run unchanged on the Vert.x runtime.
 */
class SansIoTest {
  private static final List<String> FORBIDDEN = List.of("System.currentTimeMillis", "System.nanoTime", "System::currentTimeMillis",
      "System::nanoTime", "Instant.now", "Clock.",
      "new Random", "Math.random", "ThreadLocalRandom", "SecureRandom", "new SplittableRandom", "Thread.sleep", "new Thread",
      "Executors.", "java.net.", "java.nio.channels", "io.vertx");

  @Test
  void spreadingCodeUsesOnlyItsRuntime() throws IOException {
    check("spreading");
  }

  /** Consensus sees time through its host; the mempool and executor through what the node passes them. */
  @Test
  void consensusLedgerAndSyncCodeUseOnlyTheirHosts() throws IOException {
    check("consensus");
    check("ledger");
    check("sync");
  }

  private static void check(String pkg) throws IOException {
    Path dir = Path.of("src/main/java/org/meshledger/impl/" + pkg);
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    assertThat(files).as("the sources of %s (run from the module directory)", pkg).anyMatch(f -> !f.endsWith("package-info.java"));
    for (Path f : files) {
      String code = Files.readString(f, StandardCharsets.UTF_8);
      for (String bad : FORBIDDEN) {
        assertThat(code).as("%s must not use %s", f.getFileName(), bad).doesNotContain(bad);
      }
    }
  }
}
