package org.meshledger.chain;

import java.util.Optional;

/**
 * A read-only view of the ledger state at one point of execution: the committed state, including the balances
 * the genesis gave to accounts no block has touched yet, plus the effects of the transactions executed before
 * the current one in the same block.
 *
 * <p>A view is only valid during the call it is passed to; do not keep it.
 */
public interface StateView {

  /** The balance and next nonce of {@code account}; {@link AccountState#EMPTY} for an account never seen. */
  AccountState account(AccountId account);

  /** The latest write of {@code key} at this point: its value and version; empty if never written. */
  Optional<DataEntry> current(String key);

  /** The current version of {@code key}, 0 if it was never written. */
  default long version(String key) {
    return current(key).map(DataEntry::version).orElse(0L);
  }
}
