package org.meshledger.simulation;

import java.util.Arrays;

/**
 * A binary min-heap of events ordered by time, then by the order they were scheduled in, so that events due
 * at the same virtual time run first-scheduled-first and a run replays exactly. Cancelled events stay in the
 * heap and are skipped when they come up.
 */
final class EventQueue {
  private Event[] heap = new Event[1024];
  private int size;
  private long nextSeq;

  abstract static class Event implements org.meshledger.spi.Cancellable {
    long time;
    long seq;
    boolean cancelled;

    abstract void fire();

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  void add(long time, Event e) {
    e.time = time;
    e.seq = nextSeq++;
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      Event p = heap[parent];
      if (!before(e, p)) {
        break;
      }
      heap[i] = p;
      i = parent;
    }
    heap[i] = e;
  }

  boolean isEmpty() {
    return size == 0;
  }

  long peekTime() {
    return heap[0].time;
  }

  int size() {
    return size;
  }

  Event poll() {
    Event top = heap[0];
    Event last = heap[--size];
    heap[size] = null;
    if (size > 0) {
      int i = 0;
      int half = size >>> 1;
      while (i < half) {
        int child = 2 * i + 1;
        Event c = heap[child];
        int right = child + 1;
        if (right < size && before(heap[right], c)) {
          child = right;
          c = heap[child];
        }
        if (!before(c, last)) {
          break;
        }
        heap[i] = c;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }

  private static boolean before(Event a, Event b) {
    return a.time < b.time || (a.time == b.time && a.seq < b.seq);
  }
}
