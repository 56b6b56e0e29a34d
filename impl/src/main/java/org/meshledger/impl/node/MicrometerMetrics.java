package org.meshledger.impl.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.meshledger.PropagationStats;
import org.meshledger.PropagationStats.Counts;
import org.meshledger.PropagationStats.Kind;
import org.meshledger.chain.AccountId;
import org.meshledger.impl.host.HostCallbacks;

/**
 * A node's meters in the host's Micrometer registry. The only class that names Micrometer: the node loads
 * it only when the host passed a {@code MeterRegistry}, so Micrometer stays an optional dependency.
 *
 * <p>Every meter is tagged with the node's id (first 16 hex digits), so several nodes can share a registry.
 * Meters read the node's counters when scraped; nothing is counted twice.
 */
final class MicrometerMetrics implements AutoCloseable {
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final String nodeTag;
  /** Held strongly for the same reason as {@link #sources}. */
  private HostCallbacks callbacks;
  /** Held strongly for the same reason as {@link #sources}. */
  private IncentiveFigures incentives;
  private boolean answeredRegistered; // guarded by this
  private boolean closed; // guarded by this
  /** Micrometer holds its sources weakly: these keep them alive as long as the node is bound. */
  private final List<Object> sources;

  /**
   * @param stats the node's spreading statistics, readable from any thread
   * @param peers the number of connected peers by direction: index 0 inbound, 1 outbound
   * @param network the network's counters: handshake failures, bans, frames in, frames out, bytes in, bytes out
   * @param ledger height, mempool size, and transactions stored since start: accepted, failed, invalid
   * @param sync block sync's progress
   */
  MicrometerMetrics(Object registry, String nodeId, Supplier<PropagationStats> stats, Supplier<int[]> peers,
      Supplier<long[]> network, Supplier<long[]> ledger, Supplier<org.meshledger.SyncProgress> sync) {
    this.registry = (MeterRegistry) registry;
    this.sources = List.of(stats, peers, network, ledger, sync);
    this.nodeTag = nodeId.substring(0, 16);
    Tags node = Tags.of("node", nodeTag);
    gauge("meshledger.peers", "connected peers after the handshake", node.and("direction", "inbound"), peers, p -> p.get()[0]);
    gauge("meshledger.peers", "connected peers after the handshake", node.and("direction", "outbound"), peers, p -> p.get()[1]);
    for (Kind kind : Kind.values()) {
      Tags k = node.and("kind", kind.name().toLowerCase(Locale.ROOT));
      counter("meshledger.spreading.frames", "spreading frames", k.and("direction", "sent"), stats, s -> c(s, kind).sent());
      counter("meshledger.spreading.frames", "spreading frames", k.and("direction", "received"), stats, s -> c(s, kind).received());
      counter("meshledger.spreading.bytes", "bytes of spreading frames", k.and("direction", "sent"), stats, s -> c(s, kind).sentBytes());
      counter("meshledger.spreading.bytes", "bytes of spreading frames", k.and("direction", "received"), stats,
          s -> c(s, kind).receivedBytes());
      counter("meshledger.spreading.duplicates", "received frames that carried nothing new", k, stats, s -> c(s, kind).duplicates());
    }
    counter("meshledger.network.handshake.failures", "connections refused or failed before or in the handshake", node, network,
        n -> n.get()[0]);
    counter("meshledger.network.bans", "peers and addresses banned for misbehaviour", node, network, n -> n.get()[1]);
    counter("meshledger.network.frames", "frames of every type, the handshake's included", node.and("direction", "received"), network,
        n -> n.get()[2]);
    counter("meshledger.network.frames", "frames of every type, the handshake's included", node.and("direction", "sent"), network,
        n -> n.get()[3]);
    counter("meshledger.network.bytes", "bytes of frames of every type", node.and("direction", "received"), network, n -> n.get()[4]);
    counter("meshledger.network.bytes", "bytes of frames of every type", node.and("direction", "sent"), network, n -> n.get()[5]);
    gauge("meshledger.ledger.height", "the last stored block", node, ledger, l -> l.get()[0]);
    gauge("meshledger.mempool.transactions", "transactions waiting in the mempool", node, ledger, l -> l.get()[1]);
    gauge("meshledger.sync.target", "the highest height a trusted peer claims", node, sync, p -> p.get().target());
    gauge("meshledger.sync.blocks.rate", "blocks committed per second over the last 5 s", node, sync, p -> p.get().blocksPerSecond());
    gauge("meshledger.sync.transactions.rate", "transactions committed per second over the last 5 s", node, sync,
        p -> p.get().transactionsPerSecond());
    String[] outcomes = {"accepted", "failed", "invalid"};
    for (int i = 0; i < outcomes.length; i++) {
      int at = 2 + i;
      counter("meshledger.ledger.transactions", "transactions in stored blocks, by outcome", node.and("outcome", outcomes[i]), ledger,
          l -> l.get()[at]);
    }
  }

