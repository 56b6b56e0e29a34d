package org.meshledger.impl.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.meshledger.StorageException;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.Hash;
import org.meshledger.spi.StoreContext;

/**
 * Brings the H2 index in line with the block log at open. The log is the truth; H2 may be
 * <ul>
 *   <li>level with it (the usual case: one record read to confirm);
 *   <li>behind it (the usual case after a crash: H2 commits only at checkpoints, or it fell back to an older
 *       version): the missing records are applied from the log, with their state changes, nothing re-executed;
 *   <li>empty (deleted) or unreadable (set aside as {@code ledger.mv.corrupt-<millis>}): rebuilt from the log;
 *   <li>ahead of it on the same chain (a store of the layout before the log, or a log restored from an older
 *       copy): the log is extended from H2's blocks, so nothing H2 holds is dropped; unless a block above the
 *       log's last changed the ledger's records, which H2 keeps without history and so cannot give the log:
 *       then H2 is set aside as {@code ledger.mv.ahead-<millis>} and rebuilt from the log, and the node fetches
 *       the blocks above it from its peers as it does for any store that is behind;
 *   <li>on another branch than the log: set aside as {@code ledger.mv.replaced-<millis>} and rebuilt.
 * </ul>
 * Long replays log their progress every few seconds.
 */
final class LogRecovery {
  private static final System.Logger LOG = System.getLogger(H2BlockStore.class.getName());
  private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(5);
  /** Replays commit H2 every this many blocks, or bytes of records, whichever comes first. */
  private static final int COMMIT_BLOCKS = 64;
  private static final long COMMIT_BYTES = 64L << 20;

  private LogRecovery() {}

  /** Returns the index, caught up with {@code log} (possibly a new one, if the given one was set aside). */
  static H2Index recover(StoreContext context, BlockLog log, H2Index index) {
    long height = index.height();
    long offset = index.logOffset();
    if (height == 0) {
      return replay(context, log, index, BlockLog.HEADER_BYTES, 0, context.genesisHash());
    }
    long next = after(log, offset, height, index.lastHash());
    if (next >= 0) {
      return replay(context, log, index, next, height, index.lastHash());
    }
    // H2 does not say where its last block is in the log, or the log holds another block there: read it all
    Applier check = new Applier(log, index, height);
    BlockLog.Tip tip = log.scan(BlockLog.HEADER_BYTES, 0, context.genesisHash(), check);
    if (check.matched) {
      return check.finish(tip);
    }
    if (tip.height() < height && (tip.height() == 0 || index.header(tip.height()).map(BlockHeader::hash).orElseThrow().equals(tip.hash()))) {
      if (index.recordsAt() > tip.height()) {
        LOG.log(System.Logger.Level.WARNING, "block store " + index.file() + " holds blocks " + (tip.height() + 1) + " to " + height
            + ", which the block log " + log.path() + " lacks, but cannot give their records to the log (block " + index.recordsAt()
            + " changed records, of which H2 keeps the latest values only); rebuilding it from the log: the node fetches those blocks"
            + " from its peers");
        return replay(context, log, setAside(index, "ahead", context), BlockLog.HEADER_BYTES, 0, context.genesisHash());
      }
      extendLog(log, index, tip.height());
      return index;
    }
    LOG.log(System.Logger.Level.WARNING, "block store " + index.file() + " holds block " + height + " " + index.lastHash() + ", which is not in"
        + " the block log " + log.path() + " (it holds " + tip.height() + " blocks); rebuilding it from the log");
    return replay(context, log, setAside(index, "replaced", context), BlockLog.HEADER_BYTES, 0, context.genesisHash());
  }

  /**
   * H2 was rolled back to its last commit, which holds block {@code height} with {@code hash}: applies the log's
   * records after it again (an append failed after H2 took blocks it had not committed).
   */
  static void reapply(StoreContext context, BlockLog log, H2Index index, long height, Hash hash) {
    if (height == 0) {
      replay(context, log, index, BlockLog.HEADER_BYTES, 0, context.genesisHash());
      return;
    }
    long offset = index.logOffset();
    long next = after(log, offset, height, hash);
    if (next < 0) {
      throw new StorageException("block store " + index.file() + " rolled back to block " + height + ", which is not at offset " + offset
          + " of " + log.path());
    }
    replay(context, log, index, next, height, hash);
  }

  /** Where the record after block {@code height} begins if the log holds it, with {@code hash}, at {@code offset}; else -1. */
  private static long after(BlockLog log, long offset, long height, Hash hash) {
    if (offset < BlockLog.HEADER_BYTES) {
      return -1;
    }
    byte[] body = log.read(offset, height);
    return body != null && header(log, body, height).hash().equals(hash) ? offset + BlockLog.FRAME_BYTES + body.length : -1;
  }

