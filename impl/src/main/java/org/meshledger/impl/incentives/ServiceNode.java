package org.meshledger.impl.incentives;

import java.util.Objects;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.genesis.Role;

/**
 * One registered service node as the ledger records it: its tier and bond, when it joined and leaves, and its
 * standing in the current epoch. Immutable; the engine replaces it as blocks change it.
 *
 * @param account the node's account (its key)
 * @param tier {@link Role#SECURE_NODE} or {@link Role#SUPER_NODE}
 * @param bond what its registration locked in escrow (0 for a node of the genesis)
 * @param registeredHeight the block that registered it (0: the genesis); it answers from the next window on
 * @param exitHeight the block that started its exit, or -1
 * @param answered windows of the current epoch it answered on time
 * @param lastAnswered the last window it answered, counted over the whole chain ({@code epoch × windows + window}),
 *     or -1: a second answer to the same window is a replay
 * @param penalty penalty points (see {@link org.meshledger.IncentivePolicy.ServiceRules#maxPenalty()})
 * @param failedLast whether it missed its threshold in the last epoch that ended
 */
public record ServiceNode(AccountId account, Role tier, Amount bond, long registeredHeight, long exitHeight, long answered, long lastAnswered,
    int penalty, boolean failedLast) {

  public ServiceNode {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(bond, "bond");
  }

  static ServiceNode registered(AccountId account, Role tier, Amount bond, long height) {
    return new ServiceNode(account, tier, bond, height, -1, 0, -1, 0, false);
  }

  public boolean leaving() {
    return exitHeight >= 0;
  }

  ServiceNode answered(long window) {
    return new ServiceNode(account, tier, bond, registeredHeight, exitHeight, answered + 1, window, penalty, failedLast);
  }

  ServiceNode exiting(long height) {
    return new ServiceNode(account, tier, bond, registeredHeight, height, answered, lastAnswered, penalty, failedLast);
  }

  /** The standing for the next epoch: answers reset, penalty and failure as the closing epoch left them. */
  ServiceNode nextEpoch(int newPenalty, boolean failed) {
    return new ServiceNode(account, tier, bond, registeredHeight, exitHeight, 0, lastAnswered, newPenalty, failed);
  }

  void writeTo(CanonicalWriter w) {
    account.writeTo(w);
    w.u8(tier == Role.SECURE_NODE ? 1 : 2).i64(bond.units()).i64(registeredHeight).i64(exitHeight).i64(answered).i64(lastAnswered)
        .i32(penalty).bool(failedLast);
  }

  static ServiceNode readFrom(CanonicalReader r) {
    AccountId account = AccountId.readFrom(r, "service node");
    int tier = r.u8("service tier");
    return new ServiceNode(account, tier == 1 ? Role.SECURE_NODE : Role.SUPER_NODE, Amount.of(r.nonNegative("bond")), r.i64("registered"),
        r.i64("exit"), r.nonNegative("answered"), r.i64("last answered"), r.i32("penalty"), r.bool("failed last"));
  }
}