  /** Counts the failures of the host's callbacks, by kind: {@code meshledger.host.callback.failures}. */
  MicrometerMetrics hostCallbacks(HostCallbacks callbacks) {
    this.callbacks = callbacks;
    Tags node = Tags.of("node", nodeTag);
    for (HostCallbacks.Kind kind : HostCallbacks.Kind.values()) {
      counter("meshledger.host.callback.failures", "host callbacks that threw or failed: handlers, listeners, the validator",
          node.and("kind", kind.tag()), callbacks, c -> c.failures(kind));
    }
    return this;
  }

  /**
   * The incentive gauges, read from {@code figures} (memory, no store read at scrape time): supply, minted, burnt,
   * era, epoch and registered service nodes; and, from the block that lists {@code self} as a service node (the
   * genesis or a registration), the windows it answered this epoch. The listener that watches for that runs on the
   * node's context after each stored block.
   */
  MicrometerMetrics incentives(IncentiveFigures figures, AccountId self) {
    this.incentives = figures;
    Tags node = Tags.of("node", nodeTag);
    gauge("meshledger.incentives.supply", "the genesis balances plus everything minted minus everything burnt", node, figures,
        IncentiveFigures::supply);
    gauge("meshledger.incentives.minted", "everything minted since the genesis", node, figures, IncentiveFigures::minted);
    gauge("meshledger.incentives.burnt", "everything burnt since the genesis", node, figures, IncentiveFigures::burnt);
    gauge("meshledger.incentives.era", "the index of the era in force at the next block", node, figures, IncentiveFigures::era);
    gauge("meshledger.incentives.epoch", "the epoch of the next block", node, figures, IncentiveFigures::epoch);
    gauge("meshledger.incentives.service.nodes", "registered service nodes, leaving ones until their bond returns", node, figures,
        IncentiveFigures::serviceNodes);
    Runnable watch = () -> {
      if (figures.answered(self).isPresent()) {
        registerAnswered(figures, self, node);
      }
    };
    watch.run();
    figures.onStored(watch);
    return this;
  }

  private synchronized void registerAnswered(IncentiveFigures figures, AccountId self, Tags node) {
    if (answeredRegistered || closed) {
      return;
    }
    answeredRegistered = true;
    figures.onStored(null); // registered once: the watch has nothing left to do
    gauge("meshledger.incentives.service.answered", "challenge windows of this epoch this service node answered on time", node, figures,
        f -> f.answered(self).orElse(0));
  }

  private static Counts c(Supplier<PropagationStats> stats, Kind kind) {
    return stats.get().of(kind);
  }

  private <T> void gauge(String name, String description, Tags tags, T source, ToDoubleFunction<T> value) {
    meters.add(Gauge.builder(name, source, value).description(description).tags(tags).register(registry));
  }

  private <T> void counter(String name, String description, Tags tags, T source, ToDoubleFunction<T> value) {
    meters.add(FunctionCounter.builder(name, source, value).description(description).tags(tags).register(registry));
  }

  /** Removes this node's meters from the registry. */
  @Override
  public synchronized void close() {
    closed = true;
    if (incentives != null) {
      incentives.onStored(null);
    }
    meters.forEach(registry::remove);
    meters.clear();
  }
}
