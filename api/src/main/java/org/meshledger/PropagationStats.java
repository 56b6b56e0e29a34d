package org.meshledger;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of what a node's spreading sent and received since it started, per kind of frame, so a host can
 * see where its bandwidth goes: announcements (message ids offered), requests (ids pulled), payloads (full
 * messages in the public phase) and stem payloads (Dandelion++'s private phase). Bytes are the encoded frame
 * sizes, length prefix included.
 *
 * @param counts the counters of every {@link Kind}
 */
public record PropagationStats(Map<Kind, Counts> counts) {
  /** A node that has sent and received nothing. */
  public static final PropagationStats EMPTY = new PropagationStats(Map.of());

  public PropagationStats {
    EnumMap<Kind, Counts> all = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      all.put(k, Objects.requireNonNullElse(counts.get(k), Counts.ZERO));
    }
    counts = Collections.unmodifiableMap(all);
  }

  /** The counters of {@code kind}. */
  public Counts of(Kind kind) {
    return counts.get(kind);
  }

  /** The kinds of frame a spreading node exchanges. */
  public enum Kind {
    /** "I have message id": the receiver pulls it if it lacks it. */
    ANNOUNCE,
    /** "Send me message id": the answer to an announcement. */
    REQUEST,
    /** A full message, in the public (fluff) phase. */
    PAYLOAD,
    /** A full message in Dandelion++'s private stem phase, sent to one peer. */
    STEM
  }

  /**
   * The counters of one kind of frame.
   *
   * @param sent frames sent
   * @param sentBytes bytes of the frames sent
   * @param received frames received
   * @param receivedBytes bytes of the frames received
   * @param duplicates frames received that carried nothing new (a message or id already held)
   * @param duplicateBytes bytes of those duplicates
   */
  public record Counts(long sent, long sentBytes, long received, long receivedBytes, long duplicates, long duplicateBytes) {
    /** Nothing counted. */
    public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0);

    public Counts {
      if (sent < 0 || sentBytes < 0 || received < 0 || receivedBytes < 0 || duplicates < 0 || duplicateBytes < 0) {
        throw new IllegalArgumentException("counters cannot be negative");
      }
    }
  }
}
