package org.meshledger.impl.node;

import java.lang.System.Logger.Level;
import org.meshledger.Node;

/**
 * Finds a Micrometer registry among the builder's plug-ins without naming Micrometer, so that a host
 * without Micrometer on its class path never loads {@link MicrometerMetrics}.
 */
final class Metrics {
  private static final String REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

  private Metrics() {}

  /** The host's {@code MeterRegistry}, or null if it gave none or has no Micrometer. */
  static Object registry(Node.Builder builder) {
    Class<?> type;
    try {
      type = Class.forName(REGISTRY, false, Metrics.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
    return builder.plugin(type);
  }

  /** Registers the node's meters in {@code registry}; null if there is none. */
  static AutoCloseable bind(Object registry, VertxNode node) {
    if (registry == null) {
      return null;
    }
    return new MicrometerMetrics(registry, node.id().toHex(), () -> node.propagator().stats(), node::peerCounts,
        node::networkCounts, node::ledgerCounts, () -> node.status().progress()).hostCallbacks(node.callbacks());
  }

  static void close(AutoCloseable metrics) {
    try {
      metrics.close();
    } catch (Exception e) {
      System.getLogger("org.meshledger.node").log(Level.WARNING, "could not remove a node's meters: " + e.getMessage());
    }
  }
}
