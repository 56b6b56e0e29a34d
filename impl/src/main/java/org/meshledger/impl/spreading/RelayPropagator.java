package org.meshledger.impl.spreading;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.meshledger.Gossip;
import org.meshledger.PropagationStats;
import org.meshledger.Propagator;
import org.meshledger.Spreading;

/**
 * The host's view of a node's {@link Relay}: publish and subscribe by topic, statistics. Calls reach the relay
 * through {@code nodeThread}, the executor of the node's context (the simulator runs everything on its own
 * thread and passes {@code Runnable::run}).
 */
public final class RelayPropagator implements Propagator, Relay.Listener {
  private final Spreading spreading;
  private final Executor nodeThread;
  private final Map<String, List<Consumer<Gossip>>> handlers = new HashMap<>();
  private Relay relay;

  /** @param spreading the validated protocol choice, as {@link #spreading()} reports it */
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

  @Override
  public Spreading spreading() {
    return spreading;
  }

  /** Read on the node's thread for an exact snapshot; from another thread the counters may be a moment old. */
  @Override
  public PropagationStats stats() {
    return relay.stats();
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
    nodeThread.execute(() -> handlers.computeIfAbsent(topic, t -> new ArrayList<>()).add(handler));
    return () -> nodeThread.execute(() -> {
      List<Consumer<Gossip>> list = handlers.get(topic);
      if (list != null) {
        list.remove(handler);
      }
    });
  }

  @Override
  public void delivered(Gossip gossip) {
    List<Consumer<Gossip>> list = handlers.get(gossip.topic());
    if (list != null) {
      for (Consumer<Gossip> h : List.copyOf(list)) {
        h.accept(gossip);
      }
    }
  }
}
