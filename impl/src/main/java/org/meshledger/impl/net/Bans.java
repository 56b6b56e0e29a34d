package org.meshledger.impl.net;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Misbehaviour scores and temporary bans, sans-IO (time is passed in). Keys name a node ({@code id:<hex>})
 * or a remote IP ({@code ip:<address>}). Points add up; a score that reaches the threshold bans the key for
 * the ban duration and starts again from zero. A score with no new points for a ban duration is forgotten.
 * At most {@code capacity} keys are remembered (least recently touched dropped first), so a flood of
 * addresses cannot grow it without bound. Not thread-safe.
 */
final class Bans {
  private static final class Entry {
    int score;
    long lastPenaltyAt;
    long bannedUntil;
  }

  private final int threshold;
  private final long banMillis;
  private final Map<String, Entry> entries;

  Bans(int threshold, long banMillis, int capacity) {
    this.threshold = threshold;
    this.banMillis = banMillis;
    this.entries = new LinkedHashMap<>(64, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > capacity;
      }
    };
  }

  static String node(org.meshledger.chain.NodeId id) {
    return "id:" + id.toHex();
  }

  static String ip(String address) {
    return "ip:" + address;
  }

  /**
   * Adds {@code points} to {@code key}'s score.
   *
   * @return true if this reached the threshold and the key is now banned
   */
  boolean penalize(String key, int points, long now) {
    if (points <= 0) {
      return false;
    }
    Entry e = entries.computeIfAbsent(key, k -> new Entry());
    if (now - e.lastPenaltyAt > banMillis) {
      e.score = 0;
    }
    e.lastPenaltyAt = now;
    e.score = (int) Math.min((long) e.score + points, Integer.MAX_VALUE);
    if (e.score >= threshold) {
      e.score = 0;
      e.bannedUntil = now + banMillis;
      return true;
    }
    return false;
  }

  void ban(String key, long now) {
    entries.computeIfAbsent(key, k -> new Entry()).bannedUntil = now + banMillis;
  }

  boolean isBanned(String key, long now) {
    Entry e = entries.get(key);
    return e != null && e.bannedUntil > now;
  }

  int score(String key) {
    Entry e = entries.get(key);
    return e == null ? 0 : e.score;
  }
}
