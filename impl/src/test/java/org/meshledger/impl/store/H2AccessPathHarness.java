package org.meshledger.impl.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Block;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Transaction;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.StateChanges;

/**
 * Measures appends of blocks of 1,000 transactions to H2 through its two access paths, with the same data
 * layout: the MVStore API (the real {@link H2BlockStore}, found through the SPI) and SQL over JDBC (a
 * prototype writer below, tables keyed the same way). Block making is outside the timed section; signatures
 * are random bytes (the store never checks them). The results are recorded in docs/adr/002-h2-access-path.md.
 *
 * <p>Run: {@code mvn -q -pl impl test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.meshledger.impl.store.H2AccessPathHarness -Dexec.args="200 5"} (blocks per run, runs).
 */
public final class H2AccessPathHarness {
  private static final int TXS = 1_000;

  private H2AccessPathHarness() {}

  interface Appender extends AutoCloseable {
    void append(Block block, StateChanges changes) throws SQLException;

    @Override
    void close() throws SQLException;
  }

  public static void main(String[] args) throws Exception {
    int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<String> paths = args.length > 2 ? List.of(args[2].split(",")) : List.of("mvstore", "jdbc", "jdbc-sync");
    System.out.printf("%d blocks of %d transactions per run, %d runs per path, %d cores, %s%n", blocks, TXS, runs,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    warmUp();
    for (String path : paths) {
      List<Double> rates = new ArrayList<>();
      List<Long> sizes = new ArrayList<>();
      for (int run = 0; run < runs; run++) {
        Path dir = Files.createTempDirectory("h2-harness");
        try {
          double[] r = run(path, dir, blocks, run);
          rates.add(r[0]);
          sizes.add((long) r[1]);
          System.out.printf("  %-10s run %d: %,8.0f tx/s, file %,d bytes after %d blocks%n", path, run + 1, r[0], (long) r[1], blocks);
        } finally {
          delete(dir);
        }
      }
      Collections.sort(rates);
      Collections.sort(sizes);
      System.out.printf("%-10s median %,8.0f tx/s (min %,.0f, max %,.0f), median file %,.1f MB%n", path, rates.get(rates.size() / 2), rates.get(0),
          rates.get(rates.size() - 1), sizes.get(sizes.size() / 2) / 1e6);
    }
  }

  private static void warmUp() throws Exception {
    for (String path : List.of("mvstore", "jdbc")) {
      Path dir = Files.createTempDirectory("h2-harness-warmup");
      try {
        run(path, dir, 30, 99);
      } finally {
        delete(dir);
      }
    }
  }

  /** Appends {@code blocks} blocks; returns transactions per second of the timed appends and the file size. */
  private static double[] run(String path, Path dir, int blocks, long seed) throws Exception {
    BenchChain chain = new BenchChain(seed);
    long nanos = 0;
    try (Appender appender = appender(path, dir, chain)) {
      for (int i = 0; i < blocks; i++) {
        BenchChain.Next next = chain.next(TXS);
        long start = System.nanoTime();
        appender.append(next.block(), next.changes());
        nanos += System.nanoTime() - start;
      }
    }
    long size;
    try (Stream<Path> files = Files.list(dir)) {
      size = files.mapToLong(p -> p.toFile().length()).sum();
    }
    return new double[] {blocks * (double) TXS / (nanos / 1e9), size};
  }

  private static Appender appender(String path, Path dir, BenchChain chain) throws SQLException {
    switch (path) {
      case "mvstore": {
        BlockStore store = BlockStores.open("h2", chain.context(dir));
        return new Appender() {
          @Override
          public void append(Block block, StateChanges changes) {
            store.append(block, changes);
          }

          @Override
          public void close() {
            store.close();
          }
        };
      }
      case "jdbc":
        return new JdbcAppender(dir, false);
      case "jdbc-sync":
        return new JdbcAppender(dir, true);
      default:
        throw new IllegalArgumentException("unknown path " + path + " (mvstore, jdbc, jdbc-sync)");
    }
  }

  /**
   * The SQL prototype: the H2 store's layout as tables, batch inserts per table, one commit per block.
   * {@code WRITE_DELAY 0} writes at each commit; with {@code sync}, {@code CHECKPOINT SYNC} forces it to disk
   * as the MVStore path's fsync does. It checks less than the real store (no version lookups), which only
   * favours it.
   */
  static final class JdbcAppender implements Appender {
    private final Connection c;
    private final boolean sync;
    private final PreparedStatement block;
    private final PreparedStatement blockHash;
    private final PreparedStatement tx;
    private final PreparedStatement txId;
    private final PreparedStatement write;
    private final PreparedStatement account;

    JdbcAppender(Path dir, boolean sync) throws SQLException {
      this.sync = sync;
      c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("ledger").toAbsolutePath() + ";WRITE_DELAY=0;RETENTION_TIME=1000", "sa", "");
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE blocks(height BIGINT PRIMARY KEY, record VARBINARY NOT NULL)");
        s.execute("CREATE TABLE block_hashes(hash BINARY(32) PRIMARY KEY, height BIGINT NOT NULL)");
        s.execute("CREATE TABLE transactions(position BIGINT PRIMARY KEY, body VARBINARY NOT NULL)");
        s.execute("CREATE TABLE transaction_ids(prefix BIGINT PRIMARY KEY, position BIGINT NOT NULL)");
        s.execute("CREATE TABLE writes(data_key VARCHAR(256) NOT NULL, version BIGINT NOT NULL, position BIGINT NOT NULL, PRIMARY KEY(data_key, version))");
        s.execute("CREATE TABLE accounts(account BINARY(32) NOT NULL, height BIGINT NOT NULL, balance BIGINT NOT NULL, nonce BIGINT NOT NULL,"
            + " PRIMARY KEY(account, height))");
      }
      c.commit();
      block = c.prepareStatement("INSERT INTO blocks VALUES (?, ?)");
      blockHash = c.prepareStatement("INSERT INTO block_hashes VALUES (?, ?)");
      tx = c.prepareStatement("INSERT INTO transactions VALUES (?, ?)");
      txId = c.prepareStatement("MERGE INTO transaction_ids KEY(prefix) VALUES (?, ?)");
      write = c.prepareStatement("INSERT INTO writes VALUES (?, ?, ?)");
      account = c.prepareStatement("INSERT INTO accounts VALUES (?, ?, ?, ?)");
    }

