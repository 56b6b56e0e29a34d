package org.meshledger;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.genesis.Role;

/**
 * What the ledger says about its incentives after a block: supply, the era in force, and every service node's
 * standing in the current epoch. Read with {@link Ledger#incentives()}; each closed epoch's payouts with
 * {@link Ledger#rewards(long)}. Everything here is ledger state, the same on every node at the same height.
 *
 * @param height the block this report describes (0 before the first)
 * @param totalSupply the genesis balances plus everything minted minus everything burnt
 * @param minted everything minted since the genesis
 * @param burnt everything burnt since the genesis
 * @param era the index in {@link IncentivePolicy#eras()} of the era in force at the next block
 * @param epoch the epoch the next block belongs to
 * @param serviceNodes every registered service node (leaving ones until their bond returns), sorted by account
 * @param epochRewards what each account earned so far in the current epoch
 */
public record IncentiveReport(long height, Amount totalSupply, Amount minted, Amount burnt, int era, long epoch, List<ServiceStanding> serviceNodes,
    SortedMap<AccountId, Amount> epochRewards) {

  public IncentiveReport {
    serviceNodes = List.copyOf(serviceNodes);
    epochRewards = Collections.unmodifiableSortedMap(new TreeMap<>(epochRewards));
  }

  /** The standing of {@code account}, if it is a registered service node. */
  public Optional<ServiceStanding> standing(AccountId account) {
    return serviceNodes.stream().filter(s -> s.account().equals(account)).findFirst();
  }

  /** Why a service node did or did not earn its share of an epoch. */
  public enum ServiceOutcome {
    /** Met its tier's threshold and earned its full share. */
    EARNED,
    /** Met the threshold but earned a reduced share: it carries penalty points from epochs it failed in a row. */
    PENALISED,
    /** Answered fewer windows on time than its tier's threshold. */
    BELOW_THRESHOLD,
    /** Registered after the epoch began: it earns from the first whole epoch. */
    JOINED_MID_EPOCH,
    /** Started its exit: it earns nothing while its bond unbonds. */
    LEAVING
  }

  /**
   * A service node's standing in the current epoch.
   *
   * @param account the node's account
   * @param tier {@link Role#SECURE_NODE} or {@link Role#SUPER_NODE}
   * @param bond what its registration locked (0 for a node of the genesis)
   * @param registeredHeight the block that registered it (0: the genesis)
   * @param exitHeight the block that started its exit, if any
   * @param answered the windows of the current epoch it answered on time so far
   * @param windowsPerEpoch the windows of an epoch
   * @param needed the least windows it must answer this epoch to earn
   * @param penalty its penalty points
   */
  public record ServiceStanding(AccountId account, Role tier, Amount bond, long registeredHeight, OptionalLong exitHeight, long answered,
      long windowsPerEpoch, long needed, int penalty) {
    public ServiceStanding {
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(tier, "tier");
      Objects.requireNonNull(bond, "bond");
      Objects.requireNonNull(exitHeight, "exitHeight");
    }
  }

  /**
   * One service node's result in a closed epoch.
   *
   * @param account the node's account
   * @param tier its tier
   * @param answered the windows it answered on time
   * @param windows the windows of the epoch
   * @param outcome why it did or did not earn
   * @param penalty its penalty points after the epoch
   * @param earned what it earned from its tier's pool
   */
  public record ServiceResult(AccountId account, Role tier, long answered, long windows, ServiceOutcome outcome, int penalty, Amount earned) {
    public ServiceResult {
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(tier, "tier");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(earned, "earned");
    }
  }

  /**
   * The payouts of a closed epoch.
   *
   * @param epoch the epoch
   * @param lastHeight its last block
   * @param rewards what each account earned over the epoch (block rewards and service pools), sorted by account
   * @param services each service node's result, sorted by account
   */
  public record EpochRewards(long epoch, long lastHeight, SortedMap<AccountId, Amount> rewards, List<ServiceResult> services) {
    public EpochRewards {
      rewards = Collections.unmodifiableSortedMap(new TreeMap<>(rewards));
      services = List.copyOf(services);
    }

    /** The result of {@code account} as a service node in this epoch, if it was one. */
    public Optional<ServiceResult> service(AccountId account) {
      return services.stream().filter(s -> s.account().equals(account)).findFirst();
    }
  }
}
