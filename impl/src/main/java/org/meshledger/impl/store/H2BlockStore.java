package org.meshledger.impl.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.locks.ReentrantLock;
import org.meshledger.AccountId;
import org.meshledger.AccountState;
import org.meshledger.Block;
import org.meshledger.BlockHeader;
import org.meshledger.DataEntry;
import org.meshledger.Hash;
import org.meshledger.LocatedTransaction;
import org.meshledger.StorageException;
import org.meshledger.TransactionResult;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.StateChanges;
import org.meshledger.spi.StoreContext;

/**
 * The default {@link BlockStore}: an append-only block log, {@value BlockLog#FILE_NAME}, that is the source of
 * truth, and an H2 MVStore file, {@value #FILE_NAME}, that holds the indexes and state, both under the data
 * directory.
 *
 * <p><b>Durability.</b> An append writes the block with its state changes to the log and forces it to disk,
 * then applies it to H2 and commits (without a sync of its own: H2 syncs every {@value #COMPACT_EVERY}
 * blocks, when it compacts). A block whose append returned is in the log. At open, H2 is brought in line
 * with the log ({@link LogRecovery}): records it lacks are applied, and an H2 file that is unreadable or
 * holds another chain than the log is set aside and rebuilt. MVStore alone lost synced blocks under kill -9
 * with space reuse; see {@code docs/adr/008-block-log.md}.
 *
 * <p><b>Reads</b> go to H2. The new height is published after H2's commit and every read is bounded by it, so
 * a reader sees a block whole or not at all, without locking.
 */
public final class H2BlockStore implements BlockStore {
  /** The H2 file under the data directory. */
  public static final String FILE_NAME = H2Index.FILE_NAME;
  /** H2 rewrites sparse chunks and syncs every this many blocks. */
  static final int COMPACT_EVERY = 64;
  private static final System.Logger LOG = System.getLogger(H2BlockStore.class.getName());

  private final StoreContext context;
  private final BlockLog log;
  private final H2Index index;
  private final ReentrantLock appendLock = new ReentrantLock();
  private volatile boolean closed;

  private H2BlockStore(StoreContext context, BlockLog log, H2Index index) {
    this.context = context;
    this.log = log;
    this.index = index;
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
    appendLock.lock();
    try {
      checkOpen();
      AppendRules.check(context, index.height(), index.lastHash(), block, changes, index::storedVersion);
      long h = block.height();
      byte[] body = LogRecordCodec.encode(block, changes);
      long offset = log.append(h, body); // durable from here; on failure the log was cut back
      try {
        index.apply(block, changes, offset);
        index.commit();
      } catch (RuntimeException e) {
        undo(h, offset, e);
      }
      index.publish(h, block.hash());
      if (h % COMPACT_EVERY == 0) {
        index.compactAndSync();
      }
    } finally {
      appendLock.unlock();
    }
  }

  /**
   * The blocks' records go to the log, forced once after the last; H2 takes them in one commit; readers see them
   * once all are durable. If anything fails, the log is cut back to where the group began and H2 rolled back.
   */
  @Override
  public void appendAll(List<Block> blocks, List<StateChanges> changes) {
    if (blocks.size() != changes.size()) {
      throw new IllegalArgumentException(blocks.size() + " blocks but " + changes.size() + " state changes");
    }
    if (blocks.size() <= 1) {
      if (!blocks.isEmpty()) {
        append(blocks.get(0), changes.get(0));
      }
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
        index.commit();
      } catch (RuntimeException e) {
        rollBack(blocks.get(0).height(), first, e);
        throw e;
      }
      for (Block b : blocks) {
        index.publish(b.height(), b.hash());
      }
      if (height / COMPACT_EVERY != (height - blocks.size()) / COMPACT_EVERY) {
        index.compactAndSync();
      }
    } finally {
      appendLock.unlock();
    }
  }

  /**
   * An append of the blocks from {@code from} failed: H2 rolled back and the log cut back to {@code offset} (if
   * they wrote to it), so the store is unchanged; if even that fails, the store is closed and that is thrown.
   */
  private void rollBack(long from, long offset, RuntimeException cause) {
    try {
      index.rollback();
      if (offset >= 0) {
        log.truncate(offset);
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

  /** H2 failed after the log took block {@code h}: the store is made unchanged (or closed), and that is thrown. */
  private void undo(long h, long offset, RuntimeException cause) {
    rollBack(h, offset, cause);
    throw new StorageException("cannot append block " + h + " to " + file() + "; nothing was written: " + cause, cause);
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
