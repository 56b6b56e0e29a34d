package org.meshledger.simulation;

import java.util.Arrays;

/**
 * A 4-ary min-heap of events ordered by time, then by sequence number. The keys (time, sequence) live
 * interleaved in one primitive array beside the events: the four children of a node share a cache line and
 * sifting never touches an event object. {@link EventQueue} keeps two of these: a small one for the events
 * due within the current millisecond or so, and one for events beyond its calendar's horizon.
 */
final class EventHeap {
  private EventQueue.Event[] events = new EventQueue.Event[16];
  private long[] keys = new long[32]; // time, sequence of the event at i are keys[2i], keys[2i + 1]
  private int size;

  void add(long time, long seq, EventQueue.Event e) {
    if (size == events.length) {
      events = Arrays.copyOf(events, size * 2);
      keys = Arrays.copyOf(keys, size * 4);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 2;
      long pt = keys[2 * parent];
      if (pt < time || (pt == time && keys[2 * parent + 1] < seq)) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    set(i, e, time, seq);
  }

  private void move(int from, int to) {
    events[to] = events[from];
    keys[2 * to] = keys[2 * from];
    keys[2 * to + 1] = keys[2 * from + 1];
  }

  private void set(int i, EventQueue.Event e, long time, long seq) {
    events[i] = e;
    keys[2 * i] = time;
    keys[2 * i + 1] = seq;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The time of the first event; only when not empty. */
  long peekTime() {
    return keys[0];
  }

  /** The sequence number of the first event; only when not empty. */
  long peekSeq() {
    return keys[1];
  }

  /** Removes and returns the first event; only when not empty. */
  EventQueue.Event poll() {
    EventQueue.Event top = events[0];
    int n = --size;
    EventQueue.Event last = events[n];
    long lt = keys[2 * n];
    long ls = keys[2 * n + 1];
    events[n] = null;
    if (n > 0) {
      int i = 0;
      while (true) {
        int first = 4 * i + 1;
        if (first >= n) {
          break;
        }
        int best = first;
        long bt = keys[2 * first];
        long bs = keys[2 * first + 1];
        int end = Math.min(first + 4, n);
        for (int c = first + 1; c < end; c++) {
          long ct = keys[2 * c];
          if (ct < bt || (ct == bt && keys[2 * c + 1] < bs)) {
            best = c;
            bt = ct;
            bs = keys[2 * c + 1];
          }
        }
        if (lt < bt || (lt == bt && ls < bs)) {
          break;
        }
        move(best, i);
        i = best;
      }
      set(i, last, lt, ls);
    }
    return top;
  }
}
