package org.meshledger.impl.store;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.meshledger.chain.Block;
import org.meshledger.spi.StateChanges;

/**
 * The block writer's CPU, as a syncing node drives it: blocks of {@code txs} transactions from {@link BenchChain}
 * appended to the real {@link H2BlockStore} in groups of {@code group}, and the appending thread's CPU time
 * inside {@code appendAll} (block making excluded) printed every {@code every} blocks, so a cost that grows with
 * the chain shows. Settings of the store are compared by running this once per setting, side by side.
 *
 * <p>Run: {@code mvn -q -pl impl test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.meshledger.impl.store.StoreWriterHarness -Dexec.args="10000 100 8 2000"} (blocks,
 * transactions per block, group, every).
 */
public final class StoreWriterHarness {
  private StoreWriterHarness() {}

  public static void main(String[] args) throws Exception {
    int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int txs = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int group = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int every = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    BenchChain chain = new BenchChain(1);
    Path dir = Files.createTempDirectory("meshledger-store-writer-");
    long cpu = 0;
    long lastPrinted = 0;
    int printedAt = 0;
    long wall0 = System.nanoTime();
    try (H2BlockStore store = H2BlockStore.open(chain.context(dir))) {
      for (int h = 0; h < blocks; h += group) {
        List<Block> bs = new ArrayList<>(group);
        List<StateChanges> cs = new ArrayList<>(group);
        for (int i = 0; i < group && h + i < blocks; i++) {
          BenchChain.Next n = chain.next(txs);
          bs.add(n.block());
          cs.add(n.changes());
        }
        long c0 = mx.getCurrentThreadCpuTime();
        store.appendAll(bs, cs);
        cpu += mx.getCurrentThreadCpuTime() - c0;
        int done = h + bs.size();
        if (done / every != (done - bs.size()) / every || done == blocks) {
          System.out.printf(Locale.ROOT, "%6d blocks: append CPU %.2f s (%.2f s for the last %d), %.0f s wall%n", done, cpu / 1e9,
              (cpu - lastPrinted) / 1e9, done - printedAt, (System.nanoTime() - wall0) / 1e9);
          lastPrinted = cpu;
          printedAt = done;
        }
      }
    } finally {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    System.out.printf(Locale.ROOT, "RESULT %s append CPU %.2f s for %d blocks of %d%n", System.getProperty("label", ""), cpu / 1e9, blocks, txs);
  }
}
