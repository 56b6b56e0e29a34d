package org.meshledger.impl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.StorageException;
import org.meshledger.chain.Hash;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.StoreContext;
import org.meshledger.spi.contract.TestChain.ChainBlock;
import org.meshledger.spi.contract.TestChain;

/**
 * A file that is not this chain's store fails on open with a StorageException naming the file and the problem; an H2 file that
 * is this chain's but damaged is rebuilt from the block log.
 */
class H2BlockStoreFileTest {
  private static final long SEED = Long.getLong("meshledger.test.seed", 7_777L);

  @TempDir
  Path dir;

  private final TestChain chain = new TestChain("file-test", SEED);

  private Path file() {
    return dir.resolve(H2BlockStore.FILE_NAME);
  }

  private BlockStore open() {
    return BlockStores.open("h2", chain.context(dir));
  }

  /** A store of {@code blocks} blocks, closed. */
  private void writeStore(int blocks) {
    try (BlockStore store = open()) {
      for (int i = 0; i < blocks; i++) {
        ChainBlock b = chain.next(20);
        store.append(b.block(), b.changes());
      }
    }
  }

  private void assertOpenFails(String... problem) {
    assertThatThrownBy(this::open)
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(file().toString())
        .hasMessageContainingAll(problem);
  }

  @Test
  void fileOfRandomBytesIsRefused() throws IOException {
    byte[] noise = new byte[64 * 1024];
    new Random(SEED).nextBytes(noise);
    Files.write(file(), noise);
    assertOpenFails("not an H2 MVStore file");
  }

  @Test
  void fileOfAnotherFormatIsRefused() throws IOException {
    Files.writeString(file(), "{\"format\":\"meshledger-ed25519-key\"}\n", StandardCharsets.UTF_8);
    assertOpenFails("not an H2 MVStore file");
  }

  @Test
  void h2FileThatIsNotABlockStoreIsRefused() throws Exception {
    Path db = dir.resolve("other");
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db.toAbsolutePath(), "sa", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE shipments(id INT PRIMARY KEY, name VARCHAR)");
      s.execute("INSERT INTO shipments VALUES (42, 'crate')");
    }
    Files.move(dir.resolve("other.mv.db"), file());
    assertOpenFails("not a Meshledger block store");
    assertThat(Files.size(file())).as("the foreign file is left alone").isPositive();
  }

  @Test
  void storeOfAnotherChainIsRefused() {
    writeStore(2);
    Hash other = Hash.sha256("another genesis".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> BlockStores.open("h2", new StoreContext(dir, chain.chainId(), other)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(file().toString())
        .hasMessageContaining("belongs to chain 'file-test' with genesis " + chain.genesisHash())
        .hasMessageContaining(other.toString());
    try (BlockStore store = open()) {
      assertThat(store.height()).as("the refused open changed nothing").isEqualTo(2);
    }
  }

  @Test
  void truncatedH2FileIsRebuiltFromTheLog() throws IOException {
    writeStore(30);
    long size = Files.size(file());
    for (long cut : new long[] {size / 2, size - 3 * 4096, 4096 + 100}) {
      try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
        ch.truncate(cut);
      }
      try (BlockStore store = open()) {
        assertThat(store.height()).as("cut at " + cut).isEqualTo(30);
        assertThat(store.block(30)).isPresent();
      }
    }
  }

  @Test
  void storeOpenTwiceIsRefused() {
    try (BlockStore first = open()) {
      assertOpenFails("in use");
      assertThat(first.height()).isZero();
    }
  }
}
