package org.meshledger.impl.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.meshledger.spi.StateChanges;

/**
 * The ledger's records in the H2 index: the map {@value #MAP}, from the UTF-8 bytes of each key to its latest
 * value; a removed record is deleted. Unsigned byte order of UTF-8 is {@link StateChanges#RECORD_KEY_ORDER},
 * so pages come out in the order the contract promises.
 *
 * <p><b>Visibility.</b> The index's other maps keep every version under a growing position and readers bound
 * their reads by the published height. Records keep one value per key, so a block's records must not reach the
 * map before the block is published: {@link #stage} holds them (on the writer thread) until {@link #publish}
 * writes them under a write lock together with the new height, or until a commit ({@link #flushAll}) during
 * recovery, when nobody reads. Reads take the read lock, which an append holds only for those few puts (never
 * across a disk write), so a reader sees the records of whole blocks up to the published height.
 */
final class H2Records {
  static final String MAP = "records";

  private final MVMap<byte[], byte[]> map;
  private final ArrayDeque<Staged> staged = new ArrayDeque<>();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  private record Staged(long height, SortedMap<String, byte[]> records) {}

  H2Records(MVStore store) {
    this.map = store.openMap(MAP, new MVMap.Builder<byte[], byte[]>().keyType(UnsignedBytesType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
  }

  /** Holds the records block {@code height} set until it is published; on the writer thread. */
  void stage(long height, SortedMap<String, byte[]> records) {
    if (!records.isEmpty()) {
      staged.add(new Staged(height, records));
    }
  }

  /** Writes the staged records of the blocks up to {@code height}, then runs {@code visible}, with readers held off. */
  void publish(long height, Runnable visible) {
    lock.writeLock().lock();
    try {
      while (!staged.isEmpty() && staged.peek().height() <= height) {
        staged.poll().records().forEach((k, v) -> {
          if (v.length == 0) {
            map.remove(utf8(k));
          } else {
            map.put(utf8(k), v);
          }
        });
      }
      visible.run();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Writes every staged record, so that a commit holds the records of every block it holds. */
  void flushAll() {
    publish(Long.MAX_VALUE, () -> { });
  }

  /** Forgets the staged records: the blocks that set them were rolled back. */
  void discardStaged() {
    staged.clear();
  }

  Optional<byte[]> get(String key) {
    lock.readLock().lock();
    try {
      byte[] v = map.get(utf8(key));
      return v == null ? Optional.empty() : Optional.of(v.clone());
    } finally {
      lock.readLock().unlock();
    }
  }

  SortedMap<String, byte[]> page(String prefix, String afterKey, int limit) {
    byte[] p = utf8(prefix);
    byte[] after = utf8(afterKey);
    boolean fromPrefix = Arrays.compareUnsigned(after, p) < 0;
    SortedMap<String, byte[]> page = new TreeMap<>(StateChanges.RECORD_KEY_ORDER);
    lock.readLock().lock();
    try {
      Cursor<byte[], byte[]> c = map.cursor(fromPrefix ? p : after);
      while (page.size() < limit && c.hasNext()) {
        byte[] k = c.next();
        if (!fromPrefix && Arrays.equals(k, after)) {
          continue;
        }
        if (!Keys.startsWith(k, p)) {
          break; // the keys under a prefix are contiguous
        }
        page.put(new String(k, StandardCharsets.UTF_8), c.getValue().clone());
      }
    } finally {
      lock.readLock().unlock();
    }
    return page;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
