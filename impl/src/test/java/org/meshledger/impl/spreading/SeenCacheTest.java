package org.meshledger.impl.spreading;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.meshledger.chain.Hash;

/** The compact seen-cache remembers and forgets exactly what a LinkedHashMap in insertion order would. */
class SeenCacheTest {

  @Test
  void behavesLikeAnInsertionOrderedMapWithEviction() {
    long seed = Long.getLong("meshledger.seed", 17);
    SplittableRandom rnd = new SplittableRandom(seed);
    int capacity = 50;
    List<Object> evicted = new ArrayList<>();
    List<Object> refEvicted = new ArrayList<>();
    SeenCache cache = new SeenCache(capacity, evicted::add);
    Map<Hash, Object> ref = new LinkedHashMap<>(16, 0.75f, false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Hash, Object> eldest) {
        if (size() > capacity) {
          refEvicted.add(eldest.getValue());
          return true;
        }
        return false;
      }
    };
    // Few distinct ids, many sharing a hash code (same first four bytes), so probe runs collide and wrap.
    Hash[] ids = new Hash[120];
    for (int i = 0; i < ids.length; i++) {
      byte[] b = new byte[32];
      b[3] = (byte) (i % 7);
      b[31] = (byte) i;
      ids[i] = new Hash(b);
    }
    for (int step = 0; step < 50_000; step++) {
      Hash id = ids[rnd.nextInt(ids.length)];
      Hash copy = new Hash(id.bytes()); // equal, not identical
      switch (rnd.nextInt(4)) {
        case 0, 1 -> {
          Object v = step;
          cache.put(copy, v);
          ref.put(copy, v);
        }
        case 2 -> {
          cache.remove(copy);
          ref.remove(copy);
        }
        default -> assertThat(cache.get(copy)).as("seed %d step %d", seed, step).isEqualTo(ref.get(copy));
      }
      assertThat(cache.size()).as("seed %d step %d", seed, step).isEqualTo(ref.size());
    }
    for (Hash id : ids) {
      assertThat(cache.get(id)).as("seed %d", seed).isEqualTo(ref.get(id));
    }
    assertThat(evicted).as("seed %d", seed).isEqualTo(refEvicted).isNotEmpty();
  }
}
