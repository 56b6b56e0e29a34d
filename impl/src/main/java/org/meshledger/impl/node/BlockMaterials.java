package org.meshledger.impl.node;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.meshledger.chain.Block;
import org.meshledger.chain.Hash;
import org.meshledger.impl.incentives.Challenges;
import org.meshledger.impl.incentives.Incentives;

/**
 * The challenge material of old blocks for execution, on the node's context, the way {@link CommittedView} serves
 * state: a block not yet on disk is taken from memory, one read before is cached, and any other is a miss that the
 * node reads on a worker ({@link StateLoader}) before it runs the block again. A window's target block is the
 * same for every answer in the window, so one read serves them all.
 */
final class BlockMaterials implements Incentives.History {
  private static final int CACHED = 64;

  private final Map<Long, Hash> cache = new HashMap<>();
  private final Map<Long, Block> unwritten = new HashMap<>();
  private final Set<Long> missed = new LinkedHashSet<>();

  @Override
  public Hash material(long height) {
    Hash m = cache.get(height);
    if (m != null) {
      return m;
    }
    Block b = unwritten.get(height);
    if (b != null) {
      m = Challenges.material(b);
      remember(height, m);
      return m;
    }
    missed.add(height);
    return Hash.ZERO; // the pass is discarded and run again once it is read
  }

  /** Heights asked for and not held since the last call; clears the record. */
  Set<Long> takeMisses() {
    Set<Long> m = Set.copyOf(missed);
    missed.clear();
    return m;
  }

  /** A block executed, on its way to the store. */
  void executed(Block block) {
    unwritten.put(block.height(), block);
  }

  /** The block at {@code height} is durable: the store serves it from now on. */
  void stored(long height) {
    unwritten.remove(height);
  }

  void loaded(Map<Long, Hash> materials) {
    materials.forEach(this::remember);
  }

  private void remember(long height, Hash material) {
    if (cache.size() >= CACHED) {
      cache.clear();
    }
    cache.put(height, material);
  }
}
