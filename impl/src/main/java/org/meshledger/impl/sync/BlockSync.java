package org.meshledger.impl.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.meshledger.SyncProgress;
import org.meshledger.Verification;
import org.meshledger.chain.Block;
import org.meshledger.chain.NodeId;
import org.meshledger.impl.consensus.ConsensusMessage;

/**
 * Block sync, a mode of its own beside consensus and independent of consensus traffic: peers tell each other
 * their heights ({@link ConsensusMessage.Status}) every {@code statusMillis} and on connecting; a node that is
 * behind asks for ranges of certified blocks ({@link ConsensusMessage.SyncRequest}), spread over every peer
 * that claims them, a bounded number of blocks in flight per peer and at most {@code window} blocks beyond what
 * it has stored; each block that comes back ({@link ConsensusMessage.Decision}) is verified by the host off the
 * event loop and handed to consensus in height order. Consensus runs all the while: at the tip, the next block
 * simply comes from the validators' votes instead, and sync has nothing to fetch.
 *
 * <p><b>Hostile peers.</b> Blocks are verified only if they were asked of that peer; a peer that sends more
 * blocks than it was ever asked for (a replay) costs nothing to verify and is scored for each, so a replaying
 * peer ends banned. A late answer to a request that timed out is dropped without a score. A block that does
 * not verify costs the peer a ban's worth. A request not served within {@code requestTimeoutMillis} goes to
 * another peer, and the peer's claim is capped below it for {@code distrustMillis}; if the peer delivered
 * nothing at all in that time (it claimed a height it does not have, rather than being slow) it is also
 * scored. A false height therefore costs a few seconds once, and never stalls sync (CometBFT's
 * CVE-2025-24371).
 *
 * <p>Sans-IO: time, sending, reading, verification and delivery go through {@link Host}. Not thread-safe; the
 * host calls it from one thread (the node's context, or the simulator).
 */
public final class BlockSync {
  /** Points for a block this peer was not asked for (a replay, or a duplicate after a re-request). */
  public static final int UNSOLICITED_POINTS = 2;
  /** Points for serving nothing, in time, of blocks this peer claimed. */
  public static final int TIMEOUT_POINTS = 10;
  /** Points for a block that does not verify: one is enough for a ban at the default threshold. */
  public static final int BAD_BLOCK_POINTS = 100;

  /** What sync does to the world. Called on the thread that drives the sync. */
  public interface Host {
    /** Milliseconds, virtual in the simulator. */
    long now();

    /** Sends a status or a sync request to one peer. */
    void send(NodeId to, ConsensusMessage message);

    /**
     * Sends {@code to} a {@link ConsensusMessage.Decision} for each committed block from {@code from} to
     * {@code upTo}, in order (reading the store off the event loop where needed), then calls {@link #served}.
     */
    void serve(NodeId to, long from, long upTo);

    /** Checks {@code block} on its own (certificate, transactions), off the event loop; then calls {@link #onVerified}. */
    void verify(NodeId from, Block block);

    /** Hands the verified next block to consensus; true if consensus committed it. */
    boolean deliver(Block block);

    /** Scores a misbehaving peer. */
    void penalize(NodeId peer, int points, String reason);

    /** Progress while catching up (about once a second) and whenever catching up starts or ends. */
    void progress(SyncProgress progress, boolean started, boolean finished);
  }

  /**
   * How sync paces itself.
   *
   * @param tickMillis how often the host calls {@link #onTick}
   * @param statusMillis how often this node tells each peer its height
   * @param requestTimeoutMillis how long a peer has to deliver the blocks of a request
   * @param chunk blocks per request
   * @param window blocks requested beyond the last stored one, at most
   * @param perPeer blocks in flight per peer, at most
   * @param lagGraceMillis how long a gap of a single block may last before sync fetches it (consensus usually
   *     brings it sooner)
   * @param distrustMillis how long a peer's claim stays capped after it failed to serve
   * @param maxServing requests this node serves to one peer at once; more are dropped
   */
  public record Settings(long tickMillis, long statusMillis, long requestTimeoutMillis, int chunk, int window, int perPeer,
      long lagGraceMillis, long distrustMillis, int maxServing) {
    /** The node's defaults. */
    public static final Settings DEFAULT = new Settings(200, 1000, 4000, 8, 96, 24, 1500, 30_000, 4);

    public Settings {
      if (tickMillis < 1 || statusMillis < 1 || requestTimeoutMillis < 1 || chunk < 1 || chunk > ConsensusMessage.MAX_SYNC_BLOCKS
          || window < chunk || perPeer < chunk || lagGraceMillis < 0 || distrustMillis < 0 || maxServing < (perPeer + chunk - 1) / chunk) {
        throw new IllegalArgumentException("inconsistent sync settings " + this);
      }
    }
  }

