package org.meshledger.impl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.Block;
import org.meshledger.DataEntry;
import org.meshledger.Hash;
import org.meshledger.Verification;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.contract.TestChain;

/**
 * kill -9 at random moments: a child JVM ({@link H2CrashChild}) appends blocks to an H2 store and is killed
 * with {@code destroyForcibly} after a random number of appends plus a random offset, again and again. After
 * each kill the store must reopen holding a gap-free prefix that includes every block the child reported
 * appended (at most one more), each block verifying against the validator set and linking to the one
 * before, and the next child must continue appending from there.
 *
 * <p>The parent synchronises with the child only through its stdout ({@code OPEN h}, {@code APPENDED h}); the
 * random offset after a line only moves the kill off the line's moment. Seeded: the seed is printed and named
 * in every failure; replay with {@code -Dmeshledger.crash.seed=<seed>}. {@code -Dmeshledger.crash.kills=<n>}
 * changes the number of kills (default 30; the run also stops adding kills after 60 s).
 */
class H2CrashIT {
  private static final long SEED = Long.getLong("meshledger.crash.seed", System.nanoTime());
  private static final int KILLS = Integer.getInteger("meshledger.crash.kills", 30);
  private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(60);

  @TempDir
  Path dir;

  private final Deque<String> childOutput = new ArrayDeque<>();

  @Test
  void storeSurvivesKillNineAtRandomMoments() throws Exception {
    System.out.println("H2CrashIT seed " + SEED + " (replay with -Dmeshledger.crash.seed=" + SEED + ")");
    Random random = new Random(SEED);
    TestChain chain = new TestChain(H2CrashChild.CHAIN, SEED);
    long start = System.nanoTime();
    long acknowledged = 0;
    long verified = 0;
    Hash lastHash = chain.genesisHash();
    int kills = 0;
    while (kills < KILLS && (System.nanoTime() - start < BUDGET_NANOS || kills < 5)) {
      int appends = 1 + random.nextInt(8);
      long jitterNanos = random.nextInt(4_000_000);
      Process child = start(chain);
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        long opened = expect(out, "OPEN ", child);
        check(opened == verified, "child opened at height " + opened + " but the store was verified at " + verified);
        long seen = opened;
        while (seen < opened + appends) {
          seen = expect(out, "APPENDED ", child);
          check(seen == acknowledged + 1, "child appended " + seen + " after " + acknowledged);
          acknowledged = seen;
        }
        LockSupport.parkNanos(jitterNanos); // a random offset of the kill, not a synchronisation
        // SIGKILL through the handle: Process.destroyForcibly would also close our end of the pipe, and the
        // lines the child wrote before it died must still be read
        child.toHandle().destroyForcibly();
        kills++;
        String line;
        while ((line = out.readLine()) != null) { // appends reported before the kill landed
          if (line.startsWith("APPENDED ")) {
            acknowledged = Long.parseLong(line.substring(9));
          } else {
            remember(line);
          }
        }
      } finally {
        child.destroyForcibly();
        child.waitFor();
      }
      try (BlockStore store = BlockStores.open("h2", chain.context(dir))) {
        long height = store.height();
        check(height >= acknowledged, "kill " + kills + ": the store reopened at height " + height + " but block " + acknowledged
            + " had been appended (append returned) before the kill");
        check(height <= acknowledged + 1, "kill " + kills + ": the store holds " + height + " blocks; only " + acknowledged + " (+1 in flight) were appended");
        lastHash = verify(store, chain, verified, lastHash, height);
        verified = height;
        acknowledged = height;
      }
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    try (BlockStore store = BlockStores.open("h2", chain.context(dir))) {
      verify(store, chain, 0, chain.genesisHash(), store.height());
      assertThat(store.height()).isEqualTo(verified);
      for (int k = 0; k < 13; k++) {
        List<DataEntry> history = store.history("key-" + k, 0, Integer.MAX_VALUE);
        for (int i = 0; i < history.size(); i++) {
          check(history.get(i).version() == i + 1, "history of key-" + k + " has a gap at " + i + ": " + history.get(i));
        }
      }
    }
    System.out.printf("H2CrashIT: %d kills in %d ms, %d blocks appended and verified (seed %d)%n", kills, millis, verified, SEED);
    assertThat(kills).isGreaterThanOrEqualTo(5);
  }

  /** Checks blocks {@code from + 1} to {@code to}: present, valid, linked. Returns the hash of block {@code to}. */
  private Hash verify(BlockStore store, TestChain chain, long from, Hash previous, long to) {
    for (long h = from + 1; h <= to; h++) {
      long height = h;
      Block b = store.block(h).orElseThrow(() -> new AssertionError("block " + height + " missing below height " + to + " (seed " + SEED + ")"));
      Verification v = b.verify(chain.validators());
      check(v.valid(), "block " + h + " does not verify: " + v.reason());
      check(b.header().previousHash().equals(previous), "block " + h + " does not link to block " + (h - 1));
      check(store.block(b.hash()).isPresent(), "block " + h + " is not found by its hash");
      b.transactions().forEach(tx -> check(store.transaction(tx.id()).map(l -> l.height() == height).orElse(false),
          "transaction " + tx.id() + " of block " + height + " is not found by id"));
      previous = b.hash();
    }
    return previous;
  }

  private Process start(TestChain chain) throws IOException {
    String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        H2CrashChild.class.getName(), dir.toString(), Long.toString(SEED)));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
  }

  /** Reads lines until one starts with {@code prefix} and returns the number after it. */
  private long expect(BufferedReader out, String prefix, Process child) throws IOException {
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(prefix)) {
        return Long.parseLong(line.substring(prefix.length()).trim());
      }
      remember(line);
    }
    fail("the child exited (" + child.onExit().join().exitValue() + ") before printing " + prefix + "(seed " + SEED + "); its output:\n"
        + String.join("\n", childOutput));
    return -1;
  }

  private void remember(String line) {
    childOutput.addLast(line);
    if (childOutput.size() > 60) {
      childOutput.removeFirst();
    }
  }

  private void check(boolean condition, String message) {
    if (!condition) {
      fail(message + " (seed " + SEED + ", replay with -Dmeshledger.crash.seed=" + SEED + "); child output:\n" + String.join("\n", childOutput));
    }
  }
}
