package org.meshledger.impl.node;

import java.util.ArrayDeque;
import org.meshledger.chain.StateView;
import org.meshledger.impl.ledger.StateOverlay;
import org.meshledger.spi.StateChanges;

/**
 * The state after the last executed block: the store's committed state with the changes of the blocks that
 * are executed but not yet durable laid over it. Consensus moves on while a block is being written (off the
 * event loop), so the next block executes, and the mempool checks, against this view rather than the store.
 * On the node's context only; store reads are short and safe beside a concurrent append.
 */
final class PendingState extends StateOverlay {
  private final ArrayDeque<StateChanges> unwritten = new ArrayDeque<>();

  PendingState(StateView committed) {
    super(committed);
  }

  /** A block's changes, executed and on their way to the store. */
  void executed(StateChanges changes) {
    accounts.putAll(changes.accounts());
    changes.writes().forEach(w -> latest.put(w.key(), w));
    unwritten.add(changes);
  }

  /** The oldest executed block is durable: its entries that no later block replaced now come from the store. */
  void written() {
    StateChanges done = unwritten.poll();
    if (done == null) {
      throw new IllegalStateException("no executed block is waiting to be written");
    }
    done.accounts().forEach((id, state) -> accounts.remove(id, state));
    done.writes().forEach(w -> latest.remove(w.key(), w));
  }

  /** Entries laid over the store: bounded by the blocks in flight, for tests. */
  int overlaid() {
    return accounts.size() + latest.size();
  }
}
