package org.meshledger.impl.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.meshledger.StorageException;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.Hash;
import org.meshledger.spi.StoreContext;

/**
 * The block store's source of truth: an append-only file of checksummed records, {@value #FILE_NAME}, one per
 * block, each forced to disk before its append returns.
 *
 * <p><b>Layout.</b> A {@value #HEADER_BYTES}-byte header ({@code "MLBLOCKS"}, format version, chain id, genesis
 * hash, CRC-32C), written whole and synced under another name and then renamed, so a log never has a torn
 * header. Then records: {@code u32 length || u32 crc32c || i64 height || body}, the CRC over height and body,
 * the body a {@link LogRecordCodec} encoding of at most {@value #MAX_BODY_BYTES} bytes.
 *
 * <p><b>Scanning.</b> {@link #scan} reads records from a known-good offset. A record cut short, with a length
 * out of bounds, or whose CRC fails, when nothing valid follows it, is a torn tail (a crash in the middle of an
 * append, which therefore never returned): the log is truncated there, and that is logged. A bad record followed
 * by a valid one, a valid record at the wrong height or one that does not link to the block before it is
 * corruption: a {@link StorageException} naming the file and the height.
 *
 * <p>Not thread-safe: the store appends and scans under its append lock.
 */
final class BlockLog implements AutoCloseable {
  static final String FILE_NAME = "blocks.log";
  static final int HEADER_BYTES = 128;
  static final int FRAME_BYTES = 16;
  /** A block fits a network frame (64 MiB at most); its state changes add a fraction of that. */
  static final int MAX_BODY_BYTES = 96 << 20;
  private static final byte[] MAGIC = "MLBLOCKS".getBytes(StandardCharsets.US_ASCII);
  /** 2 since blocks (version 2) carry their previous commit; a log of another format is refused. */
  private static final int FORMAT = 2;
  private static final System.Logger LOG = System.getLogger(BlockLog.class.getName());

  /** Where a scan ended: the last valid record's height and hash, and the offset after it. */
  record Tip(long height, Hash hash, long end) {}

  /** Receives each valid record of a scan, in order. */
  interface Visitor {
    void record(long offset, BlockHeader header, byte[] body);
  }

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;
  private long end;

  private BlockLog(Path path, FileChannel channel, FileLock lock) throws IOException {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
    this.end = channel.size();
  }

  static Path path(Path directory) {
    return directory.resolve(FILE_NAME);
  }

