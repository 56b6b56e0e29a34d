package org.meshledger.impl.ledger;

/**
 * Deliberate faults in execution, each the removal of one rule, for tests that prove the simulator finds such faults.
 * Off in production: only {@link Executor#inject}, which is package-private, turns one on.
 */
enum LedgerBug {
  /**
   * A transaction whose nonce is not its sender's next takes effect anyway: a transaction replayed in a later block
   * is applied twice (its fee paid again, its write done again), as if the nonce rule were forgotten.
   */
  SKIP_NONCE_CHECK
}
