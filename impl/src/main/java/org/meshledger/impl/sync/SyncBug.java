package org.meshledger.impl.sync;

/**
 * Deliberate faults in block sync, each the removal of one safety check, for tests that prove the simulator finds
 * such faults. Off in production: only {@link BlockSync#inject}, which is package-private, turns one on.
 */
enum SyncBug {
  /**
   * A block that came back from a peer is taken as verified without asking the host to check it: its commit
   * certificate's signatures (and the rest of {@code Block.verify}) go unchecked, so a peer that forges a
   * certificate gets its block committed. Consensus checks only that the certificate names a quorum of validators.
   */
  SKIP_CERTIFICATE_CHECK
}
