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
 * <p>An entry is either an {@link Event} object (timers and scheduled actions: they may be cancelled) or a
 * frame in flight, stored as plain fields in the queue's arrays ({@link #addFrame}): a run of 100,000 nodes has
 * about ten million frames in flight per virtual second, and an object per frame, read once when the frame
 * arrives, cost a cache miss each (ADR 019).
 *
 * <p>A cancelled event leaves the calendar at once; in either heap it stays, and is skipped when it comes up.
 */
final class EventQueue {
  /** A bucket covers 2^20 ns, about 1.05 ms of virtual time. */
  private static final int WIDTH_SHIFT = 20;
  /** 2^16 buckets: a horizon of about 69 s. */
  private static final int BUCKETS = 1 << 16;
  private static final int MASK = BUCKETS - 1;
  /** A bucket holds its entries in chunks of 2^6 entries (2 KiB), taken from and returned to a pool. */
  private static final int CHUNK_SHIFT = 6;
  private static final int CHUNK = 1 << CHUNK_SHIFT;

  private final EventHeap near = new EventHeap();
  private final EventHeap far = new EventHeap();
  private final Bucket[] ring = new Bucket[BUCKETS];
  /** Emptied buckets, reused: only the slices with events hold a bucket, so the ring costs what it holds. */
  private final ArrayDeque<Bucket> spare = new ArrayDeque<>();
  /**
   * Emptied chunks, reused: a slice of a run of 100,000 nodes holds ten thousand entries, and a bucket that
   * doubled its arrays to hold them, then dropped them, made most of the run's garbage.
   */
  private final ArrayDeque<Chunk> spareChunks = new ArrayDeque<>();
  /** The first slice not yet poured into {@code near}: {@code near} holds every event of earlier slices. */
  private long nextSlice;
  private int inRing;
  private int size;
  private long nextSeq;

  /** The parts of the entry {@link #poll} took last, if it was a frame. */
  long polledTime;
  long polledAux;
  Object polledA;
  Object polledB;

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

  /**
   * Room for {@value #CHUNK} entries of a bucket, interleaved so that adding one writes two cache lines: entry j
   * is {@code longs[3j..3j+2]} (time, sequence, aux) and {@code refs[2j..2j+1]} (a, b).
   */
  private static final class Chunk {
    final long[] longs = new long[3 * CHUNK];
    final Object[] refs = new Object[2 * CHUNK];
  }

  private Chunk takeChunk() {
    Chunk c = spareChunks.poll();
    return c != null ? c : new Chunk();
  }

  /** The entries of one slice, unsorted: {@code near} sorts them. Entry i is entry i % CHUNK of chunk i / CHUNK. */
  private final class Bucket {
    Chunk[] chunks = new Chunk[2];
    int count;

    void add(long time, long seq, long x, Object first, Object second) {
      int c = count >>> CHUNK_SHIFT;
      int j = count & (CHUNK - 1);
      if (j == 0) {
        if (c == chunks.length) {
          chunks = Arrays.copyOf(chunks, c * 2);
        }
        chunks[c] = takeChunk();
      }
      Chunk chunk = chunks[c];
      chunk.longs[3 * j] = time;
      chunk.longs[3 * j + 1] = seq;
      chunk.longs[3 * j + 2] = x;
      chunk.refs[2 * j] = first;
      chunk.refs[2 * j + 1] = second;
      if (second == null) {
        Event e = (Event) first;
        e.bucket = this;
        e.pos = count;
      }
      count++;
    }

