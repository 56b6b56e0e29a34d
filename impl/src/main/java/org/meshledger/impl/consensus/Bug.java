package org.meshledger.impl.consensus;

/**
 * Deliberate faults in the consensus core, each the removal of one safety rule, for tests that prove the simulator
 * finds such faults: a simulator whose random schedules stay green with a rule removed proves little about the rule.
 * Off in production: only {@link Tendermint#inject}, which is package-private, turns one on.
 */
enum Bug {
  /** Line 22 of the paper without its lock: a locked validator prevotes a new proposal for another value. */
  DROP_LOCK_RULE,
  /** Line 28 without {@code lockedRound <= validRound}: a proof of lock older than this validator's lock unlocks it. */
  ACCEPT_STALE_LOCK_ROUND,
  /** Messages leave before the safety record that remembers signing them is durable. */
  SEND_BEFORE_DURABLE,
  /** A vote of an earlier round of the height is also counted in the current round's tally, as if cast in it. */
  ACCEPT_STALE_VOTE_ROUND
}
