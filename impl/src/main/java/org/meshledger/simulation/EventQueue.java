package org.meshledger.simulation;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The event queue of one lane of a simulation: events ordered by time, then by a key the caller gives (the
 * node that scheduled the event and that node's own count of events scheduled), so that events due at the same
 * virtual time run in an order that depends neither on the number of threads nor on when another lane's frame
 * reached this queue, and a run replays exactly.
 *
 * <p>A two-level calendar of buckets in front of two heaps. Almost every event is due within half a minute of
 * virtual time (link delays, diffusion delays, request timeouts), so it is appended, unsorted, to the bucket of
 * its coarse window (2^5 slices, about 8.4 ms) in a ring of 2^12 such buckets. When a window's first slice comes
 * up, its bucket is poured into the buckets of its {@value #WIDTH_SHIFT}-bit slices (about a quarter of a
 * millisecond each); an event due within the windows already poured goes straight to its slice's bucket. Only
 * the events of the current slice sit in a heap ({@code near}): when it runs dry, the next slice's bucket is
 * poured into it. Events beyond the horizon (about 34 s; embargo timers, mostly) wait in a second heap
 * ({@code far}) and join {@code near} when their slice comes up. A poll then sifts a heap of the events of one
 * slice, which stays in cache, instead of one of millions (one cache miss per level: most of the time of a
 * large run before this queue). The slice's width trades the two costs of a large run: a run of 100,000 nodes
 * has about 12 million events per virtual second, so 1 ms slices put 12,000 events in {@code near}, whose heap
 * then outgrows the core's cache (0.25 ms took 10% less CPU than 1 ms on such a run, and 0.13 ms was no
 * better). The coarse windows keep appends in cache: the next second of such a run has a hundred windows but
 * four thousand slices, and appending to the end of one of four thousand buckets missed the cache each time
 * (ADR 022). The order is exactly that of one heap keyed by (time, key).
 *
 * <p>An entry is either an {@link Event} object (timers and scheduled actions: they may be cancelled) or a
 * frame in flight, stored as plain fields in the queue's arrays ({@link #addFrame}): a run of 100,000 nodes has
 * about ten million frames sent per virtual second, and an object per frame, read once when the frame
 * arrives, cost a cache miss each (ADR 019).
 *
 * <p>A cancelled event's entry in the calendar is emptied at once (the event object is then garbage) and
 * skipped when its bucket is poured; in either heap it stays, and is skipped when it comes up.
 */
final class EventQueue extends Padded {
  /** A bucket covers 2^18 ns, about 262 microseconds of virtual time. */
  private static final int WIDTH_SHIFT = 18;
  /** A coarse bucket covers 2^5 slices, about 8.4 ms. */
  private static final int COARSE_SHIFT = 5;
  /** 2^12 coarse buckets: a horizon of about 34 s. */
  private static final int COARSE_BUCKETS = 1 << 12;
  private static final int COARSE_MASK = COARSE_BUCKETS - 1;
  /** Events due this far ahead of the current coarse window or further wait in {@code far}. */
  static final long HORIZON_NANOS = (long) COARSE_BUCKETS << (COARSE_SHIFT + WIDTH_SHIFT);
  /** Fine buckets: the slices of the coarse windows already poured span fewer than 2^6. */
  private static final int FINE_BUCKETS = 2 << COARSE_SHIFT;
  private static final int MASK = FINE_BUCKETS - 1;
  /** A bucket holds its entries in chunks of 2^6 entries (2 KiB), taken from and returned to a pool. */
  private static final int CHUNK_SHIFT = 6;
  private static final int CHUNK = 1 << CHUNK_SHIFT;

