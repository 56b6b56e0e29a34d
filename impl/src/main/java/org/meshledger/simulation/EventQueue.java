package org.meshledger.simulation;

import java.util.Arrays;

/**
 * A 4-ary min-heap of events ordered by time, then by the order they were scheduled in, so that events due
 * at the same virtual time run first-scheduled-first and a run replays exactly. The keys (time, sequence)
 * live interleaved in one primitive array beside the events: the four children of a node share a cache line
 * and sifting never touches an event object. A large simulation keeps millions of events queued, and sifting
 * is then mostly cache misses. Cancelled events stay in the heap and are skipped when they come up.
 */
final class EventQueue {
  private Event[] events = new Event[1024];
  private long[] keys = new long[2048]; // time, sequence of the event at i are keys[2i], keys[2i + 1]
  private int size;
  private long nextSeq;

  abstract static class Event implements org.meshledger.spi.Cancellable {
    long time;
    boolean cancelled;

    abstract void fire();

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  void add(long time, Event e) {
    e.time = time;
    long seq = nextSeq++;
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

  private void set(int i, Event e, long time, long seq) {
    events[i] = e;
    keys[2 * i] = time;
    keys[2 * i + 1] = seq;
  }

  boolean isEmpty() {
    return size == 0;
  }

  long peekTime() {
    return keys[0];
  }

  int size() {
    return size;
  }

  Event poll() {
    Event top = events[0];
    int n = --size;
    Event last = events[n];
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