  /** Moves the H2 file of {@code index} (closed) aside and opens a new, empty one in its place. */
  static H2Index setAside(H2Index index, String why, StoreContext context) {
    index.close(false);
    Path aside = moveAside(index.file(), why);
    LOG.log(System.Logger.Level.WARNING, "block store " + index.file() + " moved to " + aside + "; rebuilding it from the block log");
    return H2Index.open(index.file(), context);
  }

  static Path moveAside(Path file, String why) {
    Path aside = file.resolveSibling(file.getFileName() + "." + why + "-" + System.currentTimeMillis());
    try {
      Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
      return aside;
    } catch (IOException e) {
      throw new StorageException("cannot move " + file + " aside to rebuild it from the block log: " + e, e);
    }
  }

  private static BlockHeader header(BlockLog log, byte[] body, long height) {
    try {
      return LogRecordCodec.header(body);
    } catch (RuntimeException e) {
      throw new StorageException("block log " + log.path() + " is corrupt: block " + height + ": " + e.getMessage(), e);
    }
  }

  private static H2Index replay(StoreContext context, BlockLog log, H2Index index, long offset, long height, Hash hash) {
    Applier applier = new Applier(log, index, height);
    applier.matched = true;
    return applier.finish(log.scan(offset, height, hash, applier));
  }

  /** Appends H2's blocks above {@code from} to the log: a store of the layout before the log gets one. */
  private static void extendLog(BlockLog log, H2Index index, long from) {
    long height = index.height();
    LOG.log(System.Logger.Level.INFO, "block log " + log.path() + " holds " + from + " blocks, " + index.file() + " " + height + ": writing"
        + " blocks " + (from + 1) + " to " + height + " to the log");
    Progress progress = new Progress("writing " + log.path() + " from " + index.file(), height);
    long offset = -1;
    for (long h = from + 1; h <= height; h++) {
      Block block = index.block(h).orElseThrow();
      offset = log.append(h, LogRecordCodec.encode(block, H2Export.changes(index, block)), h == height);
      progress.at(h);
    }
    index.setLogOffset(offset);
    index.compactAndSync();
  }

  /** Applies the records above {@code from} to H2; until {@link #matched}, only looks for H2's last block in the log. */
  private static final class Applier implements BlockLog.Visitor {
    private final BlockLog log;
    private final H2Index index;
    private final long from;
    private final Progress progress;
    boolean matched;
    private long applied;
    private int uncommittedBlocks;
    private long uncommittedBytes;

    Applier(BlockLog log, H2Index index, long from) {
      this.log = log;
      this.index = index;
      this.from = from;
      this.progress = new Progress("catching up " + index.file() + " from " + log.path(), -1);
    }

    @Override
    public void record(long offset, BlockHeader header, byte[] body) {
      long h = header.height();
      if (h == from && from > 0 && !matched) {
        matched = header.hash().equals(index.lastHash());
        return;
      }
      if (h <= from || !matched) {
        return;
      }
      LogRecordCodec.Entry entry;
      try {
        entry = LogRecordCodec.decode(body);
      } catch (RuntimeException e) {
        throw new StorageException("block log " + log.path() + " is corrupt: block " + h + " at offset " + offset + " does not decode: "
            + e.getMessage(), e);
      }
      index.apply(entry.block(), entry.changes(), offset);
      applied++;
      uncommittedBytes += body.length;
      if (++uncommittedBlocks >= COMMIT_BLOCKS || uncommittedBytes >= COMMIT_BYTES || index.unsavedBytes() >= H2Files.UNSAVED_BYTES) {
        index.commit();
        uncommittedBlocks = 0;
        uncommittedBytes = 0;
      }
      progress.at(h);
    }

    H2Index finish(BlockLog.Tip tip) {
      if (applied > 0) {
        index.compactAndSync();
        LOG.log(System.Logger.Level.INFO, "block store " + index.file() + ": applied blocks " + (from + 1) + " to " + tip.height() + " from "
            + log.path());
      }
      index.publish(tip.height(), tip.hash());
      return index;
    }
  }

  /** Logs "what: block h" every few seconds. */
  private static final class Progress {
    private final String what;
    private final long target;
    private final long start = System.nanoTime();
    private long next = start + PROGRESS_NANOS;

    Progress(String what, long target) {
      this.what = what;
      this.target = target;
    }

    void at(long height) {
      long now = System.nanoTime();
      if (now >= next) {
        next = now + PROGRESS_NANOS;
        LOG.log(System.Logger.Level.INFO, what + ": block " + height + (target > 0 ? " of " + target : "") + " after "
            + TimeUnit.NANOSECONDS.toSeconds(now - start) + " s");
      }
    }
  }
}
