package org.meshledger.samples.supplychain;

import io.vertx.core.Future;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.meshledger.Ledger;
import org.meshledger.chain.CommittedBlock;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;

/**
 * A host's own view of the ledger that survives restarts: the latest status of every shipment, kept in a file
 * together with the height of the last block it includes, and written on the host's own thread. It follows the
 * chain with {@link Ledger#onBlockAsync}: the node offers the next block only once the file with the previous
 * one is on disk, so a slow disk holds up only the tracker, never the node; and after a restart it resumes from
 * the stored height plus one, so no block is missed and none is applied twice.
 *
 * <p>The file is replaced atomically for each block (write a temporary file, then move it over the old one): the
 * statuses and the height always change together. One tracker follows one ledger at a time.
 */
public final class ShipmentTracker implements AutoCloseable {
  private static final String PREFIX = "shipment/";
  private static final String HEIGHT = "#height";

  private final Path file;
  /** The host's disk thread: blocking I/O happens here, never on the node's event loop. */
  private final ExecutorService disk = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "shipment-tracker-disk");
    t.setDaemon(true);
    return t;
  });
  /** Touched on the disk thread only (and before the first block). */
  private final TreeMap<String, String> statuses = new TreeMap<>();
  private volatile long height;
  private volatile int applied;
  private Ledger.Subscription subscription;

  private ShipmentTracker(Path file) {
    this.file = file;
  }

  /** The tracker kept in {@code file}: as stored there, or empty at height 0 if the file does not exist yet. */
  public static ShipmentTracker open(Path file) throws IOException {
    ShipmentTracker t = new ShipmentTracker(file);
    if (Files.exists(file)) {
      Properties p = new Properties();
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(in);
      }
      t.height = Long.parseLong(p.getProperty(HEIGHT, "0"));
      p.stringPropertyNames().stream().filter(k -> !k.equals(HEIGHT)).forEach(k -> t.statuses.put(k, p.getProperty(k)));
    }
    return t;
  }

  /**
   * Follows {@code ledger} from the block after the stored height, on and on. If handling a block fails (the disk
   * is full, say), the subscription ends at that block and says so; calling this again resumes there.
   */
  public Ledger.Subscription follow(Ledger ledger) {
    // [ledger-resume]
    long next = height() + 1; // the height stored with the statuses, plus one: no gap, no duplicate
    subscription = ledger.onBlockAsync(next, block ->
        Future.fromCompletionStage(CompletableFuture.runAsync(() -> apply(block), disk))); // the next block waits for this
    subscription.ended().onFailure(e -> System.err.println("tracking stopped at block " + subscription.nextHeight() + ": " + e
        + "; follow again to resume there"));
    // [/ledger-resume]
    return subscription;
  }

  /** On the disk thread: the block's applied DATA writes under "shipment/", then statuses and height to disk at once. */
  private void apply(CommittedBlock block) {
    if (block.height() != height + 1) {
      throw new IllegalStateException("block " + block.height() + " does not follow the stored height " + height);
    }
    for (int i = 0; i < block.block().transactions().size(); i++) {
      Transaction tx = block.block().transactions().get(i);
      if (block.results().get(i).isAccepted() && tx.payload() instanceof Payload.DataWrite w && w.key().startsWith(PREFIX)) {
        statuses.put(w.key(), new String(w.value(), StandardCharsets.UTF_8));
      }
    }
    Properties p = new Properties();
    statuses.forEach(p::setProperty);
    p.setProperty(HEIGHT, Long.toString(block.height()));
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(out, "shipment statuses up to block " + block.height());
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the statuses of block " + block.height() + " in " + file, e);
    }
    height = block.height();
    applied++;
  }

  /** The height of the last block whose statuses are stored. */
  public long height() {
    return height;
  }

  /** Blocks this tracker applied since it was opened. */
  public int applied() {
    return applied;
  }

  /** The latest status of each shipment, as stored; while the tracker is open. */
  public Map<String, String> statuses() {
    return CompletableFuture.supplyAsync(() -> Map.copyOf(statuses), disk).join();
  }

  /** Stops following; the disk thread finishes the block it is writing, then ends. */
  @Override
  public void close() {
    if (subscription == null) {
      disk.shutdown();
      return;
    }
    subscription.close();
    subscription.ended().onComplete(ar -> disk.shutdown()); // once no block can be offered any more
  }
}
