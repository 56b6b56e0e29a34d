package org.meshledger.impl.net;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.meshledger.PeerAddress;
import org.meshledger.chain.NodeId;
import org.meshledger.impl.net.Messages.KnownPeer;

/**
 * The addresses a node knows and when it may dial each again, sans-IO: time and randomness are passed in, so
 * the dialing policy is deterministic under a seed. Bootstrap addresses are never forgotten; others are
 * dropped when the book is full (failing ones first). After each failed attempt the next one waits
 * {@code min * 2^(failures-1)}, capped at {@code max}, times a jitter factor in [0.5, 1.5). Not thread-safe.
 */
final class PeerBook {
  /** One known address. */
  static final class Entry {
    final PeerAddress address;
    final boolean bootstrap;
    NodeId id; // learned from peer exchange or a handshake; null for a bootstrap address never reached
    int failures;
    long nextAttemptAt;
    boolean dialing;
    boolean self;

    Entry(PeerAddress address, boolean bootstrap) {
      this.address = address;
      this.bootstrap = bootstrap;
    }
  }

  private final NodeId self;
  private final int capacity;
  private final long minMillis;
  private final long maxMillis;
  private final RandomGenerator random;
  private final Map<PeerAddress, Entry> entries = new LinkedHashMap<>();

  PeerBook(NodeId self, int capacity, long minMillis, long maxMillis, RandomGenerator random) {
    this.self = Objects.requireNonNull(self, "self");
    this.capacity = capacity;
    this.minMillis = minMillis;
    this.maxMillis = maxMillis;
    this.random = random;
  }

  void addBootstrap(PeerAddress address) {
    entries.computeIfAbsent(address, a -> new Entry(a, true));
  }

  /** Records that {@code id} listens at {@code address} (from a handshake or peer exchange). */
  void learned(NodeId id, PeerAddress address) {
    if (id.equals(self)) {
      return;
    }
    Entry e = entries.get(address);
    if (e == null) {
      if (entries.size() >= capacity && !evictOne()) {
        return;
      }
      e = new Entry(address, false);
      entries.put(address, e);
    }
    e.id = id;
  }

  private boolean evictOne() {
    Entry victim = null;
    for (Entry e : entries.values()) {
      if (!e.bootstrap && !e.dialing && (victim == null || e.failures > victim.failures)) {
        victim = e;
      }
    }
    if (victim == null) {
      return false;
    }
    entries.remove(victim.address);
    return true;
  }

  /** The address turned out to be this node's own: never dial it again. */
  void markSelf(PeerAddress address) {
    Entry e = entries.get(address);
    if (e != null) {
      e.self = true;
      e.dialing = false;
    }
  }

  void dialing(PeerAddress address) {
    Entry e = entries.get(address);
    if (e != null) {
      e.dialing = true;
    }
  }

  /** A handshake over this address succeeded. */
  void connected(PeerAddress address, NodeId id) {
    Entry e = entries.get(address);
    if (e != null) {
      e.dialing = false;
      e.failures = 0;
      e.id = id;
    }
  }

  /** Dialing failed or the connection was refused: back off. */
  void failed(PeerAddress address, long now) {
    Entry e = entries.get(address);
    if (e != null) {
      e.dialing = false;
      e.failures++;
      e.nextAttemptAt = now + backoff(e.failures);
    }
  }

  /** A connection that worked has ended: try again after the shortest backoff. */
  void disconnected(PeerAddress address, long now) {
    Entry e = entries.get(address);
    if (e != null) {
      e.dialing = false;
      e.nextAttemptAt = now + jitter(minMillis);
    }
  }

  /** The delay after {@code failures} consecutive failures (at least 1). */
  long backoff(int failures) {
    long base = minMillis << Math.min(Math.max(failures - 1, 0), 30);
    return jitter(Math.min(base <= 0 ? maxMillis : base, maxMillis));
  }

  private long jitter(long millis) {
    return (long) (millis * (0.5 + random.nextDouble()));
  }

  /** Up to {@code n} addresses worth dialing now, in random order, skipping those {@code skip} rejects. */
  List<Entry> candidates(int n, long now, Predicate<Entry> skip) {
    List<Entry> ok = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (!e.self && !e.dialing && e.nextAttemptAt <= now && !skip.test(e)) {
        ok.add(e);
      }
    }
    shuffle(ok);
    return ok.subList(0, Math.min(n, ok.size()));
  }

  /** Up to {@code n} known (id, address) pairs that {@code include} accepts, in random order: for PEERS. */
  List<KnownPeer> sample(int n, Predicate<Entry> include) {
    List<KnownPeer> out = new ArrayList<>();
    List<Entry> all = new ArrayList<>(entries.values());
    shuffle(all);
    for (Entry e : all) {
      if (out.size() >= n) {
        break;
      }
      if (e.id != null && !e.self && e.failures == 0 && include.test(e)) {
        out.add(new KnownPeer(e.id, e.address));
      }
    }
    return out;
  }

  private <T> void shuffle(List<T> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }

  Entry get(PeerAddress address) {
    return entries.get(address);
  }

  int size() {
    return entries.size();
  }
}
