package org.meshledger.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * How the simulated nodes are connected. A topology draws a {@link Graph} from the simulation's seeded random
 * source, so the same seed gives the same graph.
 */
@FunctionalInterface
public interface Topology {

  /** Draws the graph. */
  Graph generate(RandomGenerator random);

  /**
   * A uniformly random simple graph where every node has exactly {@code k} neighbours (pairing with
   * rejection, after Steger and Wormald). For even {@code k} each node dials exactly k/2 of its neighbours
   * (orientation along Euler circuits), the balance Dandelion++ expects of outbound peers; for odd k each
   * connection's direction is a coin flip.
   *
   * @throws IllegalArgumentException unless 1 <= k < n and n * k is even
   */
  static Topology randomRegular(int n, int k) {
    if (n < 2 || k < 1 || k >= n || ((long) n * k) % 2 != 0) {
      throw new IllegalArgumentException("a random " + k + "-regular graph on " + n + " nodes needs 1 <= k < n and n * k even");
    }
    return random -> Generators.randomRegular(n, k, random);
  }

  /**
   * Erdos-Renyi G(n, p): each of the n(n-1)/2 pairs is connected with probability {@code p}, independently;
   * directions are coin flips. Not necessarily connected.
   */
  static Topology erdosRenyi(int n, double p) {
    if (n < 1 || !(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("Erdos-Renyi needs n >= 1 and 0 <= p <= 1, got n=" + n + ", p=" + p);
    }
    return random -> Generators.erdosRenyi(n, p, random);
  }

  /**
   * Barabasi-Albert preferential attachment: starting from a clique of {@code m + 1} nodes, each new node
   * dials {@code m} distinct existing nodes chosen with probability proportional to their degree. The degrees
   * follow a power law (a few hubs, many leaves): scale-free, like many real peer-to-peer overlays.
   */
  static Topology barabasiAlbert(int n, int m) {
    if (m < 1 || n <= m) {
      throw new IllegalArgumentException("Barabasi-Albert needs 1 <= m < n, got n=" + n + ", m=" + m);
    }
    return random -> Generators.barabasiAlbert(n, m, random);
  }

  /** Exactly these connections: pairs {dialler, listener}. */
  static Topology edges(int n, int[][] edges) {
    int[][] copy = Arrays.stream(edges).map(int[]::clone).toArray(int[][]::new);
    Graph g = new Graph(n, copy);
    return random -> g;
  }

  /** A ring of {@code n} nodes, each dialling the next: the longest paths, for tests. */
  static Topology ring(int n) {
    if (n < 3) {
      throw new IllegalArgumentException("a ring needs at least 3 nodes, got " + n);
    }
    List<int[]> e = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      e.add(new int[] {i, (i + 1) % n});
    }
    return edges(n, e.toArray(int[][]::new));
  }
}
