package org.meshledger.impl.spreading;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import org.meshledger.Gossip;
import org.meshledger.PropagationStats;
import org.meshledger.chain.Hash;
import org.meshledger.spi.Cancellable;
import org.meshledger.spi.Peer;
import org.meshledger.spi.RelayMode;
import org.meshledger.spi.SpreadFrame;
import org.meshledger.spi.SpreadingContext;
import org.meshledger.spi.SpreadingProtocol.Phase;
import org.meshledger.spi.SpreadingProtocol;
import org.meshledger.spi.SpreadingRuntime;

/**
 * The relay engine around every spreading protocol on one node: the part that does not change from protocol
 * to protocol. It turns frames from the runtime into protocol events, answers requests for public messages,
 * pulls announced messages it lacks (from the first announcer, then the next one each time a request goes
 * unanswered for {@link Settings#requestTimeout()}), suppresses duplicates with a bounded seen-cache, and
 * counts every frame. Sans-IO: it acts only through its {@link SpreadingRuntime}.
 *
 * <p>A message is forgotten when the seen-cache evicts it (least recently inserted first); if it arrives
 * again after that, it is delivered again. Size the cache above the number of messages a node sees while
 * one message can still be in flight.
 *
 * <p>Not thread-safe: the runtime calls it on the node's thread only.
 */
public final class Relay implements SpreadingContext {
  private static final byte PENDING = 0;
  private static final byte PRIVATE = 1;
  /** The size of an announcement on the wire (a {@link SpreadFrame.Announce}'s). */
  private static final int ANNOUNCE_BYTES = SpreadFrame.HEADER_BYTES + Hash.BYTES;

  private final SpreadingRuntime runtime;
  private final SpreadingProtocol protocol;
  private final Settings settings;
  private final Listener listener;
  /** By id: the message itself once it is public, else an {@link Entry} (pending pull, or private stem). */
  private final SeenCache seen;
  /** See {@link TrafficCounters}. */
  private final long[] counters = TrafficCounters.create();
  /**
   * Messages known to be public, by identity, in a small direct-mapped table: relaying a message to each of k
   * peers checks it here instead of hashing its id k times. A slot is cleared when its message leaves the
   * seen-cache. Sixteen slots: a node has few messages in flight at once, and a simulation keeps one table per
   * node.
   */
  private final Gossip[] knownPublic = new Gossip[16];
  /**
   * The message last found or made public here, checked before {@link #knownPublic}: a diffusion announces one
   * message to its peers one after another, and this field sits in the relay's own cache line, where the table
   * is one more miss per frame sent in a large simulation. Cleared, like its slot, when the message leaves the
   * seen-cache.
   */
  private Gossip lastPublic;
  /** The last announcement made here (see {@link #announcement}). */
  private SpreadFrame.Announce lastAnnouncement;

