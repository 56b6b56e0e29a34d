package org.meshledger.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;

/**
 * Everything a {@link RewardRule} may use to pay for one block: facts every node shares, in a deterministic order.
 *
 * @param height the block's height
 * @param policy the chain's incentive policy
 * @param era the era in force at {@code height}
 * @param proposer the account of the validator that proposed the block
 * @param signers the accounts of the validators whose precommits are in the commit certificate the block carries
 *     (for the block before it), in validator-set order; empty for block 1
 * @param subsidy what the policy mints for this block ({@code era.subsidy().at(height)})
 * @param fees the fees the block's transactions paid
 * @param epochEnd the closing epoch's evidence if this block is the last of an epoch
 */
public record RewardContext(long height, IncentivePolicy policy, IncentivePolicy.Era era, AccountId proposer, List<AccountId> signers,
    Amount subsidy, Amount fees, Optional<EpochEvidence> epochEnd) {

  public RewardContext {
    if (height < 1) {
      throw new IllegalArgumentException("height must be at least 1, got " + height);
    }
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(era, "era");
    Objects.requireNonNull(proposer, "proposer");
    signers = List.copyOf(signers);
    Objects.requireNonNull(subsidy, "subsidy");
    Objects.requireNonNull(fees, "fees");
    Objects.requireNonNull(epochEnd, "epochEnd");
  }

  /** What the payout must account for: subsidy, fees and, at an epoch's end, the service pools it releases. */
  public Amount available() {
    Amount total = subsidy.plus(fees);
    if (epochEnd.isPresent()) {
      for (Amount a : epochEnd.get().pools().values()) {
        total = total.plus(a);
      }
    }
    return total;
  }

  /**
   * The evidence of an epoch at its last block.
   *
   * @param epoch the epoch that ends
   * @param pools what each service tier's pool ({@link IncentivePolicy#SECURE_NODES}, {@link IncentivePolicy#SUPER_NODES})
   *     accrued over the epoch, released now; sorted by pool name
   * @param nodes every service node registered during the epoch with its standing, sorted by account
   */
  public record EpochEvidence(long epoch, SortedMap<String, Amount> pools, List<ServiceStanding> nodes) {
    public EpochEvidence {
      if (epoch < 0) {
        throw new IllegalArgumentException("epoch cannot be negative: " + epoch);
      }
      pools = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(pools));
      nodes = List.copyOf(nodes);
    }
  }

  /**
   * One service node's standing at the end of an epoch.
   *
   * @param account the node's account (its key)
   * @param tier {@code SECURE_NODE} or {@code SUPER_NODE}
   * @param answered the windows of the epoch it answered on time
   * @param windows the windows of the epoch it was registered for (fewer than the epoch's in the epoch it registered)
   * @param penalty its penalty points before this epoch's outcome
   * @param eligible whether it met its tier's threshold (and is not leaving)
   */
  public record ServiceStanding(AccountId account, org.meshledger.genesis.Role tier, long answered, long windows, int penalty, boolean eligible) {
    public ServiceStanding {
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(tier, "tier");
      if (answered < 0 || windows < 0 || answered > windows || penalty < 0) {
        throw new IllegalArgumentException("standing of " + account + " out of range: " + answered + "/" + windows + ", penalty " + penalty);
      }
    }
  }
}
