package org.meshledger.impl.ledger;

import java.util.Optional;
import org.meshledger.chain.StateView;

/**
 * The state as the ledger's own rules read it: what a host's {@link StateView} shows, plus the ledger's
 * records ({@link org.meshledger.spi.StateChanges#records()}), which host code never sees. Execution reads it;
 * {@link CommittedState} reads the store, a node's in-memory committed view reads memory, and
 * {@link BlockState} lays a block's earlier changes over either.
 */
public interface LedgerView extends StateView {

  /**
   * The value of record {@code key} at this point: empty if it was never set or was removed. A copy: changing
   * it changes no state.
   *
   * @throws IllegalArgumentException if {@code key} is not a record key (1 to 256 UTF-8 bytes)
   */
  Optional<byte[]> record(String key);
}