  private final EventHeap near = new EventHeap();
  private final EventHeap far = new EventHeap();
  /** By slice, for the slices of the coarse windows already poured. */
  private final Bucket[] ring = new Bucket[FINE_BUCKETS];
  /**
   * By coarse window, for the windows not yet poured: a new event is appended to the bucket of its window, one
   * of about a hundred in use for the next second of a large run, whose ends stay in cache; appending to the
   * bucket of its slice, one of thousands, missed the cache each time (ADR 022). A window is poured into the
   * slices' buckets when the first of its slices comes up: one more copy, in order, of each entry.
   */
  private final Bucket[] coarse = new Bucket[COARSE_BUCKETS];
  /** The first coarse window not yet poured: every window before it is in {@code ring}, {@code near} or run. */
  private long nextCoarse;
  /** Emptied buckets, reused: only the slices with events hold a bucket, so the ring costs what it holds. */
  private final ArrayDeque<Bucket> spare = new ArrayDeque<>();
  /**
   * Emptied chunks, reused: a slice of a run of 100,000 nodes holds ten thousand entries, and a bucket that
   * doubled its arrays to hold them, then dropped them, made most of the run's garbage.
   */
  private final ArrayDeque<Chunk> spareChunks = new ArrayDeque<>();
  /** The first slice not yet poured into {@code near}: {@code near} holds every event of earlier slices. */
  private long nextSlice;
  /** Entries in the buckets of both rings, cancelled ones included (they leave when their bucket is poured). */
  private int inRing;
  /** Entries not cancelled in the ring, and every entry in {@code near} and {@code far}. */
  private int size;

  /** The key of the entry {@link #poll} took last, event or frame. */
  long polledKey;
  /** The parts of the entry {@link #poll} took last, if it was a frame. */
  long polledTime;
  long polledAux;
  /** See {@link #addFrame}. */
  long polledDeparts;
  /** The frame's message (a {@code Gossip}, or an id). */
  Object polledMessage;
  /**
   * The receiving end of the frame's connection. Kept in arrays of its own type, so that taking it out needs no
   * cast: a cast reads the object's header, a cache miss per frame in a large run, for a reference the relay
   * mostly only passes on.
   */
  SimPeer polledFrom;

  abstract static class Event implements org.meshledger.spi.Cancellable {
    long time;
    boolean cancelled;
    /** The chunk holding this event and its slot there, while it waits in the calendar. */
    private EventQueue.Chunk chunk;
    private int slot;

    abstract void fire();

    /**
     * Marks the event cancelled; if it waits in the calendar its entry is emptied at once, so the timers that
     * are almost always cancelled (a relay's request timeout, cancelled when the payload comes) are garbage at
     * once and cost no work when their slice comes up. The emptied slot itself waits for its slice (40 bytes of
     * a pooled chunk): moving another entry into it, as a first version did, cost three more cache misses per
     * cancellation, the moved event's among them.
     */
    @Override
    public void cancel() {
      if (!cancelled) {
        cancelled = true;
        if (chunk != null) {
          chunk.empty(slot);
          chunk = null;
        }
      }
    }
  }

  /**
   * Room for {@value #CHUNK} entries of a bucket, interleaved so that adding one writes two cache lines: entry j
   * is {@code longs[4j..4j+3]} (time, key, aux, departure), {@code refs[j]} (the event, or the frame's
   * message) and {@code froms[j]} (null for an event, else the frame's receiving end). An entry whose
   * {@code refs[j]} is null was cancelled.
   */
  private final class Chunk {
    final long[] longs = new long[4 * CHUNK];
    final Object[] refs = new Object[CHUNK];
    final SimPeer[] froms = new SimPeer[CHUNK];

    void empty(int j) {
      refs[j] = null;
      size--;
    }
  }

  private Chunk takeChunk() {
    Chunk c = spareChunks.poll();
    return c != null ? c : new Chunk();
  }

  /**
   * The entries of one slice, unsorted: {@code near} sorts them. Entry i is entry i % CHUNK of chunk i / CHUNK;
   * the last chunk is also at hand as {@code tail}, so that adding reads no array of chunks.
   */
  private final class Bucket {
    Chunk[] chunks = new Chunk[2];
    Chunk tail;
    int count;

    void add(long time, long key, long x, long departs, Object first, SimPeer second) {
      int j = count & (CHUNK - 1);
      if (j == 0) {
        int c = count >>> CHUNK_SHIFT;
        if (c == chunks.length) {
          chunks = Arrays.copyOf(chunks, c * 2);
        }
        tail = takeChunk();
        chunks[c] = tail;
      }
      Chunk chunk = tail;
      chunk.longs[4 * j] = time;
      chunk.longs[4 * j + 1] = key;
      chunk.longs[4 * j + 2] = x;
      chunk.longs[4 * j + 3] = departs;
      chunk.refs[j] = first;
      chunk.froms[j] = second;
      if (second == null) {
        Event e = (Event) first;
        e.chunk = chunk;
        e.slot = j;
      }
      count++;
    }
  }

