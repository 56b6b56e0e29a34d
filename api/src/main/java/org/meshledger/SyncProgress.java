package org.meshledger;

import java.time.Duration;
import java.util.Optional;

/**
 * How far a node's block sync has come: its height, the highest height its peers claim, and the pace.
 * Published by {@link Node#onSyncProgress} (at most about once a second while catching up, and when catching
 * up starts or ends) and carried in {@link NodeStatus#progress()}.
 *
 * <p>The target is what peers <em>claim</em>: a peer that claims blocks it cannot serve loses its claim (and
 * is scored), so the target can go down as well as up.
 *
 * @param height the height of the last block this node committed
 * @param target the highest height a peer claims and has not been caught lying about; at least {@code height}
 * @param blocksPerSecond blocks committed per second over the last few seconds
 * @param transactionsPerSecond transactions committed per second over the last few seconds
 */
public record SyncProgress(long height, long target, double blocksPerSecond, double transactionsPerSecond) {
  /** Catching up starts once a peer is this many blocks ahead (closer, consensus usually brings the block). */
  public static final long CATCHING_UP_GAP = 2;

  public SyncProgress {
    if (height < 0 || target < height) {
      throw new IllegalArgumentException("sync progress needs 0 <= height <= target, got height " + height + " target " + target);
    }
    if (!(blocksPerSecond >= 0) || !(transactionsPerSecond >= 0)) {
      throw new IllegalArgumentException("rates must be non-negative numbers, got " + blocksPerSecond + " and " + transactionsPerSecond);
    }
  }

  /** A node at {@code height} that knows of nothing above it. */
  public static SyncProgress inSync(long height) {
    return new SyncProgress(height, height, 0, 0);
  }

  /** True if a peer claims at least {@link #CATCHING_UP_GAP} blocks more than this node holds. */
  public boolean catchingUp() {
    return target - height >= CATCHING_UP_GAP;
  }

  /** The blocks still to fetch. */
  public long remaining() {
    return target - height;
  }

  /** When the node should reach the target at the current pace; empty while it is in sync or not moving. */
  public Optional<Duration> eta() {
    if (remaining() == 0 || blocksPerSecond <= 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis((long) Math.ceil(remaining() * 1000.0 / blocksPerSecond)));
  }

  /** For logs: {@code height 1200 of 5000 (24%), 310 blocks/s, 31000 tx/s, ETA 13 s}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("height ").append(height).append(" of ").append(target);
    if (target > 0) {
      s.append(" (").append(height * 100 / target).append("%)");
    }
    s.append(", ").append(Math.round(blocksPerSecond)).append(" blocks/s, ").append(Math.round(transactionsPerSecond)).append(" tx/s");
    eta().ifPresent(d -> s.append(", ETA ").append(Math.max(1, d.toSeconds())).append(" s"));
    return s.toString();
  }
}
