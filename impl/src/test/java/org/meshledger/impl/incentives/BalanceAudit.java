package org.meshledger.impl.incentives;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;

/**
 * Checks each account's balance after a block, so that a payment to the wrong account cannot hide behind a supply
 * that still adds up: every account but the tier pools and the escrow (checked on their own) ends the block with its
 * balance before, plus what the block's transactions did to it (fees, transfers, bonds locked, as predicted), plus
 * what the ledger's records say the block credited it, plus the bond returned to it. Only the block's producers, the
 * treasury, custom pools and (at an epoch's end) service nodes are credited.
 */
final class BalanceAudit {
  private BalanceAudit() {}

  /**
   * @param before every known account's balance before the block
   * @param after the balance of an account after the block
   * @param transactions what the block's transactions did to each balance
   * @param creditsBefore the epoch's credits as the state record listed them before the block
   * @param creditsAfter the same after the block (at an epoch's last block: the epoch record's rewards)
   * @param returned bonds returned at the block's end, by account
   * @param payable the accounts the block may credit
   * @return what the block credited each account, by the records
   */
  static Map<AccountId, Long> check(Map<AccountId, Long> before, java.util.function.ToLongFunction<AccountId> after, Map<AccountId, Long> transactions,
      SortedMap<AccountId, Amount> creditsBefore, SortedMap<AccountId, Amount> creditsAfter, Map<AccountId, Long> returned, Set<AccountId> payable,
      String at) {
    Map<AccountId, Long> credited = new TreeMap<>();
    creditsAfter.forEach((a, v) -> credited.put(a, v.units() - creditsBefore.getOrDefault(a, Amount.ZERO).units()));
    credited.values().removeIf(v -> v == 0);
    assertThat(credited.values()).as("%s: credits only grow within an epoch: %s", at, credited).allMatch(v -> v > 0);
    assertThat(payable).as("%s: credited accounts %s", at, credited.keySet()).containsAll(credited.keySet());
    Set<AccountId> all = new TreeSet<>(before.keySet());
    all.addAll(transactions.keySet());
    all.addAll(credited.keySet());
    all.addAll(returned.keySet());
    all.remove(Incentives.ESCROW);
    all.remove(Incentives.pool(IncentivePolicy.SECURE_NODES));
    all.remove(Incentives.pool(IncentivePolicy.SUPER_NODES));
    for (AccountId a : all) {
      long was = before.getOrDefault(a, 0L);
      long tx = transactions.getOrDefault(a, 0L);
      long credit = credited.getOrDefault(a, 0L);
      long bond = returned.getOrDefault(a, 0L);
      assertThat(after.applyAsLong(a)).as("%s: balance of %s = %d before %+d by transactions %+d credited %+d bond returned", at, a, was, tx, credit,
          bond).isEqualTo(was + tx + credit + bond);
    }
    return credited;
  }
}
