package org.meshledger.impl.spreading;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.meshledger.Gossip;
import org.meshledger.spi.Cancellable;
import org.meshledger.spi.Peer;
import org.meshledger.spi.RelayMode;
import org.meshledger.spi.SpreadingContext;
import org.meshledger.spi.SpreadingProtocol;

/**
 * Diffusion: on first receipt, relay a message to each peer but the sender after an independent, exponentially
 * distributed delay with mean {@code meanDelay}.
 *
 * <p><b>Trade-offs.</b> The random delays break the symmetry of flooding, so the first spy to hear a message is
 * less often a neighbour that heard it from the origin: the first-spy estimator's recall drops from about 0.57
 * to about a quarter for 10% spies on an 8-regular graph. The price is latency (each hop costs about the
 * mean delay, and the slowest nodes wait for the longest chains of delays, so L100 stretches further than L50)
 * and fairness. It does not defeat an adversary that knows the graph and reasons about it (Fanti and
 * Viswanath, 2017); {@link DandelionPlusPlus} does better.
 *
 * <p><b>Trickle.</b> With {@code trickle=true}, delays follow Bitcoin Core instead: one Poisson timer per
 * outbound peer (mean {@code meanDelay}) and one shared by all inbound peers (mean {@code inboundMeanDelay});
 * when a timer fires, everything queued for its peers goes at once. Fewer timers, batched announcements, and
 * inbound spies, which are cheap to run, all learn a message at the same moment.
 *
 * <p><b>Choosing the mean.</b> What hides the origin is the ratio of the mean delay to the time a hop takes on
 * the wire. The default, 2 s, is Bitcoin Core's outbound mean: on a 50 ms network it gives the first-spy
 * estimator a recall of about 0.24 for 10% spies. A mean close to the link latency (200 ms on the same
 * network, announcing) leaves the recall near 0.4, barely better than flooding, while the latency grows
 * 5x. See {@code docs/propagation.md} for the measurements.
 *
 * <p>Parameters: {@code meanDelay} (default {@code 2s}), {@code relay} (default {@code announce}),
 * {@code trickle} (default {@code false}), {@code inboundMeanDelay} (default {@code 5s}, trickle only; Bitcoin
 * Core's inbound mean).
 */
public final class Diffusion implements SpreadingProtocol {
  private final double meanNanos;
  private final double inboundMeanNanos;
  private final RelayMode mode;
  private final boolean trickle;
  private SpreadingContext ctx;
  // Trickle state: what waits for each outbound peer, and for each inbound peer behind the shared timer.
  private final Map<Peer, List<Gossip>> queued = new HashMap<>();
  private final Map<Peer, Cancellable> outboundTimers = new HashMap<>();
  private Cancellable inboundTimer;

  public Diffusion(Duration meanDelay, RelayMode mode, boolean trickle, Duration inboundMeanDelay) {
    if (meanDelay.isNegative() || meanDelay.isZero()) {
      throw new IllegalArgumentException("diffusion meanDelay must be above 0: " + meanDelay);
    }
    if (inboundMeanDelay.isNegative() || inboundMeanDelay.isZero()) {
      throw new IllegalArgumentException("diffusion inboundMeanDelay must be above 0: " + inboundMeanDelay);
    }
    this.meanNanos = meanDelay.toNanos();
    this.inboundMeanNanos = inboundMeanDelay.toNanos();
    this.mode = Objects.requireNonNull(mode, "mode");
    this.trickle = trickle;
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
    spread(gossip, from);
  }

  @Override
  public void onPeerDisconnected(Peer peer) {
    queued.remove(peer);
    Cancellable t = outboundTimers.remove(peer);
    if (t != null) {
      t.cancel();
    }
  }

  /** Diffuses {@code gossip} to every peer but {@code except} (null: to all). */
  void spread(Gossip gossip, Peer except) {
    ctx.makePublic(gossip);
    List<Peer> peers = ctx.runtime().peers();
    if (!trickle) {
      // An independent delay per peer, drawn in the peers' order; each frame leaves when its delay ends
      // (a simulation carries it as one event, ADR 022).
      for (int i = 0, n = peers.size(); i < n; i++) {
        Peer p = peers.get(i);
        if (!p.equals(except)) {
          ctx.relayLater(p, gossip, mode, exponential(meanNanos));
        }
      }
      return;
    }
    for (int i = 0, n = peers.size(); i < n; i++) {
      Peer p = peers.get(i);
      if (p.equals(except)) {
        continue;
      }
      queued.computeIfAbsent(p, k -> new ArrayList<>(2)).add(gossip);
      if (p.isOutbound()) {
        outboundTimers.computeIfAbsent(p, k -> ctx.runtime().schedule(exponential(meanNanos), () -> flushOutbound(k)));
      } else if (inboundTimer == null) {
        inboundTimer = ctx.runtime().schedule(exponential(inboundMeanNanos), this::flushInbound);
      }
    }
  }

  private long exponential(double mean) {
    return (long) (mean * ctx.runtime().random().nextExponential());
  }

  private void flushOutbound(Peer p) {
    outboundTimers.remove(p);
    flush(p);
  }

  private void flushInbound() {
    inboundTimer = null;
    List<Peer> inbound = new ArrayList<>();
    for (Peer p : queued.keySet()) {
      if (!p.isOutbound()) {
        inbound.add(p);
      }
    }
    // Iterate in the runtime's peer order, not the hash map's, so that a run replays exactly.
    for (Peer p : ctx.runtime().peers()) {
      if (inbound.contains(p)) {
        flush(p);
      }
    }
  }

  private void flush(Peer p) {
    List<Gossip> q = queued.remove(p);
    if (q != null) {
      for (Gossip g : q) {
        ctx.relay(p, g, mode);
      }
    }
  }
}
