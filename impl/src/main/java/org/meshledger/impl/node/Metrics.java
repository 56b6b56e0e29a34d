package org.meshledger.impl.node;

import java.lang.System.Logger.Level;

/**
 * Binds the node's meters to the host's Micrometer registry (found by {@link Plugins}) without naming Micrometer
 * here, so that a host without Micrometer on its class path never loads {@link MicrometerMetrics}.
 */
final class Metrics {
  private Metrics() {}

  /** Registers the node's meters in {@code registry}; null if there is none. */
  static AutoCloseable bind(Object registry, VertxNode node) {
    if (registry == null) {
      return null;
    }
    return new MicrometerMetrics(registry, node.id().toHex(), () -> node.propagator().stats(), node::peerCounts,
        node::networkCounts, node::ledgerCounts, () -> node.status().progress()).hostCallbacks(node.callbacks())
        .incentives(node.incentiveFigures(), new org.meshledger.chain.AccountId(node.id().key()));
  }

  static void close(AutoCloseable metrics) {
    try {
      metrics.close();
    } catch (Exception e) {
      System.getLogger("org.meshledger.node").log(Level.WARNING, "could not remove a node's meters: " + e.getMessage());
    }
  }
}