  /** Opens the log of {@code context}, creating an empty one if there is none. Check {@link #end} against a scan before appending. */
  static BlockLog open(StoreContext context) {
    Path path = path(context.directory());
    try {
      Files.createDirectories(context.directory());
      if (!Files.exists(path)) {
        create(path, context);
      }
      FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new StorageException("block store in " + context.directory() + " is in use by another store or process (only one may open it):"
            + " " + path + " is locked");
      }
      BlockLog log = new BlockLog(path, channel, lock);
      try {
        log.checkHeader(context);
      } catch (RuntimeException e) {
        log.close();
        throw e;
      }
      return log;
    } catch (IOException e) {
      throw new StorageException("cannot open block log " + path + ": " + e, e);
    }
  }

  static byte[] header(StoreContext context) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
    byte[] chain = context.chainId().getBytes(StandardCharsets.UTF_8);
    b.put(MAGIC).putInt(FORMAT).put((byte) chain.length).put(chain).put(context.genesisHash().bytes());
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, HEADER_BYTES - 4);
    b.putInt(HEADER_BYTES - 4, (int) crc.getValue());
    return b.array();
  }

  /** Writes a log holding only its header under a temporary name, syncs it and renames it into place. */
  private static void create(Path path, StoreContext context) throws IOException {
    Path tmp = path.resolveSibling(FILE_NAME + ".new");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(header(context)));
      ch.force(true);
    }
    Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(path.toAbsolutePath().getParent());
  }

  static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // some platforms cannot open a directory; the rename is durable at the next sync of the file system
    }
  }

  private void checkHeader(StoreContext context) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
    readFully(b, 0);
    byte[] h = b.array();
    if (b.position() < HEADER_BYTES || !Arrays.equals(h, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new StorageException("block log " + path + " is not a Meshledger block log (it does not start with 'MLBLOCKS' and a"
          + " " + HEADER_BYTES + "-byte header); move it away or choose another data directory");
    }
    CRC32C crc = new CRC32C();
    crc.update(h, 0, HEADER_BYTES - 4);
    if ((int) crc.getValue() != b.getInt(HEADER_BYTES - 4)) {
      throw new StorageException("block log " + path + " is corrupt: its header fails its checksum");
    }
    int format = b.getInt(MAGIC.length);
    if (format != FORMAT) {
      throw new StorageException("block log " + path + " has format " + format + "; this version of Meshledger reads format " + FORMAT);
    }
    if (!Arrays.equals(h, header(context))) {
      int n = h[MAGIC.length + 4] & 0xff;
      String chain = new String(h, MAGIC.length + 5, Math.min(n, 64), StandardCharsets.UTF_8);
      Hash genesis = new Hash(Arrays.copyOfRange(h, MAGIC.length + 5 + n, MAGIC.length + 5 + n + Hash.BYTES));
      throw new StorageException("block log " + path + " belongs to chain '" + chain + "' with genesis " + genesis + ", not to chain '"
          + context.chainId() + "' with genesis " + context.genesisHash() + "; use another data directory or the right genesis file");
    }
  }

  Path path() {
    return path;
  }

  /** The offset after the last record. */
  long end() {
    return end;
  }

  /**
   * Appends the record of block {@code height} and forces it to disk; returns its offset. On failure, cuts
   * the log back to where it was (the store must not use the log if that fails too).
   */
  long append(long height, byte[] body) {
    return append(height, body, true);
  }

  /** {@link #append}, forcing the file only if {@code force} (a batch forces its last record). */
  long append(long height, byte[] body, boolean force) {
    if (body.length > MAX_BODY_BYTES) {
      throw new StorageException("block " + height + " with its changes encodes to " + body.length + " bytes; a block log record holds at most "
          + MAX_BODY_BYTES);
    }
    ByteBuffer frame = ByteBuffer.allocate(FRAME_BYTES);
    frame.putInt(body.length).putInt(crc(height, body, 0, body.length)).putLong(height).flip();
    ByteBuffer data = ByteBuffer.wrap(body);
    long offset = end;
    try {
      long at = offset;
      while (frame.hasRemaining()) {
        at += channel.write(frame, at);
      }
      while (data.hasRemaining()) {
        at += channel.write(data, at);
      }
      if (force) {
        channel.force(false);
      }
      end = at;
      return offset;
    } catch (IOException e) {
      truncate(offset);
      throw new StorageException("cannot append block " + height + " to " + path + ": " + e, e);
    }
  }

  /** Cuts the log at {@code offset}, a record boundary, and syncs. */
  void truncate(long offset) {
    try {
      channel.truncate(offset);
      channel.force(true);
      end = offset;
    } catch (IOException e) {
      throw new StorageException("cannot cut " + path + " back to " + offset + " bytes: " + e, e);
    }
  }

  private static int crc(long height, byte[] body, int from, int length) {
    CRC32C crc = new CRC32C();
    crc.update(ByteBuffer.allocate(8).putLong(0, height));
    crc.update(body, from, length);
    return (int) crc.getValue();
  }

  /**
   * Reads the records from {@code offset}, which starts the record of block {@code height + 1} ({@code hash}
   * being the hash of block {@code height}), checks that they are whole, consecutive and linked, hands each to
   * {@code visitor}, truncates a torn tail and returns the tip.
   *
   * @throws StorageException naming the file and the height if a record in the middle is corrupt
   */
  Tip scan(long offset, long height, Hash hash, Visitor visitor) {
    try {
      long size = channel.size();
      ByteBuffer frame = ByteBuffer.allocate(FRAME_BYTES);
      while (offset < size) {
        byte[] body = readRecord(frame, offset, size);
        if (body == null) {
          if (validRecordAt(offset, size)) {
            throw new StorageException("block log " + path + " is corrupt: the record of block " + (height + 1) + " at offset " + offset
                + " fails its checksum, and valid records follow it. Restore the log from a backup or from a peer's copy, or move both"
                + " files away to sync the chain again from peers");
          }
          LOG.log(System.Logger.Level.WARNING, "block log " + path + ": cutting a torn record of " + (size - offset) + " bytes at offset "
              + offset + " after block " + height + " (an append that never returned)");
          truncate(offset);
          size = offset;
          break;
        }
        long recorded = frame.getLong(8);
        BlockHeader header;
        try {
          header = LogRecordCodec.header(body);
        } catch (RuntimeException e) {
          throw new StorageException("block log " + path + " is corrupt: the record of block " + recorded + " at offset " + offset
              + " passes its checksum but does not decode: " + e.getMessage(), e);
        }
        if (recorded != height + 1 || header.height() != recorded) {
          throw new StorageException("block log " + path + " is corrupt: after block " + height + " comes a record of block " + recorded
              + " (header height " + header.height() + ") at offset " + offset);
        }
        if (!header.previousHash().equals(hash)) {
          throw new StorageException("block log " + path + " is corrupt: block " + recorded + " at offset " + offset + " does not link to block "
              + height + " (it names " + header.previousHash() + ", the log holds " + hash + ")");
        }
        visitor.record(offset, header, body);
        height = recorded;
        hash = header.hash();
        offset += FRAME_BYTES + body.length;
      }
      end = size;
      return new Tip(height, hash, offset);
    } catch (IOException e) {
      throw new StorageException("cannot read block log " + path + ": " + e, e);
    }
  }

  /** The body of the record at {@code offset} if it is whole and its CRC holds (its frame left in {@code frame}), else null. */
  private byte[] readRecord(ByteBuffer frame, long offset, long size) throws IOException {
    if (size - offset < FRAME_BYTES) {
      return null;
    }
    frame.clear();
    readFully(frame, offset);
    int length = frame.getInt(0);
    if (length < LogRecordCodec.HEADER_OFFSET || length > MAX_BODY_BYTES || length > size - offset - FRAME_BYTES) {
      return null; // checked before allocating: garbage cannot make us allocate more than the file holds
    }
    ByteBuffer body = ByteBuffer.allocate(length);
    readFully(body, offset + FRAME_BYTES);
    return crc(frame.getLong(8), body.array(), 0, length) == frame.getInt(4) ? body.array() : null;
  }

  /** Whether a valid record starts right after the invalid one at {@code offset}, as far as its length field says. */
  private boolean validRecordAt(long offset, long size) throws IOException {
    ByteBuffer frame = ByteBuffer.allocate(FRAME_BYTES);
    if (size - offset < FRAME_BYTES) {
      return false;
    }
    readFully(frame, offset);
    int length = frame.getInt(0);
    if (length < 0 || length > MAX_BODY_BYTES) {
      return false;
    }
    long next = offset + FRAME_BYTES + length;
    return next < size && readRecord(frame, next, size) != null;
  }

  /** The body of the record at {@code offset}, known to be valid (a scan passed it), and its CRC checked again. */
  byte[] read(long offset, long height) {
    try {
      ByteBuffer frame = ByteBuffer.allocate(FRAME_BYTES);
      byte[] body = readRecord(frame, offset, channel.size());
      if (body == null || frame.getLong(8) != height) {
        return null;
      }
      return body;
    } catch (IOException e) {
      throw new StorageException("cannot read block log " + path + ": " + e, e);
    }
  }

  private void readFully(ByteBuffer b, long offset) throws IOException {
    while (b.hasRemaining()) {
      int n = channel.read(b, offset + b.position());
      if (n < 0) {
        break;
      }
    }
  }

  @Override
  public void close() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } catch (IOException e) {
      throw new StorageException("cannot close " + path + ": " + e, e);
    }
  }
}
