package org.meshledger.impl.spreading;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.meshledger.Gossip;
import org.meshledger.PropagationStats;
import org.meshledger.Propagator;
import org.meshledger.Spreading;
import org.meshledger.impl.host.HostCallbacks;

/**
 * The host's view of a node's {@link Relay}: publish and subscribe by topic, statistics. Publications reach the
 * relay through {@code nodeThread}, the executor of the node's context (the simulator runs everything on its own
 * thread and passes {@code Runnable::run}).
 *
 * <p><b>Subscriptions</b> live in a concurrent map read on the node's thread, so {@link #subscribe} is in place
 * when it returns, from any thread and before the relay is bound: a message the node delivers afterwards reaches
 * the handler. Host handlers run through {@link HostCallbacks}: one that throws loses that message, and nothing
 * else happens (the peer that delivered it is not blamed). The node's own handlers ({@link #subscribeOwn}) are
 * called directly.
 */
public final class RelayPropagator implements Propagator, Relay.Listener {
  private final Spreading spreading;
  private final Executor nodeThread;
  private final HostCallbacks callbacks;
  private final Map<String, List<Handler>> handlers = new ConcurrentHashMap<>();
  private volatile Relay relay;

  /** A propagator whose host callbacks' failures are logged under the name "propagator". */
  public RelayPropagator(Spreading spreading, Executor nodeThread) {
    this(spreading, nodeThread, new HostCallbacks("propagator"));
  }

  /**
   * @param spreading the validated protocol choice, as {@link #spreading()} reports it
   * @param nodeThread runs a publication on the node's thread; it throws (an {@link IllegalStateException} that
   *     names the node's state) when the node cannot take one, and {@link #publish} passes that on
   * @param callbacks the node's way into host code, through which every host handler is called
   */
  public RelayPropagator(Spreading spreading, Executor nodeThread, HostCallbacks callbacks) {
    this.spreading = Objects.requireNonNull(spreading, "spreading");
    this.nodeThread = Objects.requireNonNull(nodeThread, "nodeThread");
    this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
  }

  /** Binds the relay this propagator fronts; called once, on the node's thread, before any other call. */
  public void bind(Relay relay) {
    if (this.relay != null) {
      throw new IllegalStateException("already bound");
    }
    this.relay = Objects.requireNonNull(relay, "relay");
  }

  /** Whether {@link #bind} was called: before, there is nothing to publish through. Any thread. */
  public boolean bound() {
    return relay != null;
  }

  @Override
  public Spreading spreading() {
    return spreading;
  }

  /**
   * Read on the node's thread for an exact snapshot; from another thread the counters may be a moment old.
   * {@link PropagationStats#EMPTY} before the relay is bound.
   */
  @Override
  public PropagationStats stats() {
    Relay r = relay;
    return r == null ? PropagationStats.EMPTY : r.stats();
  }

  @Override
  public Gossip publish(String topic, byte[] body) {
    if (topic != null && topic.startsWith(RESERVED_PREFIX)) {
      throw new IllegalArgumentException("topic '" + topic + "' is reserved for the node itself (topics starting with '" + RESERVED_PREFIX
          + "'); submit transactions with node.ledger().submit");
    }
    return publishReserved(topic, body);
  }

  /** Publishes on any topic, the reserved ones included: for the node's own messages. */
  public Gossip publishReserved(String topic, byte[] body) {
    Gossip g = Gossip.of(topic, body);
    nodeThread.execute(() -> relay.publish(g));
    return g;
  }

  /** In place when it returns: see the class note. */
  @Override
  public Subscription subscribe(String topic, Consumer<Gossip> handler) {
    return add(topic, handler, true);
  }

  /**
   * Subscribes one of the node's own handlers: called directly, not through {@link HostCallbacks}, so an exception
   * is the node's bug and reaches the connection that delivered the message, as any other internal error does.
   */
  public Subscription subscribeOwn(String topic, Consumer<Gossip> handler) {
    return add(topic, handler, false);
  }

  private Subscription add(String topic, Consumer<Gossip> handler, boolean host) {
    Objects.requireNonNull(topic, "topic");
    Handler h = new Handler(topic, Objects.requireNonNull(handler, "handler"), host);
    handlers.compute(topic, (t, list) -> {
      List<Handler> l = list == null ? new CopyOnWriteArrayList<>() : list;
      l.add(h);
      return l;
    });
    return h;
  }

  @Override
  public void delivered(Gossip gossip) {
    List<Handler> list = handlers.get(gossip.topic());
    if (list == null) {
      return;
    }
    for (Handler h : list) { // a snapshot: handlers may (un)subscribe meanwhile
      if (h.closed) {
        continue;
      }
      if (h.host) {
        callbacks.run(HostCallbacks.Kind.GOSSIP, () -> "topic '" + gossip.topic() + "', message " + gossip.id(),
            "the message is lost to this handler", () -> h.consumer.accept(gossip));
      } else {
        h.consumer.accept(gossip);
      }
    }
  }

  /** One subscription; closing it stops deliveries that have not started yet, from any thread. */
  private final class Handler implements Subscription {
    private final String topic;
    private final Consumer<Gossip> consumer;
    private final boolean host;
    private volatile boolean closed;

    Handler(String topic, Consumer<Gossip> consumer, boolean host) {
      this.topic = topic;
      this.consumer = consumer;
      this.host = host;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      handlers.computeIfPresent(topic, (t, list) -> {
        list.remove(this);
        return list.isEmpty() ? null : list;
      });
    }
  }
}
