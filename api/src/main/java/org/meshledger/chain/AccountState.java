package org.meshledger.chain;

import java.util.Objects;

/**
 * An account's state: its balance and the nonce its next transaction must carry.
 *
 * @param balance what the account holds
 * @param nextNonce the nonce of the account's next transaction (the count of its committed ones), at least 0
 */
public record AccountState(Amount balance, long nextNonce) {
  /** The state of an account the ledger has never seen. */
  public static final AccountState EMPTY = new AccountState(Amount.ZERO, 0);

  public AccountState {
    Objects.requireNonNull(balance, "balance");
    if (nextNonce < 0) {
      throw new IllegalArgumentException("nonce cannot be negative: " + nextNonce);
    }
  }
}
