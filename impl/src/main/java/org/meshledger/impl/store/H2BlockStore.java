package org.meshledger.impl.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.meshledger.StorageException;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.chain.LocatedTransaction;
import org.meshledger.chain.TransactionResult;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.StateChanges;
import org.meshledger.spi.StoreContext;

/**
 * The default {@link BlockStore}: an append-only block log, {@value BlockLog#FILE_NAME}, that is the source of
 * truth, and an H2 MVStore file, {@value #FILE_NAME}, that holds the indexes and state, both under the data
 * directory.
 *
 * <p><b>Durability.</b> An append writes the block with its state changes to the log and forces it to disk;
 * from then on it is durable. It is then applied to H2, in memory, and readers see it. H2 commits (a
 * checkpoint) only between groups of appends, every {@value #CHECKPOINT_MILLIS} ms, after {@value #CHECKPOINT_BLOCKS}
 * blocks, or once its unsaved changes pass {@link H2Files#UNSAVED_BYTES}, whichever comes first (never by itself in
 * the middle of a group, whose records are still staged: ADR 010; five seconds rather than one, because each commit
 * rewrites every leaf of the random-key transaction-id index that changed since the last, and a longer interval
 * lets more inserts share a leaf), and
 * rewrites sparse chunks and syncs at a checkpoint once {@value #COMPACT_EVERY} blocks have come since the
 * last time: a commit per block rewrote every leaf of the transaction-id index that the block's random ids
 * touched, a cost that grew with the chain (ADR 010). At open, H2 is brought in line with the log
 * ({@link LogRecovery}): the records after its last checkpoint are applied again, and an H2 file that is
 * unreadable or holds another chain than the log is set aside and rebuilt. MVStore alone lost synced blocks
 * under kill -9 with space reuse; see {@code docs/adr/008-block-log.md}.
 *
 * <p><b>Reads</b> go to H2. The new height is published once a block (or a group) is applied whole, and every
 * read is bounded by it, so a reader sees a block whole or not at all, without locking; records, which H2
 * keeps without history, are written to their map as the height is published, under a short lock
 * ({@link H2Records}).
 */
public final class H2BlockStore implements BlockStore {
  /** The H2 file under the data directory. */
  public static final String FILE_NAME = H2Index.FILE_NAME;
  /** H2 rewrites sparse chunks and syncs at a checkpoint once this many blocks came since it last did. */
  static final int COMPACT_EVERY = 64;
  /** H2 commits at most this often ... */
  static final long CHECKPOINT_MILLIS = 5000;
  /** ... unless this many blocks wait for a commit. */
  static final int CHECKPOINT_BLOCKS = 4096;
  private static final System.Logger LOG = System.getLogger(H2BlockStore.class.getName());

  private final StoreContext context;
  private final BlockLog log;
  private final H2Index index;
  private final ReentrantLock appendLock = new ReentrantLock();
  private volatile boolean closed;
  // guarded by appendLock: H2's last commit, and what was applied since
  private long committedHeight;
  private Hash committedHash;
  private long compactedHeight;
  private long checkpointedAt = System.nanoTime();
  private int uncommitted;

  private H2BlockStore(StoreContext context, BlockLog log, H2Index index) {
    this.context = context;
    this.log = log;
    this.index = index;
    this.committedHeight = index.height(); // recovery leaves H2 committed
    this.committedHash = index.lastHash();
    this.compactedHeight = committedHeight;
  }

