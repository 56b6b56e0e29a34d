package org.meshledger.impl.net;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a {@link Network}, for the node's metrics: what went in and out, and how connections ended.
 * Updated on the network's context, readable from any thread ({@link #snapshot()}).
 */
public final class NetworkStats {
  /** A consistent-enough copy of the counters. {@code closed} counts connections by how they ended. */
  public record Snapshot(long framesIn, long framesOut, long bytesIn, long bytesOut, long handshakes, long tlsFailures,
      long bans, Map<Reason, Long> closed) {}

  final LongAdder framesIn = new LongAdder();
  final LongAdder framesOut = new LongAdder();
  final LongAdder bytesIn = new LongAdder();
  final LongAdder bytesOut = new LongAdder();
  final LongAdder handshakes = new LongAdder();
  final LongAdder tlsFailures = new LongAdder();
  /** Handshakes this node refused (wrong chain, non-member, replayed nonce...), after TLS succeeded. */
  final LongAdder refusals = new LongAdder();
  final LongAdder bans = new LongAdder();
  private final Map<Reason, LongAdder> closed = new EnumMap<>(Reason.class);

  NetworkStats() {
    for (Reason r : Reason.values()) {
      closed.put(r, new LongAdder());
    }
  }

  void closed(Reason reason) {
    closed.get(reason).increment();
  }

  public Snapshot snapshot() {
    Map<Reason, Long> c = new EnumMap<>(Reason.class);
    closed.forEach((r, n) -> {
      long v = n.sum();
      if (v > 0) {
        c.put(r, v);
      }
    });
    return new Snapshot(framesIn.sum(), framesOut.sum(), bytesIn.sum(), bytesOut.sum(), handshakes.sum(), tlsFailures.sum(),
        bans.sum(), Map.copyOf(c));
  }
}
