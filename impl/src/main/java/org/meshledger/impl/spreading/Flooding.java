package org.meshledger.impl.spreading;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.meshledger.Gossip;
import org.meshledger.spi.Peer;
import org.meshledger.spi.RelayMode;
import org.meshledger.spi.SpreadingContext;
import org.meshledger.spi.SpreadingProtocol;

/**
 * Flooding: on first receipt, relay a message to every peer but the one it came from, after a constant delay
 * (zero by default).
 *
 * <p><b>Trade-offs.</b> The fastest and fairest protocol: with pushed payloads a message reaches every node
 * along its shortest path, so latency is the graph's diameter in link delays. It is also the easiest to trace:
 * the wave spreads symmetrically from the origin, so a spy among the origin's neighbours hears it first from
 * the origin itself, and the first-spy estimator names the origin with probability about 1 - (1 - p)^k for a
 * fraction p of spies and k peers (0.57 for p = 0.1, k = 8). In {@link RelayMode#PUSH} mode a k-regular network
 * of N nodes carries exactly k + (N - 1)(k - 1) copies of each message; {@link RelayMode#ANNOUNCE} cuts that to
 * about one copy per node, plus k small announcements, for up to one extra round trip per hop.
 *
 * <p>Parameters: {@code delay} (default {@code 0ms}), {@code relay} ({@code push} or {@code announce}, default
 * {@code push}).
 */
public final class Flooding implements SpreadingProtocol {
  private final long delayNanos;
  private final RelayMode mode;
  private SpreadingContext ctx;

  public Flooding(Duration delay, RelayMode mode) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("flooding delay cannot be negative: " + delay);
    }
    this.delayNanos = delay.toNanos();
    this.mode = Objects.requireNonNull(mode, "mode");
  }

  @Override
  public void start(SpreadingContext context) {
    this.ctx = context;
  }

  @Override
  public void onPublish(Gossip gossip) {
    spread(gossip, null);
  }

  @Override
  public void onReceive(Gossip gossip, Peer from, Phase phase) {
    // A stem from a Dandelion++ neighbour is flooded too: this protocol has no private phase.
    spread(gossip, from);
  }

  private void spread(Gossip gossip, Peer except) {
    if (delayNanos == 0) {
      relayAll(gossip, except);
    } else {
      ctx.runtime().schedule(delayNanos, () -> relayAll(gossip, except));
    }
  }

  private void relayAll(Gossip gossip, Peer except) {
    ctx.makePublic(gossip);
    List<Peer> peers = ctx.runtime().peers();
    for (int i = 0, n = peers.size(); i < n; i++) {
      Peer p = peers.get(i);
      if (!p.equals(except)) {
        ctx.relay(p, gossip, mode);
      }
    }
  }
}
