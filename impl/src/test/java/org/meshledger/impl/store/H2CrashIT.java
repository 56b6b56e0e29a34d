package org.meshledger.impl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.chain.Block;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Transaction;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;

/**
 * kill -9 the way a node dies: a child JVM ({@link H2CrashChild}) appends node-like blocks (1 to 5,000
 * transactions of mixed sizes, hundreds of blocks per life, through compaction and space reuse) while two
 * threads read, and is killed with SIGKILL at a random moment 0.2 to 3 s (by default) after it started: while starting,
 * opening, catching up, appending or compacting. After each kill the store must reopen holding a gap-free,
 * linked prefix that contains every block the child reported appended (its {@code append} returned), each the
 * very block acknowledged (same hash), with the ledger record its last block set, and the next child continues on the
 * same directory. Every fifth life or
 * so starts with the H2 file deleted, so that the child is killed while it rebuilds the store from its block log.
 *
 * <p>Seeded: the seed is printed and named in every failure; replay with {@code -Dmeshledger.crash.seed=<seed>}.
 * {@code -Dmeshledger.crash.kills=<n>} sets the number of kills (default 18; the {@code store-soak} profile runs
 * 120, with lives of up to 8 s). {@code -Dmeshledger.crash.maxLifeMillis=<ms>} sets the longest life (default 3,000).
 * {@code -Dmeshledger.crash.tolerateLoss=true} counts lost blocks instead of failing (for measuring a
 * store that loses them, as in ADR 008).
 */
class H2CrashIT {
  private static final long SEED = Long.getLong("meshledger.crash.seed", System.nanoTime());
  private static final int KILLS = Integer.getInteger("meshledger.crash.kills", 18);
  private static final boolean TOLERATE_LOSS = Boolean.getBoolean("meshledger.crash.tolerateLoss");
  private static final int MAX_LIFE_MILLIS = Integer.getInteger("meshledger.crash.maxLifeMillis", 3_000);

  @TempDir
  Path dir;

  private final List<String> childOutput = new ArrayList<>();
  /** The hash of every block acknowledged, by height (index 0 unused). */
  private final List<Hash> acknowledged = new ArrayList<>(List.of(NodeLikeChain.GENESIS));
  private long verified;