  /**
   * Binds {@code protocol} to {@code runtime} and starts it.
   *
   * @param listener told of each message that becomes public here, except the ones published here
   */
  public Relay(SpreadingRuntime runtime, SpreadingProtocol protocol, Settings settings, Listener listener) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.seen = new SeenCache(settings.seenCapacity(), v -> {
      Gossip g;
      if (v instanceof Gossip forgotten) {
        g = forgotten;
        this.listener.forgotten(forgotten);
      } else {
        g = ((Entry) v).gossip;
      }
      if (g != null && lastPublic == g) {
        lastPublic = null;
      }
      if (g != null && knownPublic[slot(g)] == g) {
        knownPublic[slot(g)] = null;
      }
    });
    protocol.start(this);
  }

  /** Receives the messages that become public on a node. */
  @FunctionalInterface
  public interface Listener {
    /** A message became public here, and was not published here. */
    void delivered(Gossip gossip);

    /**
     * A message became public here, whether published here or not (before {@link #delivered}, if that is
     * called too): from now on, until {@link #forgotten}, an announcement of it only counts as a duplicate.
     */
    default void madePublic(Gossip gossip) {}

    /** A public message left the seen-cache: an announcement of it is new again. */
    default void forgotten(Gossip gossip) {}
  }

  /**
   * The engine's bounds.
   *
   * @param seenCapacity message ids remembered, at least 1
   * @param requestTimeout how long a request may go unanswered before the next announcer is asked, above 0
   * @param maxAnnouncers announcers remembered per message still to be pulled, at least 1
   */
  public record Settings(int seenCapacity, Duration requestTimeout, int maxAnnouncers) {
    /** 100,000 ids, 2 s, 8 announcers. */
    public static final Settings DEFAULT = new Settings(100_000, Duration.ofSeconds(2), 8);

    public Settings {
      if (seenCapacity < 1) {
        throw new IllegalArgumentException("seenCapacity must be at least 1, got " + seenCapacity);
      }
      if (requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException("requestTimeout must be above 0, got " + requestTimeout);
      }
      if (maxAnnouncers < 1) {
        throw new IllegalArgumentException("maxAnnouncers must be at least 1, got " + maxAnnouncers);
      }
    }
  }

  /** A message not yet public here: being pulled ({@code PENDING}), or held privately on a stem. */
  private static final class Entry {
    byte state;
    Gossip gossip;
    boolean local;
    ArrayDeque<Peer> announcers;
    Cancellable timeout;

    Entry(byte state, Gossip gossip) {
      this.state = state;
      this.gossip = gossip;
    }
  }

  /** What has been sent and received so far. */
  public PropagationStats stats() {
    return TrafficCounters.snapshot(counters);
  }

  /** Hands a message published by the host here to the protocol; does nothing if it is already known. */
  public void publish(Gossip gossip) {
    Object v = seen.get(gossip.id());
    if (v instanceof Gossip || (v != null && ((Entry) v).gossip != null)) {
      return;
    }
    Entry mine = new Entry(PRIVATE, gossip);
    mine.local = true;
    if (v != null && ((Entry) v).timeout != null) {
      ((Entry) v).timeout.cancel();
    }
    seen.put(gossip.id(), mine);
    protocol.onPublish(gossip);
  }

  /**
   * Counts {@code frames} announcements received of messages public here, as {@link #onFrame} does for each
   * (received, and duplicate): for a host that knows, from {@link Listener#madePublic} and
   * {@link Listener#forgotten}, that this is all such a frame would do here, and answers it itself. The
   * simulator does, in bulk (ADR 022).
   */
  public void countDuplicateAnnouncements(int frames) {
    if (frames < 0) {
      throw new IllegalArgumentException("frames cannot be negative: " + frames);
    }
    long bytes = (long) frames * ANNOUNCE_BYTES;
    TrafficCounters.add(counters, PropagationStats.Kind.ANNOUNCE, TrafficCounters.RECEIVED, frames, bytes);
    TrafficCounters.add(counters, PropagationStats.Kind.ANNOUNCE, TrafficCounters.DUPLICATES, frames, bytes);
  }

  /** A frame arrived from {@code from}. */
  public void onFrame(Peer from, SpreadFrame frame) {
    int bytes = frame.encodedSize();
    TrafficCounters.received(counters, frame.kind(), bytes);
    if (frame instanceof SpreadFrame.Announce a) {
      onAnnounce(from, a.id(), bytes);
    } else if (frame instanceof SpreadFrame.Request r) {
      onRequest(from, r.id());
    } else if (frame instanceof SpreadFrame.Payload p) {
      onPayload(from, p.gossip(), bytes);
    } else if (frame instanceof SpreadFrame.Stem s) {
      onStem(from, s.gossip(), bytes);
    }
  }

  /** A connection opened. */
  public void onPeerConnected(Peer peer) {
    protocol.onPeerConnected(peer);
  }

  /** A connection closed. */
  public void onPeerDisconnected(Peer peer) {
    protocol.onPeerDisconnected(peer);
  }

  private void onAnnounce(Peer from, Hash id, int bytes) {
    Object v = seen.get(id);
    if (v == null) {
      Entry e = new Entry(PENDING, null);
      e.announcers = new ArrayDeque<>(2);
      seen.put(id, e);
      request(id, e, from);
      return;
    }
    if (v instanceof Gossip) {
      TrafficCounters.duplicate(counters, PropagationStats.Kind.ANNOUNCE, bytes);
      return;
    }
    Entry e = (Entry) v;
    if (e.state == PENDING) {
      TrafficCounters.duplicate(counters, PropagationStats.Kind.ANNOUNCE, bytes);
      if (e.announcers.size() < settings.maxAnnouncers()) {
        e.announcers.add(from);
      }
    } else {
      // Someone spreads it publicly: the stem is over.
      Gossip g = e.gossip;
      makePublic(g);
      protocol.onReceive(g, from, Phase.FLUFF);
    }
  }

  private void request(Hash id, Entry e, Peer peer) {
    send(peer, new SpreadFrame.Request(id));
    e.timeout = runtime.schedule(settings.requestTimeout().toNanos(), () -> retry(id));
  }

  private void retry(Hash id) {
    if (!(seen.get(id) instanceof Entry e) || e.state != PENDING) {
      return;
    }
    Peer next = e.announcers.poll();
    if (next == null) {
      seen.remove(id); // a later announcement starts over
      return;
    }
    request(id, e, next);
  }

  private void onRequest(Peer from, Hash id) {
    if (seen.get(id) instanceof Gossip g) {
      send(from, new SpreadFrame.Payload(g));
    }
    // Unknown, pending or private (stem) messages are not served: a spy must not learn who holds a stem.
  }

  private void onPayload(Peer from, Gossip g, int bytes) {
    if (seen.get(g.id()) instanceof Gossip) {
      TrafficCounters.duplicate(counters, PropagationStats.Kind.PAYLOAD, bytes);
      return;
    }
    makePublic(g);
    protocol.onReceive(g, from, Phase.FLUFF);
  }

  private void onStem(Peer from, Gossip g, int bytes) {
    Object v = seen.get(g.id());
    if (v == null) {
      seen.put(g.id(), new Entry(PRIVATE, g));
      protocol.onReceive(g, from, Phase.STEM);
    } else if (v instanceof Gossip) {
      TrafficCounters.duplicate(counters, PropagationStats.Kind.STEM, bytes);
    } else if (((Entry) v).state == PENDING) {
      // Already announced publicly by someone else: it is public, whatever the sender thinks.
      makePublic(g);
      protocol.onReceive(g, from, Phase.FLUFF);
    } else {
      TrafficCounters.duplicate(counters, PropagationStats.Kind.STEM, bytes);
      protocol.onStemLoop(((Entry) v).gossip, from);
    }
  }

  private void send(Peer peer, SpreadFrame frame) {
    TrafficCounters.sent(counters, frame.kind(), frame.encodedSize());
    runtime.send(peer, frame);
  }

  @Override
  public SpreadingRuntime runtime() {
    return runtime;
  }

  @Override
  public void push(Peer peer, Gossip gossip) {
    makePublic(gossip);
    send(peer, new SpreadFrame.Payload(gossip));
  }

  @Override
  public void announce(Peer peer, Gossip gossip) {
    makePublic(gossip);
    send(peer, announcement(gossip));
  }

  /**
   * An announcement of {@code gossip}: the last one made if it was of the same message (a protocol announces a
   * message to each of its peers in turn, and a frame is immutable, so they can share one).
   */
  private SpreadFrame.Announce announcement(Gossip gossip) {
    SpreadFrame.Announce a = lastAnnouncement;
    if (a == null || a.id() != gossip.id()) {
      a = new SpreadFrame.Announce(gossip.id());
      lastAnnouncement = a;
    }
    return a;
  }

  @Override
  public void relayLater(Peer peer, Gossip gossip, RelayMode mode, long delayNanos) {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("delay cannot be negative: " + delayNanos);
    }
    makePublic(gossip);
    SpreadFrame frame = mode == RelayMode.PUSH ? new SpreadFrame.Payload(gossip) : announcement(gossip);
    TrafficCounters.sent(counters, frame.kind(), frame.encodedSize());
    runtime.sendLater(peer, frame, delayNanos);
  }

  @Override
  public void stem(Peer peer, Gossip gossip) {
    if (seen.get(gossip.id()) == null) {
      seen.put(gossip.id(), new Entry(PRIVATE, gossip));
    }
    send(peer, new SpreadFrame.Stem(gossip));
  }

  @Override
  public boolean makePublic(Gossip gossip) {
    if (lastPublic == gossip) {
      return false;
    }
    int slot = slot(gossip);
    if (knownPublic[slot] == gossip) {
      lastPublic = gossip;
      return false;
    }
    Object v = seen.get(gossip.id());
    if (v instanceof Gossip known) {
      if (known == gossip) {
        knownPublic[slot] = gossip;
        lastPublic = gossip;
      }
      return false;
    }
    boolean local = false;
    if (v != null) {
      Entry e = (Entry) v;
      if (e.timeout != null) {
        e.timeout.cancel();
      }
      local = e.local;
    }
    seen.put(gossip.id(), gossip); // public: the message is all there is to remember
    knownPublic[slot] = gossip;
    lastPublic = gossip;
    listener.madePublic(gossip);
    if (!local) {
      listener.delivered(gossip);
    }
    return true;
  }

  private int slot(Gossip g) {
    return System.identityHashCode(g) & (knownPublic.length - 1);
  }

  @Override
  public boolean isPublic(Hash id) {
    return seen.get(id) instanceof Gossip;
  }
}
