package org.meshledger.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/** The random graph constructions behind {@link Topology}. */
final class Generators {
  private Generators() {}

  static Graph randomRegular(int n, int k, RandomGenerator random) {
    while (true) {
      int[][] pairs = pairStubs(n, k, random);
      if (pairs != null) {
        if (k % 2 == 0) {
          orientAlongEulerCircuits(n, pairs);
        } else {
          for (int[] p : pairs) {
            if (random.nextBoolean()) {
              int t = p[0];
              p[0] = p[1];
              p[1] = t;
            }
          }
        }
        return new Graph(n, pairs);
      }
    }
  }

  /** Pairs random stubs, rejecting self-loops and repeated pairs; null if it got stuck (the caller retries). */
  private static int[][] pairStubs(int n, int k, RandomGenerator random) {
    int[] stubs = new int[n * k];
    for (int i = 0; i < stubs.length; i++) {
      stubs[i] = i / k;
    }
    int[][] nbr = new int[n][k];
    int[] deg = new int[n];
    int[][] edges = new int[n * k / 2][];
    int edgeCount = 0;
    int remaining = stubs.length;
    int failures = 0;
    while (remaining > 0) {
      int i = random.nextInt(remaining);
      int j = random.nextInt(remaining);
      int a = stubs[i];
      int b = stubs[j];
      if (i == j || a == b || adjacent(nbr[a], deg[a], b)) {
        if (++failures > 200 + 20 * remaining) {
          return null;
        }
        continue;
      }
      failures = 0;
      nbr[a][deg[a]++] = b;
      nbr[b][deg[b]++] = a;
      edges[edgeCount++] = new int[] {a, b};
      int hi = Math.max(i, j);
      int lo = Math.min(i, j);
      stubs[hi] = stubs[--remaining];
      stubs[lo] = stubs[--remaining];
    }
    return edges;
  }

  private static boolean adjacent(int[] nbr, int deg, int b) {
    for (int i = 0; i < deg; i++) {
      if (nbr[i] == b) {
        return true;
      }
    }
    return false;
  }

  /**
   * Orients every edge so that each node of even degree d gets exactly d/2 outgoing ones: walks closed trails
   * of unused edges (in an even graph a greedy walk always returns to its start) and orients each edge the
   * way it was walked.
   */
  private static void orientAlongEulerCircuits(int n, int[][] edges) {
    int[] degree = new int[n];
    for (int[] e : edges) {
      degree[e[0]]++;
      degree[e[1]]++;
    }
    int[][] incident = new int[n][];
    for (int i = 0; i < n; i++) {
      incident[i] = new int[degree[i]];
    }
    int[] fill = new int[n];
    for (int e = 0; e < edges.length; e++) {
      incident[edges[e][0]][fill[edges[e][0]]++] = e;
      incident[edges[e][1]][fill[edges[e][1]]++] = e;
    }
    boolean[] used = new boolean[edges.length];
    int[] next = new int[n];
    for (int s = 0; s < n; s++) {
      while (true) {
        int cur = s;
        boolean walked = false;
        while (true) {
          while (next[cur] < incident[cur].length && used[incident[cur][next[cur]]]) {
            next[cur]++;
          }
          if (next[cur] == incident[cur].length) {
            break;
          }
          int e = incident[cur][next[cur]];
          used[e] = true;
          walked = true;
          int other = edges[e][0] == cur ? edges[e][1] : edges[e][0];
          edges[e][0] = cur;
          edges[e][1] = other;
          cur = other;
        }
        if (!walked) {
          break;
        }
      }
    }
  }

  static Graph erdosRenyi(int n, double p, RandomGenerator random) {
    List<int[]> edges = new ArrayList<>();
    if (p >= 1) {
      for (int v = 1; v < n; v++) {
        for (int w = 0; w < v; w++) {
          edges.add(orient(v, w, random));
        }
      }
    } else if (p > 0) {
      // Batagelj and Brandes: skip over the pairs that are not connected with geometric jumps.
      double logq = Math.log(1 - p);
      int v = 1;
      long w = -1;
      while (v < n) {
        w += 1 + (long) Math.floor(Math.log(1 - random.nextDouble()) / logq);
        while (w >= v && v < n) {
          w -= v;
          v++;
        }
        if (v < n) {
          edges.add(orient(v, (int) w, random));
        }
      }
    }
    return new Graph(n, edges.toArray(int[][]::new));
  }

  private static int[] orient(int a, int b, RandomGenerator random) {
    return random.nextBoolean() ? new int[] {a, b} : new int[] {b, a};
  }

  static Graph barabasiAlbert(int n, int m, RandomGenerator random) {
    List<int[]> edges = new ArrayList<>();
    int[] ends = new int[2 * (m * (m + 1) / 2 + (n - m - 1) * m)];
    int endCount = 0;
    for (int i = 0; i <= m; i++) {
      for (int j = 0; j < i; j++) {
        edges.add(new int[] {i, j});
        ends[endCount++] = i;
        ends[endCount++] = j;
      }
    }
    int[] chosen = new int[m];
    for (int t = m + 1; t < n; t++) {
      int c = 0;
      while (c < m) {
        int target = ends[random.nextInt(endCount)];
        boolean dup = false;
        for (int i = 0; i < c; i++) {
          dup |= chosen[i] == target;
        }
        if (!dup) {
          chosen[c++] = target;
        }
      }
      for (int i = 0; i < m; i++) {
        edges.add(new int[] {t, chosen[i]});
        ends[endCount++] = t;
        ends[endCount++] = chosen[i];
      }
    }
    assert endCount == ends.length : Arrays.toString(new int[] {endCount, ends.length});
    return new Graph(n, edges.toArray(int[][]::new));
  }
}
