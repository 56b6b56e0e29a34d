package org.meshledger.impl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.StorageException;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.contract.TestChain.ChainBlock;
import org.meshledger.spi.contract.TestChain;

/**
 * The block log is the truth: torn tails are cut, corruption is named, and H2 is caught up or rebuilt from the log,
 * with the ledger's records (the test chain sets some in most blocks).
 */
class BlockLogRecoveryTest {
  private static final long SEED = Long.getLong("meshledger.test.seed", 8_008L);

  @TempDir
  Path dir;
  @TempDir
  Path killed;

  private TestChain chain = new TestChain("log-test", SEED);
  private final List<ChainBlock> appended = new ArrayList<>();

  private Path h2() {
    return dir.resolve(H2BlockStore.FILE_NAME);
  }

  private Path log() {
    return dir.resolve(BlockLog.FILE_NAME);
  }

  private BlockStore open() {
    return BlockStores.open("h2", chain.context(dir));
  }

  private void append(int blocks) {
    try (BlockStore store = open()) {
      for (int i = 0; i < blocks; i++) {
        ChainBlock b = chain.next(1 + i % 30);
        store.append(b.block(), b.changes());
        appended.add(b);
      }
    }
  }

  /** Everything a reader can ask the store about, as text, to compare stores. */
  private String snapshot() {
    return snapshot(dir);
  }

  private String snapshot(Path directory) {
    StringBuilder s = new StringBuilder();
    try (BlockStore store = BlockStores.open("h2", chain.context(directory))) {
      s.append("height ").append(store.height()).append('\n');
      for (long h = 1; h <= store.height(); h++) {
        s.append(store.block(h).orElseThrow().encode().length).append(' ').append(store.header(h).orElseThrow().hash())
            .append(' ').append(store.rejected(h)).append(' ').append(store.stateDigest(h)).append('\n');
        for (Transaction tx : store.block(h).orElseThrow().transactions()) {
          s.append(store.transaction(tx.id()).orElseThrow()).append('\n');
        }
      }
      for (int k = 0; k < TestChain.KEYS; k++) {
        s.append(store.current("key-" + k)).append(store.history("key-" + k, 0, 1_000)).append('\n');
      }
      chain.users().forEach(u -> s.append(store.account(u.accountId())).append('\n'));
      store.records("", BlockStore.MAX_RECORDS_PAGE).forEach((k, v) -> s.append("record ").append(k).append('=')
          .append(java.util.HexFormat.of().formatHex(v)).append('\n'));
    }
    return s.toString();
  }