  /** Queues {@code e} at {@code time}; among events due at the same time, smaller keys come first. */
  void add(long time, long key, Event e) {
    e.time = time;
    add(time, key, 0, -1, e, null);
  }

  /**
   * Queues a frame in flight as plain fields, without an event object: {@code from} and {@code message} must
   * not be null (a null {@code from} marks an {@link Event}). {@code departs} is the time a frame sent later
   * leaves its sender (the network checks on arrival that it could leave then), or -1. {@link #poll} hands
   * them back in {@link #polledAux}, {@link #polledDeparts}, {@link #polledFrom} and {@link #polledMessage}.
   */
  void addFrame(long time, long key, long x, long departs, SimPeer from, Object message) {
    add(time, key, x, departs, message, from);
  }

  private void add(long time, long key, long x, long departs, Object first, SimPeer second) {
    if (time < 0) {
      throw new IllegalArgumentException("event time cannot be negative: " + time);
    }
    size++;
    long slice = time >>> WIDTH_SHIFT;
    long window = slice >>> COARSE_SHIFT;
    if (slice < nextSlice) {
      near.add(time, key, x, departs, first, second);
    } else if (window < nextCoarse) {
      bucket(ring, (int) (slice & MASK)).add(time, key, x, departs, first, second);
      inRing++;
    } else if (window - nextCoarse < COARSE_BUCKETS) {
      bucket(coarse, (int) (window & COARSE_MASK)).add(time, key, x, departs, first, second);
      inRing++;
    } else {
      far.add(time, key, x, departs, first, second);
    }
  }

  private Bucket bucket(Bucket[] buckets, int i) {
    Bucket bucket = buckets[i];
    if (bucket == null) {
      bucket = spare.isEmpty() ? new Bucket() : spare.pop();
      buckets[i] = bucket;
    }
    return bucket;
  }

  /** Moves the entries of coarse window {@code window} into the buckets of their slices. */
  private void pourCoarse(long window) {
    int w = (int) (window & COARSE_MASK);
    Bucket bucket = coarse[w];
    if (bucket != null) {
      coarse[w] = null;
      int count = bucket.count;
      inRing += pour(bucket, false) - count;
    }
  }

