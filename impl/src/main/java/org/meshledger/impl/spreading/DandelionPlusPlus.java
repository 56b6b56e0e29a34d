package org.meshledger.impl.spreading;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.meshledger.Gossip;
import org.meshledger.chain.Hash;
import org.meshledger.spi.Cancellable;
import org.meshledger.spi.Peer;
import org.meshledger.spi.SpreadingContext;
import org.meshledger.spi.SpreadingProtocol;

/**
 * Dandelion++ (Fanti et al., SIGMETRICS 2018; BIP 156): a message first travels privately along one path, the
 * stem, then spreads by {@link Diffusion}, the fluff.
 *
 * <ul>
 *   <li><b>Epochs.</b> Each node picks {@code destinations} (2) distinct outbound peers as its stem relays, and
 *       picks again after an exponentially distributed epoch (mean {@code epochMean}, 10 minutes) or when one
 *       of them disconnects. A node without outbound peers uses any peers.
 *   <li><b>Per-inbound-edge routing.</b> Every inbound peer is mapped, for the epoch, to the relay with the
 *       fewest inbound peers mapped to it (ties broken at random); all stems from that peer go there. The
 *       node's own messages form one more such edge. Two messages from one origin so take the same path, which
 *       defeats the fingerprint attack that random per-message routing allows.
 *   <li><b>Fluff.</b> A node that receives a stem flips a coin: with probability {@code fluffProbability}
 *       (0.1) it fluffs the message, otherwise it passes it on. The origin always stems its own messages (it
 *       would otherwise be the centre of a diffusion one time in ten). A stem that loops back to a node that
 *       holds it fluffs there.
 *   <li><b>Fluff after churn.</b> The fluffing node leaves out the stem sender, which holds the message,
 *       unless the sender is its only peer; and half of {@code embargoMin} later it announces the message to the
 *       sender all the same (a duplicate if the fluff came round to it). Without this, a fluff into dead ends
 *       (peers whose only link is this node, common after churn) waits for an embargo, often the origin's,
 *       and the origin then diffuses its own message.
 *   <li><b>Embargo.</b> Every node on a stem starts a timer of {@code embargoMin} plus an exponential with mean
 *       {@code embargoMean}; if the message has not come back to it publicly by then, the node fluffs it
 *       itself. This is what delivers a message whose stem ran into a crashed node.
 * </ul>
 *
 * <p><b>Trade-offs.</b> The best anonymity of the bundled protocols: a spy that receives a stem learns only its
 * predecessor, so the first-spy estimator's recall is about the chance that the origin's stem relay is a spy
 * (about p for a fraction p of spies) instead of a quarter to a half. The stem adds about
 * 1/{@code fluffProbability} hops of latency before diffusion starts, and a stem through a crashed node waits
 * for the embargo.
 *
 * <p>Parameters: {@code fluffProbability} (0.1), {@code destinations} (2), {@code epochMean} ({@code 10m}),
 * {@code embargoMin} ({@code 10s}), {@code embargoMean} ({@code 5s}), and for the fluff {@code meanDelay}
 * ({@code 200ms}) and {@code relay} ({@code announce}).
 */
public final class DandelionPlusPlus implements SpreadingProtocol {
  private final double fluffProbability;
  private final int destinationCount;
  private final double epochMeanNanos;
  private final long embargoMinNanos;
  private final double embargoMeanNanos;
  private final Diffusion fluff;
  private SpreadingContext ctx;

  private long epochEnds = Long.MIN_VALUE;
  private final List<Peer> destinations = new ArrayList<>(2);
  private final Map<Peer, Peer> routes = new HashMap<>();
  private final Map<Peer, Integer> load = new HashMap<>();
  private Peer ownRoute;
  private final Map<Hash, Cancellable> embargoes = new HashMap<>();

  /**
   * @param fluff how the fluff phase spreads a message
   */
  public DandelionPlusPlus(double fluffProbability, int destinations, Duration epochMean, Duration embargoMin, Duration embargoMean, Diffusion fluff) {
    if (!(fluffProbability > 0 && fluffProbability <= 1)) {
      throw new IllegalArgumentException("fluffProbability must be above 0 and at most 1: " + fluffProbability);
    }
    if (destinations < 1) {
      throw new IllegalArgumentException("destinations must be at least 1: " + destinations);
    }
    if (epochMean.isNegative() || epochMean.isZero()) {
      throw new IllegalArgumentException("epochMean must be above 0: " + epochMean);
    }
    if (embargoMin.isNegative() || embargoMean.isNegative() || embargoMin.plus(embargoMean).isZero()) {
      throw new IllegalArgumentException("embargoMin and embargoMean cannot be negative and must not both be 0");
    }
    this.fluffProbability = fluffProbability;
    this.destinationCount = destinations;
    this.epochMeanNanos = epochMean.toNanos();
    this.embargoMinNanos = embargoMin.toNanos();
    this.embargoMeanNanos = embargoMean.toNanos();
    this.fluff = fluff;
  }

  @Override
  public void start(SpreadingContext context) {
    this.ctx = context;
    fluff.start(context);
  }

