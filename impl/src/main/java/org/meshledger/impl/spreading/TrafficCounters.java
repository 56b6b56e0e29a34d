package org.meshledger.impl.spreading;

import java.util.EnumMap;
import org.meshledger.PropagationStats;
import org.meshledger.PropagationStats.Counts;
import org.meshledger.PropagationStats.Kind;

/**
 * The frame counters of one node, in one {@code long[]} that the relay holds itself (no object around it: in a
 * large simulation every object a frame touches is a cache miss); touched on the node's thread only. The six
 * counters of a kind side by side: a frame updates two neighbouring longs, and a simulation of a million nodes
 * keeps one array per node instead of six.
 */
final class TrafficCounters {
  private static final int KINDS = Kind.values().length;
  private static final int SENT = 0;
  private static final int SENT_BYTES = 1;
  static final int RECEIVED = 2;
  private static final int RECEIVED_BYTES = 3;
  static final int DUPLICATES = 4;
  private static final int DUPLICATE_BYTES = 5;
  private static final int FIELDS = 6;
  private TrafficCounters() {}

  /** Fresh counters, all zero. */
  static long[] create() {
    return new long[KINDS * FIELDS];
  }

  static void sent(long[] counts, Kind kind, int bytes) {
    add(counts, kind, SENT, bytes);
  }

  static void received(long[] counts, Kind kind, int bytes) {
    add(counts, kind, RECEIVED, bytes);
  }

  static void duplicate(long[] counts, Kind kind, int bytes) {
    add(counts, kind, DUPLICATES, bytes);
  }

  private static void add(long[] counts, Kind kind, int field, int bytes) {
    add(counts, kind, field, 1, bytes);
  }

  /** Adds {@code frames} frames of {@code bytes} in all to counter {@code field} ({@link #RECEIVED}, ...) of {@code kind}. */
  static void add(long[] counts, Kind kind, int field, long frames, long bytes) {
    int i = kind.ordinal() * FIELDS + field;
    counts[i] += frames;
    counts[i + 1] += bytes;
  }

  static PropagationStats snapshot(long[] counts) {
    EnumMap<Kind, Counts> m = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      int i = k.ordinal() * FIELDS;
      m.put(k, new Counts(counts[i + SENT], counts[i + SENT_BYTES], counts[i + RECEIVED], counts[i + RECEIVED_BYTES],
          counts[i + DUPLICATES], counts[i + DUPLICATE_BYTES]));
    }
    return new PropagationStats(m);
  }
}
