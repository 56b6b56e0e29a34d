package org.meshledger.genesis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;

/**
 * What each block mints and how the service-node pools are earned.
 *
 * @param blockReward the new units each block mints (fees come on top)
 * @param treasury the account that receives the treasury share and every rounding remainder
 * @param epochLength blocks per service epoch: each epoch starts with a challenge to the service nodes
 * @param responseWindow blocks after an epoch's start within which an answer to its challenge counts
 * @param splits the reward splits by starting height, the first starting at height 1
 */
public record IncentiveParameters(Amount blockReward, AccountId treasury, long epochLength, long responseWindow, List<RewardSplit> splits) {

  public IncentiveParameters {
    Objects.requireNonNull(blockReward, "blockReward");
    Objects.requireNonNull(treasury, "treasury");
    if (epochLength < 1) {
      throw new IllegalArgumentException("epochLength must be at least 1 block, got " + epochLength);
    }
    if (responseWindow < 1 || responseWindow > epochLength) {
      throw new IllegalArgumentException("responseWindow must be 1 to epochLength (" + epochLength + ") blocks, got " + responseWindow);
    }
    List<RewardSplit> sorted = new ArrayList<>(splits);
    sorted.sort(Comparator.comparingLong(RewardSplit::fromHeight));
    if (sorted.isEmpty() || sorted.get(0).fromHeight() != 1) {
      throw new IllegalArgumentException("the reward splits must include one from height 1");
    }
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).fromHeight() == sorted.get(i - 1).fromHeight()) {
        throw new IllegalArgumentException("two reward splits start at height " + sorted.get(i).fromHeight());
      }
    }
    splits = List.copyOf(sorted);
  }

  /** Horizen's split, no reward, epochs of 100 blocks answered within 20. */
  public static IncentiveParameters horizen(AccountId treasury, Amount blockReward) {
    return new IncentiveParameters(blockReward, treasury, 100, 20, List.of(RewardSplit.HORIZEN));
  }

  /** The split in force at {@code height}. */
  public RewardSplit splitAt(long height) {
    RewardSplit current = splits.get(0);
    for (RewardSplit s : splits) {
      if (s.fromHeight() <= height) {
        current = s;
      }
    }
    return current;
  }
}
