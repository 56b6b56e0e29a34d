package org.meshledger.impl.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.LocatedTransaction;
import org.meshledger.chain.Transaction;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.StateChanges;

/**
 * The process {@link H2CrashIT} kills: opens the H2 store in the directory given, prints {@code OPEN <height>},
 * then appends node-like blocks ({@link NodeLikeChain}) that continue the stored chain, one at a time or in groups
 * of 2 to 32 (as block sync's writer does), printing {@code APPENDED <height> <hash>} for each block after its append
 * returns, while two reader threads read random blocks,
 * transactions, current values, histories and the tip record (never of a block above the height) (a read per millisecond each; {@code -Dmeshledger.crash.readers=n}
 * changes their number). A reader that sees something wrong prints {@code ERROR ...}.
 * Runs until it is killed (or its parent goes away and stdin closes).
 */
public final class H2CrashChild {
  private H2CrashChild() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // the parent never writes; EOF means it is gone
        }
      } catch (IOException ignored) {
        // same: no parent
      }
      Runtime.getRuntime().halt(3);
    }, "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();

    BlockStore store = BlockStores.open("h2", NodeLikeChain.context(dir));
    NodeLikeChain chain = new NodeLikeChain(store, seed);
    System.out.println("OPEN " + store.height());
    System.out.flush();
    for (int r = 0; r < Integer.getInteger("meshledger.crash.readers", 2); r++) {
      long readerSeed = seed * 31 + r;
      Thread reader = new Thread(() -> read(store, new Random(readerSeed)), "reader-" + r);
      reader.setDaemon(true);
      reader.start();
    }
    Random groups = new Random(seed * 7 + 1);
    while (true) {
      // half the appends one block, as consensus commits; the others a group of 2 to 32, as block sync's writer does
      int n = groups.nextBoolean() ? 1 : 2 + groups.nextInt(31);
      List<Block> blocks = new ArrayList<>(n);
      List<StateChanges> changes = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        BenchChain.Next next = chain.next();
        blocks.add(next.block());
        changes.add(next.changes());
      }
      store.appendAll(blocks, changes);
      for (Block b : blocks) {
        System.out.println("APPENDED " + b.height() + " " + b.hash().toHex());
      }
      System.out.flush();
    }
  }

  private static void read(BlockStore store, Random random) {
    while (true) {
      try {
        long height = store.height();
        if (height == 0) {
          Thread.onSpinWait();
          continue;
        }
        long h = 1 + (long) (random.nextDouble() * height);
        switch (random.nextInt(6)) {
          case 0 -> {
            Block b = store.block(h).orElseThrow(() -> new AssertionError("block " + h + " missing below " + height));
            check(b.height() == h, "block " + h + " read as " + b.height());
          }
          case 1 -> {
            BlockHeader header = store.header(h).orElseThrow(() -> new AssertionError("header " + h + " missing below " + height));
            Block b = store.block(header.hash()).orElseThrow(() -> new AssertionError("block " + h + " not found by hash"));
            check(b.transactions().size() == header.transactionCount(), "block " + h + " is partial");
            if (!b.transactions().isEmpty()) {
              Transaction tx = b.transactions().get(random.nextInt(b.transactions().size()));
              Optional<LocatedTransaction> found = store.transaction(tx.id());
              check(found.isPresent() && found.get().height() <= h, "transaction " + tx.id() + " of block " + h + " not found: " + found);
            }
          }
          case 2 -> store.current("k-" + random.nextInt(NodeLikeChain.KEYS)).ifPresent(e -> check(e.height() <= store.height(), "current " + e));
          case 3 -> {
            List<DataEntry> page = store.history("k-" + random.nextInt(NodeLikeChain.KEYS), 0, 50);
            for (int i = 0; i < page.size(); i++) {
              check(page.get(i).version() == i + 1, "history has a gap: " + page);
            }
          }
          case 4 -> {
            long tip = store.record(NodeLikeChain.TIP_RECORD).map(v -> java.nio.ByteBuffer.wrap(v).getLong()).orElse(0L);
            long above = store.height();
            check(tip >= height && tip <= above, "the tip record reads block " + tip + " between heights " + height + " and " + above);
          }
          default -> store.stateDigest(h).orElseThrow(() -> new AssertionError("no state digest at " + h));
        }
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // a node's readers, not a saturating benchmark
      } catch (Throwable e) {
        System.out.println("ERROR reader: " + e);
        System.out.flush();
      }
    }
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
