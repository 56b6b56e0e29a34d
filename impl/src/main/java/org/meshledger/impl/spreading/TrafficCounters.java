package org.meshledger.impl.spreading;

import java.util.EnumMap;
import org.meshledger.PropagationStats;
import org.meshledger.PropagationStats.Counts;
import org.meshledger.PropagationStats.Kind;

/** The frame counters of one node; touched on the node's thread only. */
final class TrafficCounters {
  private static final int KINDS = Kind.values().length;
  private final long[] sent = new long[KINDS];
  private final long[] sentBytes = new long[KINDS];
  private final long[] received = new long[KINDS];
  private final long[] receivedBytes = new long[KINDS];
  private final long[] duplicates = new long[KINDS];
  private final long[] duplicateBytes = new long[KINDS];

  void sent(Kind kind, int bytes) {
    sent[kind.ordinal()]++;
    sentBytes[kind.ordinal()] += bytes;
  }

  void received(Kind kind, int bytes) {
    received[kind.ordinal()]++;
    receivedBytes[kind.ordinal()] += bytes;
  }

  void duplicate(Kind kind, int bytes) {
    duplicates[kind.ordinal()]++;
    duplicateBytes[kind.ordinal()] += bytes;
  }

  PropagationStats snapshot() {
    EnumMap<Kind, Counts> m = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      int i = k.ordinal();
      m.put(k, new Counts(sent[i], sentBytes[i], received[i], receivedBytes[i], duplicates[i], duplicateBytes[i]));
    }
    return new PropagationStats(m);
  }
}
