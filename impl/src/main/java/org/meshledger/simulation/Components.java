package org.meshledger.simulation;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.function.IntFunction;

/** Connected components over a subset of nodes. */
final class Components {
  private Components() {}

  /** The largest component of the nodes in {@code members}, with {@code neighbors} giving the edges. */
  static BitSet largest(int size, BitSet members, IntFunction<int[]> neighbors) {
    BitSet seen = new BitSet(size);
    BitSet best = new BitSet(size);
    int bestSize = 0;
    ArrayDeque<Integer> q = new ArrayDeque<>();
    for (int s = members.nextSetBit(0); s >= 0; s = members.nextSetBit(s + 1)) {
      if (seen.get(s)) {
        continue;
      }
      BitSet comp = new BitSet(size);
      seen.set(s);
      comp.set(s);
      q.add(s);
      while (!q.isEmpty()) {
        int u = q.poll();
        for (int v : neighbors.apply(u)) {
          if (members.get(v) && !seen.get(v)) {
            seen.set(v);
            comp.set(v);
            q.add(v);
          }
        }
      }
      if (comp.cardinality() > bestSize) {
        bestSize = comp.cardinality();
        best = comp;
      }
    }
    return best;
  }
}