  @Test
  void noAcknowledgedBlockIsLostToKillNineAtRandomMoments() throws Exception {
    System.out.println("H2CrashIT seed " + SEED + " (replay with -Dmeshledger.crash.seed=" + SEED + "), " + KILLS + " kills");
    Random random = new Random(SEED);
    long start = System.nanoTime();
    int lossyKills = 0;
    long lostBlocks = 0;
    int wipes = 0;
    for (int kill = 1; kill <= KILLS; kill++) {
      childOutput.clear();
      if (kill > 2 && random.nextInt(5) == 0 && Files.exists(dir.resolve(BlockLog.FILE_NAME))) {
        Files.delete(dir.resolve(H2BlockStore.FILE_NAME)); // the child rebuilds H2 from the log, and may die doing it
        wipes++;
      }
      long delayMillis = 200 + random.nextInt(MAX_LIFE_MILLIS - 200);
      runAndKill(kill, random.nextLong(), delayMillis);
      long lost = reopenAndVerify(kill);
      if (lost > 0) {
        lossyKills++;
        lostBlocks += lost;
      }
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    long transactions = 0;
    try (BlockStore store = BlockStores.open("h2", NodeLikeChain.context(dir))) {
      assertThat(store.height()).isEqualTo(verified);
      for (long h = 1; h <= store.height(); h++) {
        transactions += store.header(h).orElseThrow().transactionCount();
      }
    }
    System.out.printf("H2CrashIT: %d kills (%d of them after deleting the H2 file) in %d ms: %d blocks (%d transactions) acknowledged and"
        + " found; %d kills lost acknowledged blocks, %d blocks lost (seed %d)%n", KILLS, wipes, millis, verified, transactions, lossyKills,
        lostBlocks, SEED);
    assertThat(lossyKills).as("kills after which acknowledged blocks were missing (seed " + SEED + ")").isZero();
  }

  /** Starts a child, kills it {@code delayMillis} after it started, and records every block it acknowledged. */
  private void runAndKill(int kill, long childSeed, long delayMillis) throws Exception {
    Process child = start(childSeed);
    List<String> lines = new ArrayList<>();
    Thread drain = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          synchronized (lines) {
            lines.add(line);
          }
        }
      } catch (IOException e) {
        synchronized (lines) {
          lines.add("ERROR reading the child: " + e);
        }
      }
    }, "child-output");
    drain.start();
    try {
      if (child.waitFor(delayMillis, TimeUnit.MILLISECONDS)) {
        drain.join();
        fail("kill " + kill + ": the child exited by itself (" + child.exitValue() + ")" + context(lines));
      }
      // SIGKILL through the handle: Process.destroyForcibly would also close our end of the pipe, and the lines
      // the child wrote before it died must still be read
      child.toHandle().destroyForcibly();
      child.waitFor();
      drain.join(TimeUnit.SECONDS.toMillis(30));
    } finally {
      child.destroyForcibly();
    }
    for (String line : lines) {
      childOutput.add(line);
      if (line.startsWith("ERROR")) {
        fail("kill " + kill + ": " + line + context(lines));
      } else if (line.startsWith("OPEN ")) {
        long opened = Long.parseLong(line.substring(5).trim());
        if (opened < acknowledged.size() - 1 && !TOLERATE_LOSS) {
          fail("kill " + kill + ": the child opened the store at height " + opened + " but block " + (acknowledged.size() - 1)
              + " had been acknowledged" + context(lines));
        }
        truncateAcknowledged(opened);
      } else if (line.startsWith("APPENDED ")) {
        String[] parts = line.split(" ");
        long h = Long.parseLong(parts[1]);
        check(h == acknowledged.size(), "kill " + kill + ": the child appended " + h + " after " + (acknowledged.size() - 1));
        acknowledged.add(Hash.fromHex(parts[2]));
      }
    }
  }

  /**
   * Reopens the store, checks that it holds every acknowledged block and that the blocks above the last
   * verified height link and read back whole; returns how many acknowledged blocks are missing (0, or the test
   * fails, unless loss is tolerated).
   */
  private long reopenAndVerify(int kill) {
    long lost = 0;
    long last = acknowledged.size() - 1;
    try (BlockStore store = reopen(kill)) {
      long height = store.height();
      if (height < last) {
        lost = last - height;
        if (!TOLERATE_LOSS) {
          fail("kill " + kill + ": the store reopened at height " + height + " but block " + last + " had been acknowledged" + context(childOutput));
        }
        System.out.println("kill " + kill + ": LOST blocks " + (height + 1) + " to " + last);
        truncateAcknowledged(height);
        verified = Math.min(verified, height);
      }
      Hash previous = verified == 0 ? NodeLikeChain.GENESIS : store.header(verified).orElseThrow().hash();
      for (long h = verified + 1; h <= height; h++) {
        long at = h;
        Block b = store.block(h).orElseThrow(() -> new AssertionError("kill " + kill + ": block " + at + " missing below " + height));
        check(b.header().previousHash().equals(previous), "kill " + kill + ": block " + h + " does not link to block " + (h - 1));
        if (h < acknowledged.size()) {
          check(b.hash().equals(acknowledged.get((int) h)), "kill " + kill + ": block " + h + " is not the block acknowledged");
        } else {
          acknowledged.add(b.hash()); // appended but killed before it was reported: it is part of the chain now
        }
        if (!b.transactions().isEmpty()) {
          Transaction tx = b.transactions().get((int) (h % b.transactions().size()));
          check(store.transaction(tx.id()).isPresent(), "kill " + kill + ": transaction " + tx.id() + " of block " + h + " not found");
        }
        check(store.stateDigest(h).isPresent(), "kill " + kill + ": no state digest at " + h);
        previous = b.hash();
      }
      for (long h = Math.max(1, height - NodeLikeChain.SLOTS + 1); h <= height; h++) {
        long slot = store.record(NodeLikeChain.slot(h)).map(v -> java.nio.ByteBuffer.wrap(v).getLong()).orElse(0L);
        check(slot == h, "kill " + kill + ": the record block " + h + " set reads " + slot + " at height " + height + " (a block's records"
            + " were lost)");
      }
      if (height > 0) {
        long tip = store.record(NodeLikeChain.TIP_RECORD).map(v -> java.nio.ByteBuffer.wrap(v).getLong()).orElse(0L);
        check(tip == height, "kill " + kill + ": the record set by block " + height + " reads " + tip + " (the last block's record was lost"
            + " or one of a block beyond the store's height kept)");
      }
      verified = height;
    }
    return lost;
  }

  private BlockStore reopen(int kill) {
    try {
      return BlockStores.open("h2", NodeLikeChain.context(dir));
    } catch (RuntimeException e) {
      if (!TOLERATE_LOSS) {
        throw new AssertionError("kill " + kill + ": the store does not reopen: " + e + context(childOutput), e);
      }
      System.out.println("kill " + kill + ": " + e.getMessage());
      deleteQuietly(dir.resolve(H2BlockStore.FILE_NAME + ".tip")); // the old store's tip file refuses; see what is left
      return BlockStores.open("h2", NodeLikeChain.context(dir));
    }
  }

  private void truncateAcknowledged(long height) {
    while (acknowledged.size() - 1 > height) {
      acknowledged.remove(acknowledged.size() - 1);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private Process start(long childSeed) throws IOException {
    String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        H2CrashChild.class.getName(), dir.toString(), Long.toString(childSeed)));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
  }

  private static String context(List<String> lines) {
    List<String> tail;
    synchronized (lines) {
      tail = lines.stream().filter(l -> !l.startsWith("APPENDED")).limit(40).toList();
    }
    return " (seed " + SEED + ", replay with -Dmeshledger.crash.seed=" + SEED + "); child output other than APPENDED:\n" + String.join("\n", tail);
  }

  private void check(boolean condition, String message) {
    if (!condition) {
      fail(message + context(childOutput));
    }
  }
}
