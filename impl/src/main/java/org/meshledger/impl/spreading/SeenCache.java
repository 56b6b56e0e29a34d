package org.meshledger.impl.spreading;

import java.util.function.Consumer;
import org.meshledger.chain.Hash;

/**
 * The relay's bounded memory of message ids: a map from id to a value that forgets the least recently
 * inserted id when it holds more than its capacity (as a {@link java.util.LinkedHashMap} in insertion order
 * with {@code removeEldestEntry}, which it replaces).
 *
 * <p>Compact because a simulated network keeps one per node: open addressing with linear probing in one array
 * of (id, value) pairs side by side, at most half full, and the insertion order as a ring of ids. No object per
 * entry, so an entry costs about 20 bytes instead of about 80 (a map entry, its links and the relay's own
 * record), and a lookup reads one cache line of one array instead of following a chain (every frame a relay
 * receives starts with a lookup, and in a large simulation each array read is a cache miss). The table grows
 * with what it holds, not with its capacity. Replacing a value keeps the id's place in the order; removing an
 * id and adding it again puts it last. Not thread-safe.
 */
final class SeenCache {
  private final int capacity;
  private final Consumer<Object> evicted;
  /** Slot i holds its id at {@code 2i} (null: empty) and its value at {@code 2i + 1}. */
  private Object[] table = new Object[32];
  /**
   * The table's slots less one, kept beside it: a lookup that computed it from the table's length would wait
   * for the array's header before it could read its slot, two cache misses one after the other in a large
   * simulation; with the mask at hand the two reads (the slot, and the header for the bounds check) overlap.
   */
  private int mask = 15;
  private int size;
  // Insertion order: ids in a ring, oldest at head.
  private Hash[] order = new Hash[16];
  private int head;

  /**
   * @param capacity ids remembered, at least 1
   * @param evicted told of the value of each id forgotten to stay within the capacity
   */
  SeenCache(int capacity, Consumer<Object> evicted) {
    this.capacity = capacity;
    this.evicted = evicted;
  }

  int size() {
    return size;
  }

  /** The value of {@code id}, or null. */
  Object get(Hash id) {
    Object[] t = table;
    int mask = this.mask;
    for (int i = slot(id, mask); ; i = (i + 1) & mask) {
      Object k = t[2 * i];
      if (k == null) {
        return null;
      }
      if (k == id || k.equals(id)) {
        return t[2 * i + 1];
      }
    }
  }

  /** Sets the value of {@code id}; a new id goes last in the order, and may push out the oldest. */
  void put(Hash id, Object value) {
    int mask = this.mask;
    int i = slot(id, mask);
    for (Object k; (k = table[2 * i]) != null; i = (i + 1) & mask) {
      if (k == id || k.equals(id)) {
        table[2 * i + 1] = value;
        return;
      }
    }
    table[2 * i] = id;
    table[2 * i + 1] = value;
    size++;
    if (size == order.length) {
      order = grow(order, head, size - 1);
      head = 0;
    }
    order[(head + size - 1) & (order.length - 1)] = id;
    if (2 * size > slots(table)) {
      rehash(slots(table) * 2);
    }
    if (size > capacity) {
      Hash eldest = order[head];
      order[head] = null;
      head = (head + 1) & (order.length - 1);
      evicted.accept(delete(eldest));
    }
  }

  /** Forgets {@code id}, if known. */
  void remove(Hash id) {
    if (delete(id) == null) {
      return;
    }
    // Recent ids are the ones removed (a pull that failed): look from the newest.
    int mask = order.length - 1;
    int n = size + 1; // the ring still holds the id
    for (int j = n - 1; j >= 0; j--) {
      int at = (head + j) & mask;
      if (order[at].equals(id)) {
        for (int m = j; m < n - 1; m++) {
          order[(head + m) & mask] = order[(head + m + 1) & mask];
        }
        order[(head + n - 1) & mask] = null;
        return;
      }
    }
    throw new IllegalStateException("id " + id + " was in the table but not in the order");
  }

  /** Removes {@code id} from the table (backward-shift deletion), returning its value; the order is untouched. */
  private Object delete(Hash id) {
    Object[] t = table;
    int mask = this.mask;
    int i = slot(id, mask);
    for (Object k; (k = t[2 * i]) != null; i = (i + 1) & mask) {
      if (k == id || k.equals(id)) {
        Object v = t[2 * i + 1];
        size--;
        // Shift later members of the probe run back over the hole.
        int hole = i;
        for (int j = (i + 1) & mask; t[2 * j] != null; j = (j + 1) & mask) {
          int home = slot((Hash) t[2 * j], mask);
          if (((j - home) & mask) >= ((j - hole) & mask)) {
            t[2 * hole] = t[2 * j];
            t[2 * hole + 1] = t[2 * j + 1];
            hole = j;
          }
        }
        t[2 * hole] = null;
        t[2 * hole + 1] = null;
        return v;
      }
    }
    return null;
  }

  private void rehash(int slots) {
    Object[] old = table;
    Object[] t = new Object[2 * slots];
    int mask = slots - 1;
    for (int j = 0; j < old.length; j += 2) {
      Object k = old[j];
      if (k != null) {
        int i = slot((Hash) k, mask);
        while (t[2 * i] != null) {
          i = (i + 1) & mask;
        }
        t[2 * i] = k;
        t[2 * i + 1] = old[j + 1];
      }
    }
    table = t;
    this.mask = mask;
  }

  private static int slots(Object[] table) {
    return table.length >>> 1;
  }

  private static Hash[] grow(Hash[] ring, int head, int count) {
    Hash[] bigger = new Hash[ring.length * 2];
    for (int j = 0; j < count; j++) {
      bigger[j] = ring[(head + j) & (ring.length - 1)];
    }
    return bigger;
  }

  private static int slot(Hash id, int mask) {
    int h = id.hashCode() * 0x9E3779B9;
    return (h ^ (h >>> 16)) & mask;
  }

  @Override
  public String toString() {
    return "SeenCache[" + size + " of " + capacity + "]";
  }
}
