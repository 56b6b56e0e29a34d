package org.meshledger.simulation;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The simulation's event queue: events ordered by time, then by the order they were scheduled in, so that
 * events due at the same virtual time run first-scheduled-first and a run replays exactly.
 *
 * <p>A calendar of buckets in front of two heaps. Almost every event is due within a minute of virtual time
 * (link delays, diffusion delays, request timeouts, embargoes), so it is appended, unsorted, to the bucket of
 * its {@value #WIDTH_SHIFT}-bit slice of time (about a millisecond) in a ring of {@value #BUCKETS} buckets.
 * Only the events of the current slice sit in a heap ({@code near}): when it runs dry, the next bucket is
 * poured into it. Events beyond the ring's horizon wait in a second heap ({@code far}) and join {@code near}
 * when their slice comes up. A poll then sifts a heap of the few thousand events of one millisecond, which
 * stays in cache, instead of one of millions (one cache miss per level: most of the time of a large run
 * before this queue). The order is exactly that of one heap keyed by (time, sequence).
 *
 * <p>A cancelled event leaves the calendar at once; in either heap it stays, and is skipped when it comes up.
 */
final class EventQueue {
  /** A bucket covers 2^20 ns, about 1.05 ms of virtual time. */
  private static final int WIDTH_SHIFT = 20;
  /** 2^16 buckets: a horizon of about 69 s. */
  private static final int BUCKETS = 1 << 16;
  private static final int MASK = BUCKETS - 1;
  /** The largest bucket kept for reuse, in events. */
  private static final int SPARE_MAX = 256;

  private final EventHeap near = new EventHeap();
  private final EventHeap far = new EventHeap();
  private final Bucket[] ring = new Bucket[BUCKETS];
  /** Emptied buckets, reused: only the slices with events hold a bucket, so the ring costs what it holds. */
  private final ArrayDeque<Bucket> spare = new ArrayDeque<>();
  /** The first slice not yet poured into {@code near}: {@code near} holds every event of earlier slices. */
  private long nextSlice;
  private int inRing;
  private int size;
  private long nextSeq;

  abstract static class Event implements org.meshledger.spi.Cancellable {
    long time;
    boolean cancelled;
    /** The bucket holding this event and its index there, while it waits in the calendar. */
    private EventQueue.Bucket bucket;
    private int pos;

    abstract void fire();

    /**
     * Marks the event cancelled; if it waits in the calendar it leaves at once, so the timers that are almost
     * always cancelled (a relay's request timeout, cancelled when the payload comes) do not pile up.
     */
    @Override
    public void cancel() {
      if (!cancelled) {
        cancelled = true;
        if (bucket != null) {
          bucket.remove(this);
        }
      }
    }
  }

  /** The events of one slice, unsorted: {@code near} sorts them. */
  private final class Bucket {
    long[] keys = new long[16]; // time, sequence
    Event[] events = new Event[8];
    int count;

    void add(long time, long seq, Event e) {
      if (count == events.length) {
        events = Arrays.copyOf(events, count * 2);
        keys = Arrays.copyOf(keys, count * 4);
      }
      keys[2 * count] = time;
      keys[2 * count + 1] = seq;
      e.bucket = this;
      e.pos = count;
      events[count++] = e;
    }

    /** Takes {@code e} out, moving the last event into its place. */
    void remove(Event e) {
      int i = e.pos;
      int last = --count;
      if (i != last) {
        Event moved = events[last];
        events[i] = moved;
        moved.pos = i;
        keys[2 * i] = keys[2 * last];
        keys[2 * i + 1] = keys[2 * last + 1];
      }
      events[last] = null;
      e.bucket = null;
      inRing--;
      size--;
    }
  }

  void add(long time, Event e) {
    if (time < 0) {
      throw new IllegalArgumentException("event time cannot be negative: " + time);
    }
    e.time = time;
    long seq = nextSeq++;
    size++;
    long slice = time >>> WIDTH_SHIFT;
    if (slice < nextSlice) {
      near.add(time, seq, e);
    } else if (slice - nextSlice < BUCKETS) {
      int i = (int) (slice & MASK);
      Bucket b = ring[i];
      if (b == null) {
        b = spare.isEmpty() ? new Bucket() : spare.pop();
        ring[i] = b;
      }
      b.add(time, seq, e);
      inRing++;
    } else {
      far.add(time, seq, e);
    }
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The time of the first event; only when not empty. */
  long peekTime() {
    fillNear();
    return near.peekTime();
  }

  int size() {
    return size;
  }

  /** Removes and returns the first event; only when not empty. */
  Event poll() {
    fillNear();
    size--;
    return near.poll();
  }

  /** Pours the next slices into {@code near} until it holds an event; only when not empty. */
  private void fillNear() {
    while (near.isEmpty()) {
      if (inRing == 0) {
        nextSlice = Math.max(nextSlice, far.peekTime() >>> WIDTH_SHIFT); // nothing in between: skip ahead
      }
      long slice = nextSlice++;
      int i = (int) (slice & MASK);
      Bucket b = ring[i];
      if (b != null) {
        for (int j = 0; j < b.count; j++) {
          Event e = b.events[j];
          e.bucket = null;
          near.add(b.keys[2 * j], b.keys[2 * j + 1], e);
          b.events[j] = null;
        }
        inRing -= b.count;
        b.count = 0;
        ring[i] = null;
        if (b.events.length <= SPARE_MAX) {
          spare.push(b); // a busy slice's large arrays go to the collector instead of waiting in the pool
        }
      }
      while (!far.isEmpty() && (far.peekTime() >>> WIDTH_SHIFT) <= slice) {
        long t = far.peekTime();
        long s = far.peekSeq();
        near.add(t, s, far.poll());
      }
    }
  }
}
