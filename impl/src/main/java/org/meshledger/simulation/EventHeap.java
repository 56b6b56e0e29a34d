package org.meshledger.simulation;

import java.util.Arrays;

/**
 * A 4-ary min-heap of queue entries ordered by time, then by key (see {@link EventQueue}). The pairs (time, key) live
 * interleaved in one primitive array beside the entries' contents: the four children of a node share a cache
 * line and sifting never touches an event object. An entry is an {@link EventQueue.Event} (in {@code a}, with
 * {@code b} null) or a frame in flight (its message in {@code a}, its receiving end in {@code b}, the rest in
 * {@code aux} and {@code departs}: see
 * {@link EventQueue#addFrame}). {@link EventQueue} keeps two of these: a small one for the entries due within the
 * current millisecond or so, and one for entries beyond its calendar's horizon.
 */
final class EventHeap extends Padded {
  private long[] keys = new long[32]; // time and key of the entry at i are keys[2i], keys[2i + 1]
  private long[] aux = new long[16];
  private long[] departs = new long[16];
  private Object[] a = new Object[16];
  private SimPeer[] b = new SimPeer[16];
  private int size;

  void add(long time, long key, long x, long dep, Object first, SimPeer second) {
    if (size == a.length) {
      keys = Arrays.copyOf(keys, size * 4);
      aux = Arrays.copyOf(aux, size * 2);
      departs = Arrays.copyOf(departs, size * 2);
      a = Arrays.copyOf(a, size * 2);
      b = Arrays.copyOf(b, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 2;
      long pt = keys[2 * parent];
      if (pt < time || (pt == time && keys[2 * parent + 1] < key)) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    set(i, time, key, x, dep, first, second);
  }

  private void move(int from, int to) {
    keys[2 * to] = keys[2 * from];
    keys[2 * to + 1] = keys[2 * from + 1];
    aux[to] = aux[from];
    departs[to] = departs[from];
    a[to] = a[from];
    b[to] = b[from];
  }

  private void set(int i, long time, long key, long x, long dep, Object first, SimPeer second) {
    keys[2 * i] = time;
    keys[2 * i + 1] = key;
    aux[i] = x;
    departs[i] = dep;
    a[i] = first;
    b[i] = second;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The time of the first entry; only when not empty. */
  long peekTime() {
    return keys[0];
  }

  /** The key of the first entry; only when not empty. */
  long peekKey() {
    return keys[1];
  }

  /** The first entry's {@code aux}; only when not empty. */
  long peekAux() {
    return aux[0];
  }

  /** The first entry's departure (see {@link EventQueue#addFrame}); only when not empty. */
  long peekDeparts() {
    return departs[0];
  }

  /** The first entry's {@code a}; only when not empty. */
  Object peekA() {
    return a[0];
  }

  /** The first entry's {@code b}; only when not empty. */
  SimPeer peekB() {
    return b[0];
  }

  /** Removes the first entry (read it with the peek methods before); only when not empty. */
  void remove() {
    int n = --size;
    long lt = keys[2 * n];
    long ls = keys[2 * n + 1];
    long lx = aux[n];
    long ld = departs[n];
    Object la = a[n];
    SimPeer lb = b[n];
    a[n] = null;
    b[n] = null;
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
      set(i, lt, ls, lx, ld, la, lb);
    }
  }
}