  /**
   * Empties {@code bucket} into {@code near} or into the buckets of its entries' slices, skipping cancelled
   * entries, and returns it and its chunks to the pools. Returns the entries moved.
   */
  private int pour(Bucket bucket, boolean toNear) {
    int moved = 0;
    for (int c = 0, left = bucket.count; left > 0; c++) {
      Chunk chunk = bucket.chunks[c];
      int n = Math.min(left, CHUNK);
      for (int j = 0; j < n; j++) {
        Object first = chunk.refs[j];
        if (first == null) {
          continue; // cancelled
        }
        long time = chunk.longs[4 * j];
        SimPeer second = chunk.froms[j];
        if (toNear) {
          if (second == null) {
            ((Event) first).chunk = null;
          }
          near.add(time, chunk.longs[4 * j + 1], chunk.longs[4 * j + 2], chunk.longs[4 * j + 3], first, second);
        } else {
          bucket(ring, (int) ((time >>> WIDTH_SHIFT) & MASK))
              .add(time, chunk.longs[4 * j + 1], chunk.longs[4 * j + 2], chunk.longs[4 * j + 3], first, second);
        }
        moved++;
        chunk.refs[j] = null;
        chunk.froms[j] = null;
      }
      left -= n;
      bucket.chunks[c] = null;
      spareChunks.push(chunk);
    }
    bucket.count = 0;
    bucket.tail = null;
    spare.push(bucket);
    return moved;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The time of the first event; only when not empty. */
  long peekTime() {
    fillNear(Long.MAX_VALUE);
    return near.peekTime();
  }

  /**
   * The time of the first entry if it is due before {@code limit}, else Long.MAX_VALUE; the calendar moves no
   * further than {@code limit}'s slice. A lane asks this way: another lane's frame may still come, due at or
   * after its window's end, and a calendar that had moved past that time would put it in {@code near}, unsorted
   * work for the heap (a first version, which peeked past the window, ran a whole large run through it).
   */
  long peekTimeBefore(long limit) {
    if (size == 0 || !fillNear(limit >>> WIDTH_SHIFT)) {
      return Long.MAX_VALUE;
    }
    long t = near.peekTime();
    return t < limit ? t : Long.MAX_VALUE;
  }

  /**
   * The time of the first entry, Long.MAX_VALUE if none, without moving the calendar: a cancelled entry still in
   * a heap may count, so the time may be early, never late.
   */
  long minTime() {
    if (size == 0) {
      return Long.MAX_VALUE;
    }
    if (!near.isEmpty()) {
      return near.peekTime();
    }
    long best = far.isEmpty() ? Long.MAX_VALUE : far.peekTime();
    if (inRing == 0) {
      return best;
    }
    // The buckets in time order: the slices of the windows already poured, then the windows not yet poured.
    for (long slice = nextSlice; slice < nextCoarse << COARSE_SHIFT; slice++) {
      long t = liveMin(ring[(int) (slice & MASK)]);
      if (t != Long.MAX_VALUE) {
        return Math.min(best, t);
      }
    }
    for (long window = nextCoarse; window < nextCoarse + COARSE_BUCKETS; window++) {
      long t = liveMin(coarse[(int) (window & COARSE_MASK)]);
      if (t != Long.MAX_VALUE) {
        return Math.min(best, t);
      }
    }
    return best;
  }

  /** The earliest time among the entries of {@code bucket} not cancelled; Long.MAX_VALUE if none (or no bucket). */
  private static long liveMin(Bucket bucket) {
    long min = Long.MAX_VALUE;
    if (bucket != null) {
      for (int i = 0; i < bucket.count; i++) {
        Chunk chunk = bucket.chunks[i >>> CHUNK_SHIFT];
        int j = i & (CHUNK - 1);
        if (chunk.refs[j] != null) {
          min = Math.min(min, chunk.longs[4 * j]);
        }
      }
    }
    return min;
  }

  int size() {
    return size;
  }

  /**
   * Removes the first entry; only when not empty. Returns it if it is an {@link Event}; for a frame returns null
   * and leaves its parts in {@link #polledTime}, {@link #polledAux}, {@link #polledDeparts}, {@link #polledFrom} and {@link #polledMessage}.
   */
  Event poll() {
    fillNear(Long.MAX_VALUE);
    size--;
    polledKey = near.peekKey();
    SimPeer second = near.peekB();
    if (second == null) {
      Event e = (Event) near.peekA();
      near.remove();
      return e;
    }
    polledTime = near.peekTime();
    polledAux = near.peekAux();
    polledDeparts = near.peekDeparts();
    polledMessage = near.peekA();
    polledFrom = second;
    near.remove();
    return null;
  }

  /**
   * Pours the next slices, up to slice {@code last}, into {@code near} until it holds an entry; only when not
   * empty. Returns whether {@code near} holds one.
   */
  private boolean fillNear(long last) {
    while (near.isEmpty()) {
      if (inRing == 0) {
        long farSlice = far.peekTime() >>> WIDTH_SHIFT;
        if (farSlice > last) {
          return false;
        }
        nextSlice = Math.max(nextSlice, farSlice); // nothing in between: skip ahead
        nextCoarse = Math.max(nextCoarse, nextSlice >>> COARSE_SHIFT);
      }
      if (nextSlice > last) {
        return false;
      }
      long slice = nextSlice++;
      if ((slice >>> COARSE_SHIFT) >= nextCoarse) {
        pourCoarse(nextCoarse++);
      }
      int i = (int) (slice & MASK);
      Bucket bucket = ring[i];
      if (bucket != null) {
        ring[i] = null;
        inRing -= bucket.count;
        pour(bucket, true);
      }
      while (!far.isEmpty() && (far.peekTime() >>> WIDTH_SHIFT) <= slice) {
        near.add(far.peekTime(), far.peekKey(), far.peekAux(), far.peekDeparts(), far.peekA(), far.peekB());
        far.remove();
      }
    }
    return true;
  }
}