  private static void write(Path file, long offset, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(bytes), offset);
    }
  }

  /** The offset of the record of block {@code height}, found by walking the frames. */
  private long recordOffset(long height) throws IOException {
    try (FileChannel ch = FileChannel.open(log(), StandardOpenOption.READ)) {
      long offset = BlockLog.HEADER_BYTES;
      for (long h = 1; h < height; h++) {
        ByteBuffer frame = ByteBuffer.allocate(4);
        ch.read(frame, offset);
        offset += BlockLog.FRAME_BYTES + frame.getInt(0);
      }
      return offset;
    }
  }

  @Test
  void tornTailIsCutAndEveryAcknowledgedBlockStays() throws IOException {
    append(12);
    long size = Files.size(log());
    byte[] garbage = new byte[5_000];
    new Random(SEED).nextBytes(garbage);
    write(log(), size, garbage); // a record that was being written when the process died
    try (BlockStore store = open()) {
      assertThat(store.height()).isEqualTo(12);
      ChainBlock next = chain.next(5);
      store.append(next.block(), next.changes());
    }
    assertThat(Files.size(log())).isGreaterThan(size);
    try (BlockStore store = open()) {
      assertThat(store.height()).isEqualTo(13);
    }
  }

  @Test
  void partialLastRecordIsCut() throws IOException {
    append(10);
    long last = recordOffset(10);
    try (FileChannel ch = FileChannel.open(log(), StandardOpenOption.WRITE)) {
      ch.truncate(last + 40); // the frame and part of the body of block 10
    }
    Files.delete(h2()); // H2 held block 10 but the log does not (a store must follow its log)
    try (BlockStore store = open()) {
      assertThat(store.height()).isEqualTo(9);
      assertThat(store.block(9).orElseThrow().hash()).isEqualTo(appended.get(8).hash());
    }
    assertThat(Files.size(log())).isEqualTo(last);
  }

  @Test
  void checksumFailureInTheLastRecordIsATornTail() throws IOException {
    append(10);
    long last = recordOffset(10);
    write(log(), last + BlockLog.FRAME_BYTES + 50, new byte[] {0x5a, 0x5a});
    Files.delete(h2());
    try (BlockStore store = open()) {
      assertThat(store.height()).isEqualTo(9);
    }
  }

  @Test
  void checksumFailureInTheMiddleIsCorruptionNamingFileAndHeight() throws IOException {
    append(10);
    write(log(), recordOffset(5) + BlockLog.FRAME_BYTES + 50, new byte[] {0x5a, 0x5a});
    Files.delete(h2());
    assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
        .hasMessageContaining(log().toString())
        .hasMessageContaining("corrupt")
        .hasMessageContaining("block 5");
  }

  @Test
  void deletedH2FileIsRebuiltFromTheLogWithEveryReadEqual() throws IOException {
    append(25);
    String before = snapshot();
    Files.delete(h2());
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void unreadableH2FileIsSetAsideAndRebuilt() throws IOException {
    append(25);
    String before = snapshot();
    byte[] noise = new byte[(int) Files.size(h2()) - 4];
    new Random(SEED).nextBytes(noise);
    write(h2(), 4, noise); // keeps H2's magic "H:2,", loses everything else
    assertThat(snapshot()).isEqualTo(before);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith(H2BlockStore.FILE_NAME + ".corrupt-"));
    }
  }

  @Test
  void h2BehindTheLogIsCaughtUp() throws IOException {
    append(10);
    Path old = dir.resolve("old.mv");
    Files.copy(h2(), old);
    append(15);
    String before = snapshot();
    Files.move(old, h2(), StandardCopyOption.REPLACE_EXISTING);
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aFailedApplyAfterBlocksH2HadNotCommittedLosesNoneOfThem() throws IOException {
    append(3); // closed: H2 committed
    try (BlockStore store = open()) {
      H2BlockStore h2 = (H2BlockStore) store;
      for (int i = 0; i < 4; i++) { // within a checkpoint's interval: applied, not committed
        ChainBlock b = chain.next(5);
        store.append(b.block(), b.changes());
        appended.add(b);
      }
      ChainBlock x = chain.next(5);
      ChainBlock y = chain.next(5);
      h2.beforeApply(block -> {
        if (block.height() == y.block().height()) {
          throw new IllegalStateException("injected fault at block " + block.height());
        }
      });
      assertThatThrownBy(() -> store.appendAll(List.of(x.block(), y.block()), List.of(x.changes(), y.changes())))
          .hasMessageContaining("injected fault");
      assertThat(store.height()).isEqualTo(7);
      for (ChainBlock b : appended) {
        assertThat(store.block(b.block().height())).contains(b.block());
        for (Transaction tx : b.block().transactions()) {
          assertThat(store.transaction(tx.id())).isPresent();
        }
      }
      assertThat(store.transaction(x.block().transactions().get(0).id())).isEmpty();
      h2.beforeApply(null);
      store.appendAll(List.of(x.block(), y.block()), List.of(x.changes(), y.changes()));
      appended.add(x);
      appended.add(y);
    }
    String reopened = snapshot();
    assertThat(reopened).startsWith("height 9\n");
    Files.delete(h2());
    assertThat(snapshot()).as("the same as H2 rebuilt from the log").isEqualTo(reopened);
  }

  @Test
  void storeLeftOpenCatchesUpFromItsLastCheckpoint() throws IOException {
    append(2);
    BlockStore store = open();
    for (int i = 0; i < 20; i++) {
      ChainBlock b = chain.next(3);
      store.append(b.block(), b.changes());
      appended.add(b);
    }
    ChainBlock last = chain.next(List.of(), java.util.Map.of("meshledger/last", "set by block 23".getBytes(StandardCharsets.UTF_8),
        TestChain.RECORD_KEYS.get(0), new byte[0]));
    store.append(last.block(), last.changes());
    copyTree(dir, killed); // as a kill leaves it: H2 at its last commit, the log whole
    store.close();
    String closed = snapshot();
    assertThat(snapshot(killed)).isEqualTo(closed).startsWith("height 23\n");
    try (BlockStore recovered = BlockStores.open("h2", chain.context(killed))) {
      assertThat(recovered.record("meshledger/last")).as("a record set by a block that was only in the log")
          .hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("set by block 23"));
      assertThat(recovered.record(TestChain.RECORD_KEYS.get(0))).as("a record removed by a block that was only in the log").isEmpty();
      assertThat(recovered.records("", BlockStore.MAX_RECORDS_PAGE)).hasSameSizeAs(chain.records());
    }
  }

  /**
   * Blocks of about 1 MB (16 DATA writes of 60 KB), each setting a record of its own,
   * {@code meshledger/test/block-<height>}, so a record lost is not hidden by a later block setting it again.
   */
  private List<ChainBlock> largeBlocks(int count) {
    List<ChainBlock> blocks = new ArrayList<>();
    Random random = new Random(SEED);
    for (int b = 0; b < count; b++) {
      List<Transaction> txs = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        byte[] value = new byte[60 * 1024];
        random.nextBytes(value);
        txs.add(chain.sign(chain.users().get(i % chain.users().size()), Payload.DataWrite.of("large-" + i, value)));
      }
      long h = chain.height() + 1;
      blocks.add(chain.next(txs, Map.of("meshledger/test/block-" + h, Long.toString(h).getBytes(StandardCharsets.UTF_8))));
    }
    return blocks;
  }

  private static void appendAll(BlockStore store, List<ChainBlock> blocks) {
    store.appendAll(blocks.stream().map(ChainBlock::block).toList(), blocks.stream().map(ChainBlock::changes).toList());
  }

  @Test
  void aKillInTheMiddleOfAGroupOfLargeBlocksLosesNoRecord() throws IOException {
    // H2 used to commit by itself whenever its unsaved changes passed 19 MB, also in the middle of a group, whose
    // records were still staged: a kill after such a commit left H2 holding blocks without their records, level with
    // the log, so nothing applied them again
    append(2);
    List<ChainBlock> group = largeBlocks(40); // about 40 MB
    long last = group.get(group.size() - 1).height();
    try (BlockStore store = open()) {
      ((H2BlockStore) store).beforeApply(b -> {
        if (b.height() == last) {
          try {
            copyTree(dir, killed); // as a kill leaves it: the log holds the block, H2 what it last committed
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      });
      appendAll(store, group);
    }
    try (BlockStore recovered = BlockStores.open("h2", chain.context(killed))) {
      assertThat(recovered.height()).isEqualTo(last);
      for (ChainBlock b : group) {
        assertThat(recovered.record("meshledger/test/block-" + b.height())).as("the record block %d set", b.height())
            .hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo(Long.toString(b.height())));
      }
    }
  }

  @Test
  void aGroupWhoseChangesPassTheUnsavedLimitIsCommittedAtItsEnd() throws IOException {
    append(2);
    List<ChainBlock> group = largeBlocks(80); // about 77 MB, more than H2Files.UNSAVED_BYTES (64 MB at most)
    assertThat(H2Files.UNSAVED_BYTES).isLessThan(77L << 20);
    try (BlockStore store = open()) {
      appendAll(store, group);
      copyTree(dir, killed); // at once: well within the checkpoint interval (H2BlockStore.CHECKPOINT_MILLIS)
    }
    try (H2Index h2Alone = H2Index.open(killed.resolve(H2BlockStore.FILE_NAME), chain.context(killed))) { // what H2 committed
      assertThat(h2Alone.height()).as("H2 committed the group that passed the limit").isEqualTo(group.get(group.size() - 1).height());
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        if (Files.isRegularFile(f) && !f.getFileName().toString().endsWith(".lock")) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
  }

  @Test
  void storeWithoutALogGetsOneWrittenFromH2() throws IOException {
    chain = new TestChain("log-test", SEED).withoutRandomRecords(); // a store of the layout before the log had no records
    append(25);
    String before = snapshot();
    Files.delete(log()); // a store of the layout before the log
    assertThat(snapshot()).isEqualTo(before);
    assertThat(Files.size(log())).isGreaterThan(BlockLog.HEADER_BYTES);
    Files.delete(h2()); // the log written from H2 holds everything H2 held
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void logBehindH2WhoseBlocksAboveItChangedNoRecordIsExtendedFromH2() throws IOException {
    append(10); // with records
    Path olderLog = dir.resolve("older.log");
    Files.copy(log(), olderLog);
    chain.withoutRandomRecords();
    append(15);
    String before = snapshot();
    Files.move(olderLog, log(), StandardCopyOption.REPLACE_EXISTING); // a log restored from an older copy
    assertThat(snapshot()).as("H2 gave the log its 15 blocks").isEqualTo(before);
    Files.delete(h2());
    assertThat(snapshot()).as("rebuilt from the extended log").isEqualTo(before).contains("record ");
  }

  @Test
  void logBehindH2WhoseBlocksAboveItChangedRecordsRebuildsH2FromTheLog() throws IOException {
    append(10);
    String atTen = snapshot();
    Path olderLog = dir.resolve("older.log");
    Files.copy(log(), olderLog);
    append(15);
    String atTwentyFive = snapshot();
    assertThat(atTwentyFive.substring(atTwentyFive.indexOf("record "))).as("blocks 11 to 25 changed records (seed %d)", SEED)
        .isNotEqualTo(atTen.substring(atTen.indexOf("record ")));
    Files.move(olderLog, log(), StandardCopyOption.REPLACE_EXISTING);
    // H2 keeps no history of records, so it cannot give the log blocks 11 to 25 whole: the log wins, peers give the rest
    assertThat(snapshot()).isEqualTo(atTen);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith(H2BlockStore.FILE_NAME + ".ahead-"));
    }
  }

  @Test
  void logOfAnotherChainIsRefused() throws IOException {
    append(3);
    Path other = dir.resolve("other");
    TestChain otherChain = new TestChain("other-chain", SEED);
    try (BlockStore store = BlockStores.open("h2", otherChain.context(other))) {
      ChainBlock b = otherChain.next(3);
      store.append(b.block(), b.changes());
    }
    Files.copy(other.resolve(BlockLog.FILE_NAME), log(), StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
        .hasMessageContaining(log().toString())
        .hasMessageContaining("belongs to chain 'other-chain'");
  }

  @Test
  void garbageLogIsRefusedAndHugeLengthsAreNotAllocated() throws IOException {
    Files.createDirectories(dir);
    Files.write(log(), "not a block log at all".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
        .hasMessageContaining(log().toString())
        .hasMessageContaining("not a Meshledger block log");
    Files.delete(log());
    append(3);
    byte[] frame = ByteBuffer.allocate(BlockLog.FRAME_BYTES).putInt(Integer.MAX_VALUE - 1).putInt(7).putLong(4).array();
    write(log(), Files.size(log()), frame); // a length of 2 GiB: cut as a torn tail, never allocated
    try (BlockStore store = open()) {
      assertThat(store.height()).isEqualTo(3);
    }
  }
}