  private static final long RATE_WINDOW_MILLIS = 5_000;
  private static final long PROGRESS_MILLIS = 1_000;

  private static final class Peer {
    long claimed;
    long cappedAt = Long.MAX_VALUE;
    long distrustedUntil;
    int inFlight;
    int serving;
    /** Blocks asked of this peer and not yet received: what it may still send without a score. */
    long owed;
    long lastDelivery;

    long claim(long now) {
      return now < distrustedUntil ? Math.min(claimed, cappedAt) : claimed;
    }
  }

  private record Request(NodeId peer, long deadline) {}

  private final Settings settings;
  private final Host host;
  private final Map<NodeId, Peer> peers = new LinkedHashMap<>();
  private final TreeMap<Long, Request> requested = new TreeMap<>();
  private final Map<Long, NodeId> verifying = new HashMap<>();
  private final TreeMap<Long, Block> verified = new TreeMap<>();
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();
  private long committed;
  private long stored;
  private long transactions;
  private long lastStatus = Long.MIN_VALUE;
  /** Since when this node has been a block or two behind, on the host's clock; {@code Long.MIN_VALUE}: it is not. */
  private long laggingSince = Long.MIN_VALUE;
  private long lastProgress = Long.MIN_VALUE;
  private boolean catchingUp;
  private int rotation;
  private final java.util.EnumSet<SyncBug> bugs = java.util.EnumSet.noneOf(SyncBug.class);

  /** Sync of a node whose chain ends at {@code height} (committed and stored). */
  public BlockSync(Settings settings, Host host, long height) {
    this.settings = settings;
    this.host = host;
    this.committed = height;
    this.stored = height;
  }

  /**
   * Turns on a deliberate fault, for the simulator's proof that it finds such faults. Never called in production;
   * package-private so only tests of this package reach it.
   */
  void inject(SyncBug bug) {
    bugs.add(bug);
  }

  // ---- peers

  /** A peer finished its handshake at {@code height}: it learns this node's height at once. */
  public void onConnected(NodeId peer, long height) {
    Peer p = peers.computeIfAbsent(peer, k -> new Peer());
    p.claimed = Math.max(0, height);
    host.send(peer, new ConsensusMessage.Status(committed));
    assign();
    report(host.now());
  }

  /** A peer left: the blocks it was asked for go to others. */
  public void onDisconnected(NodeId peer) {
    if (peers.remove(peer) != null) {
      requested.values().removeIf(r -> r.peer().equals(peer));
      assign();
    }
  }

  /** A peer's status: the height it claims to hold. */
  public void onStatus(NodeId peer, long height) {
    Peer p = peers.get(peer);
    if (p != null) {
      p.claimed = height;
      assign();
      report(host.now()); // a catch-up may end before the next tick: it starts now
    }
  }

  /** A peer asks for blocks: served if this node holds them and the peer has few requests being served. */
  public void onRequest(NodeId peer, long from, int count) {
    Peer p = peers.get(peer);
    if (p == null || from > committed || p.serving >= settings.maxServing()) {
      return;
    }
    p.serving++;
    host.serve(peer, from, Math.min(committed, from + count - 1));
  }

  /** The host finished serving a request of {@code peer}. */
  public void served(NodeId peer) {
    Peer p = peers.get(peer);
    if (p != null && p.serving > 0) {
      p.serving--;
    }
  }

  // ---- blocks