    /** Takes {@code e} out, moving the last entry into its place. */
    void remove(Event e) {
      int i = e.pos;
      int last = --count;
      Chunk to = chunks[i >>> CHUNK_SHIFT];
      Chunk from = chunks[last >>> CHUNK_SHIFT];
      int ti = i & (CHUNK - 1);
      int fi = last & (CHUNK - 1);
      if (i != last) {
        System.arraycopy(from.longs, 3 * fi, to.longs, 3 * ti, 3);
        to.refs[2 * ti] = from.refs[2 * fi];
        to.refs[2 * ti + 1] = from.refs[2 * fi + 1];
        if (to.refs[2 * ti + 1] == null) {
          ((Event) to.refs[2 * ti]).pos = i;
        }
      }
      from.refs[2 * fi] = null;
      from.refs[2 * fi + 1] = null;
      if (fi == 0) {
        chunks[last >>> CHUNK_SHIFT] = null;
        spareChunks.push(from);
      }
      e.bucket = null;
      inRing--;
      size--;
    }
  }

  void add(long time, Event e) {
    e.time = time;
    add(time, 0, e, null);
  }

  /**
   * Queues a frame in flight as plain fields, without an event object: {@code first} and {@code second} must
   * not be null (a null {@code second} marks an {@link Event}). {@link #poll} hands them back in
   * {@link #polledAux}, {@link #polledA} and {@link #polledB}.
   */
  void addFrame(long time, long x, Object first, Object second) {
    add(time, x, first, second);
  }

  private void add(long time, long x, Object first, Object second) {
    if (time < 0) {
      throw new IllegalArgumentException("event time cannot be negative: " + time);
    }
    long seq = nextSeq++;
    size++;
    long slice = time >>> WIDTH_SHIFT;
    if (slice < nextSlice) {
      near.add(time, seq, x, first, second);
    } else if (slice - nextSlice < BUCKETS) {
      int i = (int) (slice & MASK);
      Bucket bucket = ring[i];
      if (bucket == null) {
        bucket = spare.isEmpty() ? new Bucket() : spare.pop();
        ring[i] = bucket;
      }
      bucket.add(time, seq, x, first, second);
      inRing++;
    } else {
      far.add(time, seq, x, first, second);
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

  /**
   * Removes the first entry; only when not empty. Returns it if it is an {@link Event}; for a frame returns null
   * and leaves its parts in {@link #polledTime}, {@link #polledAux}, {@link #polledA} and {@link #polledB}.
   */
  Event poll() {
    fillNear();
    size--;
    Object second = near.peekB();
    if (second == null) {
      Event e = (Event) near.peekA();
      near.remove();
      return e;
    }
    polledTime = near.peekTime();
    polledAux = near.peekAux();
    polledA = near.peekA();
    polledB = second;
    near.remove();
    return null;
  }

  /** Pours the next slices into {@code near} until it holds an entry; only when not empty. */
  private void fillNear() {
    while (near.isEmpty()) {
      if (inRing == 0) {
        nextSlice = Math.max(nextSlice, far.peekTime() >>> WIDTH_SHIFT); // nothing in between: skip ahead
      }
      long slice = nextSlice++;
      int i = (int) (slice & MASK);
      Bucket bucket = ring[i];
      if (bucket != null) {
        for (int c = 0, left = bucket.count; left > 0; c++) {
          Chunk chunk = bucket.chunks[c];
          int n = Math.min(left, CHUNK);
          for (int j = 0; j < n; j++) {
            Object first = chunk.refs[2 * j];
            Object second = chunk.refs[2 * j + 1];
            if (second == null) {
              ((Event) first).bucket = null;
            }
            near.add(chunk.longs[3 * j], chunk.longs[3 * j + 1], chunk.longs[3 * j + 2], first, second);
            chunk.refs[2 * j] = null;
            chunk.refs[2 * j + 1] = null;
          }
          left -= n;
          bucket.chunks[c] = null;
          spareChunks.push(chunk);
        }
        inRing -= bucket.count;
        bucket.count = 0;
        ring[i] = null;
        spare.push(bucket);
      }
      while (!far.isEmpty() && (far.peekTime() >>> WIDTH_SHIFT) <= slice) {
        near.add(far.peekTime(), far.peekSeq(), far.peekAux(), far.peekA(), far.peekB());
        far.remove();
      }
    }
  }
}