    @Override
    public void append(Block b, StateChanges changes) throws SQLException {
      long h = b.height();
      List<Transaction> txs = b.transactions();
      for (int i = 0; i < txs.size(); i++) {
        long position = h << 17 | i;
        tx.setLong(1, position);
        tx.setBytes(2, txs.get(i).encode());
        tx.addBatch();
        txId.setLong(1, java.nio.ByteBuffer.wrap(txs.get(i).id().bytes()).getLong());
        txId.setLong(2, position);
        txId.addBatch();
      }
      for (DataEntry w : changes.writes()) {
        write.setString(1, w.key());
        write.setLong(2, w.version());
        write.setLong(3, h << 17 | w.index());
        write.addBatch();
      }
      for (Map.Entry<AccountId, AccountState> a : changes.accounts().entrySet()) {
        account.setBytes(1, a.getKey().key());
        account.setLong(2, h);
        account.setLong(3, a.getValue().balance().units());
        account.setLong(4, a.getValue().nextNonce());
        account.addBatch();
      }
      blockHash.setBytes(1, b.hash().bytes());
      blockHash.setLong(2, h);
      block.setLong(1, h);
      block.setBytes(2, Keys.blockRecord(b));
      tx.executeBatch();
      txId.executeBatch();
      write.executeBatch();
      account.executeBatch();
      blockHash.executeUpdate();
      block.executeUpdate();
      c.commit();
      if (sync) {
        try (Statement s = c.createStatement()) {
          s.execute("CHECKPOINT SYNC");
        }
      }
    }

    @Override
    public void close() throws SQLException {
      c.close();
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
