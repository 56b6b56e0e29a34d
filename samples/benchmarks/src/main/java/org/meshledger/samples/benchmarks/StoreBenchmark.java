package org.meshledger.samples.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.StateChanges;
import org.meshledger.spi.StoreContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The block stores, through the public SPI, on the H2 default and the in-memory store side by side.
 *
 * <p>{@code append}: blocks of 1,000 signed DATA writes with their state changes, committed one block per
 * call; the score is transactions per second. Blocks are built (and signed) before the measurement, so the
 * figure is the store's alone. {@code read*}: point reads of random entries of a store of 100 blocks.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(3)
public class StoreBenchmark {
  static final int TRANSACTIONS_PER_BLOCK = 1_000;

  /** Pre-built blocks with their state changes, reused by every fresh store. */
  static final class Chain {
    final List<Block> blocks = new ArrayList<>();
    final List<StateChanges> changes = new ArrayList<>();
    final Hash genesis = Hash.sha256(new byte[] {42});

    Chain(int length) {
      List<KeyPair> senders = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        senders.add(Fixtures.key(0x40 + i));
      }
      Map<String, Long> versions = new HashMap<>();
      Hash previous = genesis;
      for (int h = 1; h <= length; h++) {
        List<Transaction> txs = Fixtures.transactions(TRANSACTIONS_PER_BLOCK, (long) (h - 1) * TRANSACTIONS_PER_BLOCK / senders.size(), senders);
        Block block = Fixtures.block(h, previous, txs);
        List<DataEntry> writes = new ArrayList<>();
        Map<AccountId, AccountState> accounts = new HashMap<>();
        for (int i = 0; i < txs.size(); i++) {
          Transaction tx = txs.get(i);
          Payload.DataWrite w = (Payload.DataWrite) tx.payload();
          long version = versions.merge(w.key(), 1L, Long::sum);
          writes.add(new DataEntry(w.key(), w.value(), version, tx.sender(), h, i, tx.id()));
          accounts.put(tx.sender(), new AccountState(Amount.of(1_000_000_000L - tx.nonce() - 1), tx.nonce() + 1));
        }
        blocks.add(block);
        changes.add(new StateChanges(writes, accounts));
        previous = block.hash();
      }
    }
  }

  private static Path freshDirectory() throws IOException {
    return Files.createTempDirectory("meshledger-bench-");
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** A fresh empty store per iteration and a pre-built chain long enough for the iteration. */
  @State(Scope.Benchmark)
  public static class Appending {
    @Param({"h2", "memory"})
    public String store;

    /** Blocks to append; when an iteration appends them all, it continues on a fresh store. */
    final Chain chain = new Chain(Integer.getInteger("bench.blocks", 300));
    BlockStore open;
    Path dir;
    int next;

    @Setup(Level.Iteration)
    public void open() throws IOException {
      dir = freshDirectory();
      open = BlockStores.open(store, new StoreContext(dir, Fixtures.CHAIN, chain.genesis));
      next = 0;
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
      open.close();
      delete(dir);
    }

    void restart() {
      try {
        close();
        open();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Benchmark
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @OperationsPerInvocation(TRANSACTIONS_PER_BLOCK)
  public long append(Appending s) {
    if (s.next == s.chain.blocks.size()) {
      s.restart(); // the pre-built chain ran out: start again on a fresh store (rare, and counted)
    }
    s.open.append(s.chain.blocks.get(s.next), s.chain.changes.get(s.next));
    s.next++;
    return s.open.height();
  }

  /** A store of 100 blocks (100,000 transactions) to read from. */
  @State(Scope.Benchmark)
  public static class Reading {
    @Param({"h2", "memory"})
    public String store;

    BlockStore open;
    Path dir;
    List<Hash> ids;
    List<String> keys;
    long height;

    @Setup(Level.Trial)
    public void fill() throws IOException {
      Chain chain = new Chain(100);
      dir = freshDirectory();
      open = BlockStores.open(store, new StoreContext(dir, Fixtures.CHAIN, chain.genesis));
      ids = new ArrayList<>();
      keys = new ArrayList<>();
      for (int i = 0; i < chain.blocks.size(); i++) {
        open.append(chain.blocks.get(i), chain.changes.get(i));
        for (Transaction tx : chain.blocks.get(i).transactions()) {
          ids.add(tx.id());
          keys.add(((Payload.DataWrite) tx.payload()).key());
        }
      }
      height = open.height();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      open.close();
      delete(dir);
    }
  }

  @Benchmark
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public Object readTransactionById(Reading s) {
    return s.open.transaction(s.ids.get(ThreadLocalRandom.current().nextInt(s.ids.size()))).orElseThrow();
  }

  @Benchmark
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public Object readCurrentValue(Reading s) {
    return s.open.current(s.keys.get(ThreadLocalRandom.current().nextInt(s.keys.size()))).orElseThrow();
  }

  @Benchmark
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public Object readHeader(Reading s) {
    return s.open.header(1 + ThreadLocalRandom.current().nextLong(s.height)).orElseThrow();
  }

  /** A whole block of 1,000 transactions, decoded. */
  @Benchmark
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public Object readBlock(Reading s) {
    return s.open.block(1 + ThreadLocalRandom.current().nextLong(s.height)).orElseThrow();
  }
}