  /**
   * Opens the store of {@code context}, creating its files if there are none, and brings H2 in line with the
   * log (which may take a while after a crash or if H2 was lost: progress is logged). A store of the layout
   * before the log gets its log written from H2.
   *
   * @throws StorageException naming the file if a file is not what it should be (not H2, not a block log, of
   *     another chain or format), if the log is corrupt before its last record, if H2 is unreadable and there
   *     is no log to rebuild it from, or if another store or process has the files open
   */
  public static H2BlockStore open(StoreContext context) {
    Objects.requireNonNull(context, "context");
    Path dir = context.directory();
    Path file = dir.resolve(FILE_NAME);
    boolean hasLog = Files.exists(BlockLog.path(dir));
    H2Index index;
    try {
      index = H2Index.open(file, context);
    } catch (H2Files.Unreadable e) {
      if (!hasLog) {
        throw new StorageException(e.getMessage() + "; there is no block log (" + BlockLog.path(dir) + ") to rebuild it from", e);
      }
      LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; moved to " + LogRecovery.moveAside(file, "corrupt")
          + ", rebuilding it from the block log");
      index = H2Index.open(file, context);
    }
    BlockLog log = null;
    try {
      log = BlockLog.open(context);
      index = LogRecovery.recover(context, log, index);
      deleteTipFile(dir);
      return new H2BlockStore(context, log, index);
    } catch (RuntimeException e) {
      index.close(false);
      if (log != null) {
        log.close();
      }
      throw e;
    }
  }

  /** The record of the last synced height that the store kept before it had a log: the log makes it redundant. */
  private static void deleteTipFile(Path dir) {
    try {
      Files.deleteIfExists(dir.resolve(FILE_NAME + ".tip"));
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "cannot delete the old tip file: " + e);
    }
  }

  /** For tests: a fault run before each block is applied to H2 (null for none). */
  void beforeApply(java.util.function.Consumer<Block> fault) {
    index.beforeApply = fault;
  }

  /** The H2 file of this store. */
  public Path file() {
    return index.file();
  }

  /** The block log of this store. */
  public Path logFile() {
    return log.path();
  }

  @Override
  public void append(Block block, StateChanges changes) {
    appendAll(List.of(block), List.of(changes));
  }

  /**
   * The blocks' records go to the log, forced once after the last; H2 applies them and readers see them once all
   * are durable; H2 commits when a checkpoint is due. If anything fails, the log is cut back to where the group
   * began and H2 is brought back to the blocks before it.
   */
  @Override
  public void appendAll(List<Block> blocks, List<StateChanges> changes) {
    if (blocks.size() != changes.size()) {
      throw new IllegalArgumentException(blocks.size() + " blocks but " + changes.size() + " state changes");
    }
    if (blocks.isEmpty()) {
      return;
    }
    appendLock.lock();
    try {
      checkOpen();
      long height = index.height();
      Hash last = index.lastHash();
      long first = -1;
      try {
        for (int i = 0; i < blocks.size(); i++) {
          Block block = blocks.get(i);
          AppendRules.check(context, height, last, block, changes.get(i), index::storedVersion); // sees the group's earlier writes
          long offset = log.append(block.height(), LogRecordCodec.encode(block, changes.get(i)), i == blocks.size() - 1);
          first = first < 0 ? offset : first;
          index.apply(block, changes.get(i), offset);
          height = block.height();
          last = block.hash();
        }
        index.publish(height, last); // the group at once: its records are written to H2's map here
      } catch (RuntimeException e) {
        rollBack(blocks.get(0).height(), first, e);
        if (blocks.size() == 1 && first >= 0 && !(e instanceof StorageException)) {
          throw new StorageException("cannot append block " + blocks.get(0).height() + " to " + file() + "; nothing was written: " + e, e);
        }
        throw e;
      }
      uncommitted += blocks.size();
      checkpoint();
    } finally {
      appendLock.unlock();
    }
  }

  /**
   * Commits H2 if a checkpoint is due, compacting and syncing it if enough blocks came since it
   * last did. A failure is logged, not thrown: the blocks are in the log, and the next checkpoint tries again.
   */
  private void checkpoint() {
    long now = System.nanoTime();
    if (uncommitted == 0 || uncommitted < CHECKPOINT_BLOCKS && now - checkpointedAt < TimeUnit.MILLISECONDS.toNanos(CHECKPOINT_MILLIS)
        && index.unsavedBytes() < H2Files.UNSAVED_BYTES) {
      return;
    }
    long height = index.height();
    try {
      if (height - compactedHeight >= COMPACT_EVERY) {
        index.compactAndSync();
        compactedHeight = height;
      } else {
        index.commit();
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot commit " + file() + " at block " + height + " (the blocks are in " + log.path()
          + "; it is tried again at the next block): " + e);
      return;
    }
    committedHeight = height;
    committedHash = index.lastHash();
    uncommitted = 0;
    checkpointedAt = now;
  }

  /**
   * An append of the blocks from {@code from} failed: the log is cut back to {@code offset} (if they reached it),
   * H2 rolled back to its last checkpoint and the log's records after that applied again, so the store is as it
   * was; if even that fails, the store is closed and that is thrown.
   */
  private void rollBack(long from, long offset, RuntimeException cause) {
    try {
      index.rollback();
      if (offset >= 0) {
        log.truncate(offset);
      }
      if (uncommitted > 0) {
        LogRecovery.reapply(context, log, index, committedHeight, committedHash);
        committedHeight = index.height();
        committedHash = index.lastHash();
        compactedHeight = committedHeight;
        uncommitted = 0;
      }
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
      closed = true;
      index.close(false);
      log.close();
      throw new StorageException("cannot append the blocks from " + from + " to " + file() + ", nor take them back out of " + log.path()
          + "; the store is closed, reopen it to continue (they may be there): " + cause, cause);
    }
  }

  // ---- reads: bounded by the published height, see H2Index ----

  @Override
  public long height() {
    checkOpen();
    return index.height();
  }

  @Override
  public Optional<Block> block(long height) {
    return index.block(height);
  }

  @Override
  public Optional<Block> block(Hash hash) {
    return index.block(hash);
  }

  @Override
  public Optional<BlockHeader> header(long height) {
    return index.header(height);
  }

  @Override
  public Optional<LocatedTransaction> transaction(Hash id) {
    return index.transaction(id);
  }

  @Override
  public Optional<DataEntry> current(String key) {
    return index.current(key);
  }

  @Override
  public List<DataEntry> history(String key, long afterVersion, int limit) {
    return index.history(key, afterVersion, limit);
  }

  @Override
  public AccountState account(AccountId account) {
    return index.account(account);
  }

  @Override
  public Optional<byte[]> record(String key) {
    return index.record(key);
  }

  @Override
  public SortedMap<String, byte[]> records(String prefix, String afterKey, int limit) {
    return index.records(prefix, afterKey, limit);
  }

  @Override
  public SortedMap<Integer, TransactionResult> rejected(long height) {
    return index.rejected(height);
  }

  @Override
  public Optional<Hash> stateDigest(long height) {
    return index.stateDigest(height);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("block store " + file() + " is closed");
    }
  }

  @Override
  public void close() {
    appendLock.lock();
    try {
      if (!closed) {
        closed = true;
        try {
          index.close(true);
        } finally {
          log.close();
        }
      }
    } catch (RuntimeException e) {
      throw new StorageException("cannot close " + file() + " cleanly (the blocks appended are in " + log.path() + "): " + e, e);
    } finally {
      appendLock.unlock();
    }
  }

  @Override
  public String toString() {
    return "H2BlockStore[" + file() + ", height " + index.height() + "]";
  }
}
