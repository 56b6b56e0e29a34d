package org.meshledger.genesis;


import org.meshledger.Node;
/**
 * How one block's reward and fees are shared, in basis points (1/100 of a percent), from a height on.
 * Horizen changed its split by hard fork four times; a genesis lists each split with the height it starts at.
 *
 * @param fromHeight the first height this split applies to, at least 1
 * @param producerBps the block producer's share
 * @param secureNodesBps the Secure Node pool's share
 * @param superNodesBps the Super Node pool's share
 * @param treasuryBps the treasury's share (rounding remainders also go to the treasury)
 */
public record RewardSplit(long fromHeight, int producerBps, int secureNodesBps, int superNodesBps, int treasuryBps) {
  /** All of a block's value, in basis points. */
  public static final int TOTAL_BPS = 10_000;

  /** The Horizen split from height 1: producer 60%, Secure Nodes 10%, Super Nodes 10%, treasury 20%. */
  public static final RewardSplit HORIZEN = new RewardSplit(1, 6_000, 1_000, 1_000, 2_000);

  public RewardSplit {
    if (fromHeight < 1) {
      throw new IllegalArgumentException("a reward split starts at height 1 or later, got " + fromHeight);
    }
    if (producerBps < 0 || secureNodesBps < 0 || superNodesBps < 0 || treasuryBps < 0) {
      throw new IllegalArgumentException("reward shares cannot be negative");
    }
    long sum = (long) producerBps + secureNodesBps + superNodesBps + treasuryBps;
    if (sum != TOTAL_BPS) {
      throw new IllegalArgumentException("reward shares from height " + fromHeight + " add up to " + sum + " basis points, not " + TOTAL_BPS);
    }
  }
}
