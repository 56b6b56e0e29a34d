package org.meshledger.impl.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32;
import org.meshledger.Hash;
import org.meshledger.StorageException;

/**
 * A 44-byte record beside the MVStore file: the height and hash of the last block whose commit was synced
 * ({@code u64 height || hash || u32 CRC-32}). MVStore, finding a file cut short, silently opens an older
 * version; the tip shows that blocks are missing. It is written after the store's sync and not synced itself,
 * so it never runs ahead of what the store holds durably: after a power loss it may lag, which only weakens
 * the check. A torn or unreadable record is ignored (and rewritten at the next append).
 */
final class TipFile implements AutoCloseable {
  private static final int SIZE = 8 + Hash.BYTES + 4;

  /** A tip read back: the store held {@code height} blocks, the last hashing to {@code hash}. */
  record Tip(long height, Hash hash) {}

  private final Path path;
  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(SIZE);

  private TipFile(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  static TipFile open(Path path) {
    try {
      return new TipFile(path, FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw new StorageException("cannot open " + path + ": " + e, e);
    }
  }

  Path path() {
    return path;
  }

  /** The tip recorded, if the record is whole. */
  Optional<Tip> read() {
    try {
      ByteBuffer b = ByteBuffer.allocate(SIZE);
      if (channel.read(b, 0) != SIZE) {
        return Optional.empty();
      }
      b.flip();
      CRC32 crc = new CRC32();
      crc.update(b.array(), 0, SIZE - 4);
      if ((int) crc.getValue() != b.getInt(SIZE - 4)) {
        return Optional.empty();
      }
      long height = b.getLong();
      byte[] hash = new byte[Hash.BYTES];
      b.get(hash);
      return Optional.of(new Tip(height, new Hash(hash)));
    } catch (IOException e) {
      throw new StorageException("cannot read " + path + ": " + e, e);
    }
  }

  void write(long height, Hash hash) {
    buffer.clear();
    buffer.putLong(height).put(hash.bytes());
    CRC32 crc = new CRC32();
    crc.update(buffer.array(), 0, SIZE - 4);
    buffer.putInt((int) crc.getValue()).flip();
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer, buffer.position());
      }
    } catch (IOException e) {
      throw new StorageException("cannot write " + path + ": " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new StorageException("cannot close " + path + ": " + e, e);
    }
  }
}
