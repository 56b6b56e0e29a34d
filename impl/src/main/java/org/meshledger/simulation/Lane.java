package org.meshledger.simulation;

import java.util.Arrays;
import org.meshledger.PropagationStats.Kind;

/**
 * One thread's share of a simulation (ADR 023): the nodes numbered {@code 512k .. 512k + 511} for every k with
 * {@code k % lanes == number}, the events due at them, their clock, and the counters only they touch. A lane is
 * driven by one thread at a time; between windows the simulation's own thread reads and writes it.
 *
 * <p>A frame for a node of another lane goes to an {@link Outbox}, which that lane empties into its queue at the
 * start of the next window: such a frame arrives at least the latency model's floor after it was sent, so not
 * before the end of the window it was sent in. Each pair of lanes has two outboxes, used in turn: while a lane
 * empties the one filled in the last window, the other lane fills the second.
 */
final class Lane extends Padded {
  private static final int KINDS = Kind.values().length;

  final int number;
  final EventQueue queue = new EventQueue();
  /** The time of the event this lane runs now, or of the last one. */
  long now;
  long events;
  /** The sum of {@link #mix} over the events run here: independent of the order lanes run in. */
  long fingerprint;
  /** Frames and bytes received, by kind, at {@code PAD + 2 * kind} and the next: padded as this object is. */
  private final long[] received = new long[PAD + 2 * KINDS + PAD];
  private static final int PAD = 16;
  long framesLost;
  /** The nodes of this lane with duplicate announcements not yet handed to their relays, each once. */
  int[] unsettled = new int[16];
  int unsettledCount;
  /**
   * By target lane, then by turn: frames sent to that lane's nodes (null at this lane's own number). Every lane
   * fills the outboxes of the simulation's current turn and empties those of the other.
   */
  final Outbox[][] out;
  /** What stopped this lane's thread, handed to the simulation's thread. */
  Throwable failure;

  Lane(int number, int lanes) {
    this.number = number;
    this.out = new Outbox[lanes][];
    for (int i = 0; i < lanes; i++) {
      if (i != number) {
        out[i] = new Outbox[] {new Outbox(), new Outbox()};
      }
    }
  }

  void countReceived(Kind kind, int bytes) {
    int i = PAD + 2 * kind.ordinal();
    received[i]++;
    received[i + 1] += bytes;
  }

  long framesReceived(Kind kind) {
    return received[PAD + 2 * kind.ordinal()];
  }

  long bytesReceived(Kind kind) {
    return received[PAD + 2 * kind.ordinal() + 1];
  }

  /** A 64-bit digest of one event, summed into the fingerprint. */
  static long mix(long time, long key) {
    long z = time * 0x9E3779B97F4A7C15L ^ key;
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  /** Frames in flight to another lane's nodes, queued there when that lane's next window starts. */
  static final class Outbox {
    /** Entry i is {@code longs[4i..4i+3]} (arrival time, key, aux, departure), {@code messages[i]}, {@code froms[i]}. */
    private long[] longs = new long[4 * 256];
    private Object[] messages = new Object[256];
    private SimPeer[] froms = new SimPeer[256];
    private int count;
    /** The earliest arrival among the entries; Long.MAX_VALUE when empty. */
    long minTime = Long.MAX_VALUE;

    void add(long time, long key, long aux, long departs, SimPeer from, Object message) {
      if (count == messages.length) {
        longs = Arrays.copyOf(longs, longs.length * 2);
        messages = Arrays.copyOf(messages, count * 2);
        froms = Arrays.copyOf(froms, count * 2);
      }
      int i = count++;
      longs[4 * i] = time;
      longs[4 * i + 1] = key;
      longs[4 * i + 2] = aux;
      longs[4 * i + 3] = departs;
      messages[i] = message;
      froms[i] = from;
      if (time < minTime) {
        minTime = time;
      }
    }

    /** Moves every entry into {@code queue}. */
    void drainInto(EventQueue queue) {
      for (int i = 0; i < count; i++) {
        queue.addFrame(longs[4 * i], longs[4 * i + 1], longs[4 * i + 2], longs[4 * i + 3], froms[i], messages[i]);
        messages[i] = null;
        froms[i] = null;
      }
      count = 0;
      minTime = Long.MAX_VALUE;
    }
  }
}