  @Override
  public void onPublish(Gossip gossip) {
    Peer next = route(null);
    if (next == null) {
      fluff.spread(gossip, null); // alone: nothing to hide behind
      return;
    }
    embargo(gossip);
    ctx.stem(next, gossip);
  }

  @Override
  public void onReceive(Gossip gossip, Peer from, Phase phase) {
    if (phase == Phase.FLUFF) {
      Cancellable t = embargoes.remove(gossip.id());
      if (t != null) {
        t.cancel();
      }
      fluff.spread(gossip, from);
      return;
    }
    embargo(gossip);
    Peer next = ctx.runtime().random().nextDouble() < fluffProbability ? null : route(from);
    if (next == null) {
      fluffNow(gossip, from);
    } else {
      ctx.stem(next, gossip);
    }
  }

  @Override
  public void onStemLoop(Gossip gossip, Peer from) {
    if (!ctx.isPublic(gossip.id())) {
      fluffNow(gossip, null);
    }
  }

  @Override
  public void onPeerConnected(Peer peer) {
    fluff.onPeerConnected(peer);
  }

  @Override
  public void onPeerDisconnected(Peer peer) {
    fluff.onPeerDisconnected(peer);
    if (destinations.contains(peer)) {
      epochEnds = Long.MIN_VALUE; // pick new relays at the next stem
    } else {
      Peer dest = routes.remove(peer);
      if (dest != null) {
        load.merge(dest, -1, Integer::sum);
      }
    }
  }

  private void fluffNow(Gossip gossip, Peer stemSender) {
    Cancellable t = embargoes.remove(gossip.id());
    if (t != null) {
      t.cancel();
    }
    // The stem sender already holds the message, so it is left out, unless it is the only way on: a fluff to
    // no one would leave the message to the embargo timers, the origin's among them.
    List<Peer> peers = ctx.runtime().peers();
    boolean otherPeer = false;
    for (int i = 0, n = peers.size(); i < n && !otherPeer; i++) {
      otherPeer = !peers.get(i).equals(stemSender);
    }
    fluff.spread(gossip, otherPeer ? stemSender : null);
    if (stemSender != null && otherPeer) {
      // The other peers may all be dead ends (after churn: nodes whose only link is this one). Half the
      // shortest embargo later the sender hears of the message anyway: a duplicate announcement if the fluff
      // reached it round the network, the end of its stem otherwise, before any embargo (the origin's
      // included) fires.
      ctx.runtime().schedule(Math.max(1, embargoMinNanos / 2), () -> {
        if (ctx.runtime().peers().contains(stemSender)) {
          ctx.announce(stemSender, gossip);
        }
      });
    }
  }

  private void embargo(Gossip gossip) {
    if (embargoes.containsKey(gossip.id())) {
      return;
    }
    long delay = embargoMinNanos + (long) (embargoMeanNanos * ctx.runtime().random().nextExponential());
    embargoes.put(gossip.id(), ctx.runtime().schedule(delay, () -> {
      embargoes.remove(gossip.id());
      if (!ctx.isPublic(gossip.id())) {
        fluff.spread(gossip, null);
      }
    }));
  }

  /** The stem relay for messages from {@code from} (null: this node's own), or null if there is none. */
  private Peer route(Peer from) {
    long now = ctx.runtime().nanoTime();
    if (now >= epochEnds) {
      newEpoch(now);
    }
    if (destinations.isEmpty()) {
      return null;
    }
    if (from == null) {
      if (ownRoute == null) {
        ownRoute = leastLoaded();
      }
      return ownRoute;
    }
    Peer dest = routes.get(from);
    if (dest == null) {
      dest = leastLoaded();
      routes.put(from, dest);
    }
    return dest;
  }

  private Peer leastLoaded() {
    int min = Integer.MAX_VALUE;
    List<Peer> best = new ArrayList<>(destinations.size());
    for (Peer d : destinations) {
      int l = load.getOrDefault(d, 0);
      if (l < min) {
        min = l;
        best.clear();
      }
      if (l == min) {
        best.add(d);
      }
    }
    Peer chosen = best.get(best.size() == 1 ? 0 : ctx.runtime().random().nextInt(best.size()));
    load.merge(chosen, 1, Integer::sum);
    return chosen;
  }

  private void newEpoch(long now) {
    RandomGenerator rnd = ctx.runtime().random();
    epochEnds = now + Math.max(1, (long) (epochMeanNanos * rnd.nextExponential()));
    destinations.clear();
    routes.clear();
    load.clear();
    ownRoute = null;
    List<Peer> candidates = new ArrayList<>();
    for (Peer p : ctx.runtime().peers()) {
      if (p.isOutbound()) {
        candidates.add(p);
      }
    }
    if (candidates.isEmpty()) {
      candidates.addAll(ctx.runtime().peers());
    }
    // A partial Fisher-Yates shuffle: the first picks are a uniform sample without replacement.
    for (int i = 0; i < Math.min(destinationCount, candidates.size()); i++) {
      int j = i + rnd.nextInt(candidates.size() - i);
      Peer t = candidates.get(i);
      candidates.set(i, candidates.get(j));
      candidates.set(j, t);
      destinations.add(candidates.get(i));
    }
  }
}