  /** A certified block from {@code peer}: verified (by the host) only if it was asked of this peer. */
  public void onBlock(NodeId peer, Block block) {
    long h = block.height();
    Peer p = peers.get(peer);
    if (p == null || p.owed <= 0) {
      host.penalize(peer, UNSOLICITED_POINTS, "sent block " + h + " that it was not asked for");
      return;
    }
    p.owed--;
    p.lastDelivery = host.now();
    Request r = requested.get(h);
    if (r == null || !r.peer().equals(peer)) {
      return; // a late answer: the height went to another peer or was committed meanwhile
    }
    requested.remove(h);
    inFlight(peer, -1);
    if (h <= committed || verifying.containsKey(h) || verified.containsKey(h)) {
      return;
    }
    verifying.put(h, peer);
    if (bugs.contains(SyncBug.SKIP_CERTIFICATE_CHECK)) {
      onVerified(peer, block, Verification.ok());
      return;
    }
    host.verify(peer, block);
  }

  /** The host's verdict on a block of {@code peer}. */
  public void onVerified(NodeId peer, Block block, Verification verification) {
    long h = block.height();
    verifying.remove(h);
    if (!verification.valid()) {
      host.penalize(peer, BAD_BLOCK_POINTS, "served block " + h + " that does not verify: " + verification.reason());
      distrust(peer, h);
      assign();
      return;
    }
    if (h > committed) {
      verified.put(h, block);
      deliverReady();
    }
    assign();
  }

  private void deliverReady() {
    Block next;
    while ((next = verified.get(committed + 1)) != null) {
      verified.remove(next.height());
      long before = committed;
      if (!host.deliver(next) || committed == before) {
        // certified, yet not the next block of this chain: it will be asked for again, of another peer
        return;
      }
    }
  }

  /** Consensus committed block {@code height} (from votes or from sync), holding {@code txCount} transactions. */
  public void onCommitted(long height, int txCount) {
    if (height <= committed) {
      return;
    }
    committed = height;
    transactions += txCount;
    laggingSince = Long.MIN_VALUE;
    for (Iterator<Map.Entry<Long, Request>> it = requested.headMap(height, true).entrySet().iterator(); it.hasNext();) {
      inFlight(it.next().getValue().peer(), -1);
      it.remove();
    }
    verified.headMap(height, true).clear();
    if (catchingUp && !progress().catchingUp()) {
      report(host.now()); // the end, whenever it comes
    }
  }

  /** Block {@code height} is durable: sync may ask for blocks further ahead. */
  public void onStored(long height) {
    stored = Math.max(stored, height);
    assign();
  }

  // ---- time

  /** Every {@code tickMillis}: statuses, expired requests, new requests, progress. */
  public void onTick() {
    long now = host.now();
    if (lastStatus == Long.MIN_VALUE || now - lastStatus >= settings.statusMillis()) {
      lastStatus = now;
      ConsensusMessage.Status status = new ConsensusMessage.Status(committed);
      peers.keySet().forEach(p -> host.send(p, status));
    }
    expire(now);
    assign();
    sample(now);
    report(now);
  }

  private void expire(long now) {
    Map<NodeId, Long> failed = new LinkedHashMap<>();
    for (Iterator<Map.Entry<Long, Request>> it = requested.entrySet().iterator(); it.hasNext();) {
      Map.Entry<Long, Request> e = it.next();
      if (e.getValue().deadline() <= now) {
        failed.merge(e.getValue().peer(), e.getKey(), Math::min);
        inFlight(e.getValue().peer(), -1);
        it.remove();
      }
    }
    failed.forEach((peer, h) -> {
      Peer p = peers.get(peer);
      if (p != null && now - p.lastDelivery >= settings.requestTimeoutMillis()) {
        host.penalize(peer, TIMEOUT_POINTS, "served nothing of block " + h + " on within " + settings.requestTimeoutMillis() + " ms");
      }
      distrust(peer, h);
    });
  }

  private void distrust(NodeId peer, long failedHeight) {
    Peer p = peers.get(peer);
    if (p != null) {
      long now = host.now();
      p.cappedAt = now < p.distrustedUntil ? Math.min(p.cappedAt, failedHeight - 1) : failedHeight - 1;
      p.distrustedUntil = now + settings.distrustMillis();
    }
  }

  // ---- requests

  /** The highest height a trusted peer claims, at least this node's own. */
  public long target() {
    long now = host.now();
    long target = committed;
    for (Peer p : peers.values()) {
      target = Math.max(target, p.claim(now));
    }
    return target;
  }

