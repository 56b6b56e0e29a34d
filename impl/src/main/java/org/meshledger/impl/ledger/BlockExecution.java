package org.meshledger.impl.ledger;

import java.util.List;
import java.util.Objects;
import org.meshledger.chain.Hash;
import org.meshledger.chain.TransactionResult;
import org.meshledger.spi.StateChanges;

/**
 * What executing a block produced.
 *
 * @param changes what to store with the block ({@code BlockStore.append} accepts it)
 * @param results one per transaction, in block order
 * @param stateDigest the state digest after the block: the next block's header carries it
 */
public record BlockExecution(StateChanges changes, List<TransactionResult> results, Hash stateDigest) {
  public BlockExecution {
    Objects.requireNonNull(changes, "changes");
    results = List.copyOf(results);
    Objects.requireNonNull(stateDigest, "stateDigest");
  }
}
