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

/**
 * The host's view of a node's {@link Relay}: publish and subscribe by topic, statistics. Publications reach the
 * relay through {@code nodeThread}, the executor of the node's context (the simulator runs everything on its own
 * thread and passes {@code Runnable::run}). Subscriptions are kept in concurrent maps, so they take effect when
 * {@link #subscribe} returns, from any thread and before the relay is bound.
 */
public final class RelayPropagator implements Propagator, Relay.Listener {
  private final Spreading spreading;
  private final Executor nodeThread;
  private final Map<String, List<Consumer<Gossip>>> handlers = new ConcurrentHashMap<>();
  private volatile Relay relay;

  /**
   * @param spreading the validated protocol choice, as {@link #spreading()} reports it
   * @param nodeThread runs a publication on the node's thread; it throws (an {@link IllegalStateException} that
   *     names the node's state) when the node cannot take one, and {@link #publish} passes that on
   */
  public RelayPropagator(Spreading spreading, Executor nodeThread) {
    this.spreading = Objects.requireNonNull(spreading, "spreading");
    this.nodeThread = Objects.requireNonNull(nodeThread, "nodeThread");
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

  @Override
  public Subscription subscribe(String topic, Consumer<Gossip> handler) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(handler, "handler");
    handlers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(handler);
    return () -> {
      List<Consumer<Gossip>> list = handlers.get(topic);
      if (list != null) {
        list.remove(handler);
      }
    };
  }

  @Override
  public void delivered(Gossip gossip) {
    List<Consumer<Gossip>> list = handlers.get(gossip.topic());
    if (list != null) {
      for (Consumer<Gossip> h : list) { // a copy-on-write list: handlers may come and go meanwhile
        h.accept(gossip);
      }
    }
  }
}
