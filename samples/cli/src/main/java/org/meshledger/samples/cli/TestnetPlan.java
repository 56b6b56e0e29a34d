package org.meshledger.samples.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each node of a test network lives: its host and its two ports. Node {@code i} goes to host {@code i mod h};
 * the {@code k}-th node on a host takes ports {@code base + 2k} (peers) and {@code base + 2k + 1} (operator API). So
 * nodes on one machine never share a port (CometBFT's testnet gave every node the same ports and they clashed when
 * all ran on one host), and nodes on distinct hosts all use the same two, which keeps firewall rules short.
 */
record TestnetPlan(List<Slot> slots) {
  /** One node's place. */
  record Slot(String name, String host, int p2pPort, int httpPort) {
    String p2pAddress() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + p2pPort;
    }
  }

  TestnetPlan {
    slots = List.copyOf(slots);
  }

  /**
   * @throws IllegalArgumentException if a port would pass 65535 or the counts are out of range
   */
  static TestnetPlan of(int nodes, List<String> hosts, int basePort) {
    if (nodes < 1 || nodes > 256) {
      throw new IllegalArgumentException("--nodes must be 1 to 256, got " + nodes);
    }
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("--hosts is empty");
    }
    if (basePort < 1 || basePort > 65_535) {
      throw new IllegalArgumentException("--base-port must be 1 to 65535, got " + basePort);
    }
    Map<String, Integer> onHost = new HashMap<>();
    List<Slot> slots = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      String host = hosts.get(i % hosts.size()).strip();
      if (host.isEmpty()) {
        throw new IllegalArgumentException("--hosts has an empty entry");
      }
      int k = onHost.merge(host, 1, Integer::sum) - 1;
      int p2p = basePort + 2 * k;
      if (p2p + 1 > 65_535) {
        throw new IllegalArgumentException(k + 1 + " nodes on " + host + " from --base-port " + basePort + " need ports up to " + (p2p + 1)
            + ", past 65535: lower --base-port or add hosts");
      }
      slots.add(new Slot("node" + i, host, p2p, p2p + 1));
    }
    return new TestnetPlan(slots);
  }

  /** Every node's peer address but {@code node}'s own. */
  List<String> peersOf(int node) {
    List<String> peers = new ArrayList<>();
    for (int j = 0; j < slots.size(); j++) {
      if (j != node) {
        peers.add(slots.get(j).p2pAddress());
      }
    }
    return peers;
  }
}
