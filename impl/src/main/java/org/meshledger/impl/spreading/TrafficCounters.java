package org.meshledger.impl.spreading;

import java.util.EnumMap;
import org.meshledger.PropagationStats;
import org.meshledger.PropagationStats.Counts;
import org.meshledger.PropagationStats.Kind;

/**
 * The frame counters of one node; touched on the node's thread only. One array, the six counters of a kind side
 * by side: a frame updates two neighbouring longs, and a simulation of a million nodes keeps one array per node
 * instead of six.
 */
final class TrafficCounters {
  private static final int KINDS = Kind.values().length;
  private static final int SENT = 0;
  private static final int SENT_BYTES = 1;
  private static final int RECEIVED = 2;
  private static final int RECEIVED_BYTES = 3;
  private static final int DUPLICATES = 4;
  private static final int DUPLICATE_BYTES = 5;
  private static final int FIELDS = 6;
  private final long[] counts = new long[KINDS * FIELDS];

  void sent(Kind kind, int bytes) {
    add(kind, SENT, bytes);
  }

  void received(Kind kind, int bytes) {
    add(kind, RECEIVED, bytes);
  }

  void duplicate(Kind kind, int bytes) {
    add(kind, DUPLICATES, bytes);
  }

  private void add(Kind kind, int field, int bytes) {
    int i = kind.ordinal() * FIELDS + field;
    counts[i]++;
    counts[i + 1] += bytes;
  }

  PropagationStats snapshot() {
    EnumMap<Kind, Counts> m = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      int i = k.ordinal() * FIELDS;
      m.put(k, new Counts(counts[i + SENT], counts[i + SENT_BYTES], counts[i + RECEIVED], counts[i + RECEIVED_BYTES],
          counts[i + DUPLICATES], counts[i + DUPLICATE_BYTES]));
    }
    return new PropagationStats(m);
  }
}