  private void assign() {
    long now = host.now();
    long target = target();
    if (target <= committed) {
      laggingSince = Long.MIN_VALUE;
      return;
    }
    if (target - committed < SyncProgress.CATCHING_UP_GAP) {
      if (laggingSince == Long.MIN_VALUE) { // not -1: a clock may read below 0, and then the grace never ended
        laggingSince = now;
      }
      if (now - laggingSince < settings.lagGraceMillis()) {
        return; // one block behind: consensus usually brings it
      }
    }
    long limit = Math.min(target, stored + settings.window());
    long h = committed + 1;
    while (h <= limit) {
      if (requested.containsKey(h) || verifying.containsKey(h) || verified.containsKey(h)) {
        h++;
        continue;
      }
      NodeId peer = pick(h, now);
      if (peer == null) {
        return;
      }
      Peer p = peers.get(peer);
      long claim = Math.min(p.claim(now), target);
      long upTo = Math.min(Math.min(limit, claim), h + Math.min(settings.chunk(), settings.perPeer() - p.inFlight) - 1);
      long end = h;
      while (end <= upTo && !requested.containsKey(end) && !verifying.containsKey(end) && !verified.containsKey(end)) {
        end++;
      }
      long count = end - h;
      if (count < settings.chunk() && end > upTo && upTo < claim) {
        // only the window or the peer's room cut this request short: wait for a whole chunk rather than send a
        // stream of one-block requests, which would outrun what a peer serves at once
        return;
      }
      for (long x = h; x < end; x++) {
        requested.put(x, new Request(peer, now + settings.requestTimeoutMillis()));
      }
      p.inFlight += (int) count;
      p.owed += count;
      host.send(peer, new ConsensusMessage.SyncRequest(h, (int) count));
      h = end;
    }
  }

  /**
   * The peer to ask for block {@code h}: one that claims it, with room, the least loaded, taking turns on ties.
   * Requests are whole chunks but at the end of what is claimed or around a hole, so a peer has at most
   * {@code perPeer / chunk} requests in flight: keep {@code maxServing} at least that, or requests are dropped.
   */
  private NodeId pick(long h, long now) {
    List<NodeId> best = new ArrayList<>();
    int least = Integer.MAX_VALUE;
    for (Map.Entry<NodeId, Peer> e : peers.entrySet()) {
      Peer p = e.getValue();
      if (p.claim(now) < h || p.inFlight >= settings.perPeer()) {
        continue;
      }
      if (p.inFlight < least) {
        least = p.inFlight;
        best.clear();
      }
      if (p.inFlight == least) {
        best.add(e.getKey());
      }
    }
    return best.isEmpty() ? null : best.get(Math.floorMod(rotation++, best.size()));
  }

  private void inFlight(NodeId peer, int delta) {
    Peer p = peers.get(peer);
    if (p != null) {
      p.inFlight = Math.max(0, p.inFlight + delta);
    }
  }

  // ---- progress

  private void sample(long now) {
    samples.addLast(new long[] {now, committed, transactions});
    while (samples.size() > 2 && now - samples.peekFirst()[0] > RATE_WINDOW_MILLIS) {
      samples.pollFirst();
    }
  }

  /** Where sync stands now. */
  public SyncProgress progress() {
    double blocks = 0;
    double txs = 0;
    if (samples.size() >= 2) {
      long[] first = samples.peekFirst();
      long[] last = samples.peekLast();
      double seconds = (last[0] - first[0]) / 1000.0;
      if (seconds > 0) {
        blocks = (last[1] - first[1]) / seconds;
        txs = (last[2] - first[2]) / seconds;
      }
    }
    return new SyncProgress(committed, Math.max(committed, target()), blocks, txs);
  }

  private void report(long now) {
    SyncProgress p = progress();
    boolean behind = p.catchingUp();
    if (behind != catchingUp) {
      catchingUp = behind;
      lastProgress = now;
      host.progress(p, behind, !behind);
    } else if (behind && now - lastProgress >= PROGRESS_MILLIS) {
      lastProgress = now;
      host.progress(p, false, false);
    }
  }

  /** For logs and test failures. */
  public String describe() {
    return "sync at " + committed + " (stored " + stored + "), target " + target() + ", requested " + requested.size() + ", verifying "
        + verifying.size() + ", verified " + verified.size() + ", peers " + peers.size();
  }
}
