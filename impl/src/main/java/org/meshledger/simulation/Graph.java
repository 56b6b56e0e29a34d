package org.meshledger.simulation;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;

/**
 * An immutable network: {@code size()} nodes numbered from 0 and connections between them, each with a
 * direction (who dialled whom). Built by a {@link Topology}.
 */
public final class Graph {
  private final int size;
  private final int[] from;
  private final int[] to;
  private final int[][] adjacency;
  private final boolean[][] outbound;

  /**
   * @param size the number of nodes
   * @param edges pairs {dialler, listener}; no self-loops or repeated pairs (in either direction)
   * @throws IllegalArgumentException naming the first bad edge
   */
  public Graph(int size, int[][] edges) {
    if (size < 1) {
      throw new IllegalArgumentException("a graph needs at least 1 node, got " + size);
    }
    this.size = size;
    this.from = new int[edges.length];
    this.to = new int[edges.length];
    int[] degree = new int[size];
    for (int e = 0; e < edges.length; e++) {
      int[] edge = edges[e];
      if (edge.length != 2) {
        throw new IllegalArgumentException("edge " + e + " must be a pair {from, to}, got " + edge.length + " numbers");
      }
      int a = edge[0];
      int b = edge[1];
      if (a < 0 || a >= size || b < 0 || b >= size) {
        throw new IllegalArgumentException("edge " + e + " " + a + "->" + b + " names a node outside 0.." + (size - 1));
      }
      if (a == b) {
        throw new IllegalArgumentException("edge " + e + " connects node " + a + " to itself");
      }
      from[e] = a;
      to[e] = b;
      degree[a]++;
      degree[b]++;
    }
    adjacency = new int[size][];
    outbound = new boolean[size][];
    for (int i = 0; i < size; i++) {
      adjacency[i] = new int[degree[i]];
      outbound[i] = new boolean[degree[i]];
    }
    int[] fill = new int[size];
    for (int e = 0; e < from.length; e++) {
      int a = from[e];
      int b = to[e];
      adjacency[a][fill[a]] = b;
      outbound[a][fill[a]++] = true;
      adjacency[b][fill[b]++] = a;
    }
    for (int i = 0; i < size; i++) {
      int[] sorted = adjacency[i].clone();
      Arrays.sort(sorted);
      for (int j = 1; j < sorted.length; j++) {
        if (sorted[j] == sorted[j - 1]) {
          throw new IllegalArgumentException("nodes " + i + " and " + sorted[j] + " are connected twice");
        }
      }
    }
  }

  /** The number of nodes. */
  public int size() {
    return size;
  }

  /** The number of connections. */
  public int edgeCount() {
    return from.length;
  }

  /** The neighbours of {@code node}, in a fixed order. */
  public int[] neighbors(int node) {
    return adjacency[node].clone();
  }

  /** The number of neighbours of {@code node}. */
  public int degree(int node) {
    return adjacency[node].length;
  }

  /** True if {@code node} dialled its {@code i}-th neighbour. */
  public boolean isOutbound(int node, int i) {
    return outbound[node][i];
  }

  /** Hop counts from {@code source} to every node (breadth-first), -1 where unreachable. */
  public int[] hopsFrom(int source) {
    int[] dist = new int[size];
    Arrays.fill(dist, -1);
    dist[source] = 0;
    ArrayDeque<Integer> q = new ArrayDeque<>();
    q.add(source);
    while (!q.isEmpty()) {
      int u = q.poll();
      for (int v : adjacency[u]) {
        if (dist[v] < 0) {
          dist[v] = dist[u] + 1;
          q.add(v);
        }
      }
    }
    return dist;
  }

  /** True if every node can reach every other. */
  public boolean isConnected() {
    return Arrays.stream(hopsFrom(0)).noneMatch(d -> d < 0);
  }

  /** The nodes of the largest connected component (ties: the one holding the smallest node). */
  public BitSet largestComponent() {
    BitSet all = new BitSet(size);
    all.set(0, size);
    return Components.largest(size, all, i -> adjacency[i]);
  }
}
