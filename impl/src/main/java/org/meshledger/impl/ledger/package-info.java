/**
 * Mempool and deterministic execution: sans-IO, synchronous code that the node and the consensus core call.
 *
 * <p>{@link org.meshledger.impl.ledger.Executor} turns a block's transactions into the
 * {@link org.meshledger.spi.StateChanges} stored with it, a result per transaction and the state digest;
 * {@link org.meshledger.impl.ledger.Mempool} holds the transactions waiting for a block, bounded in count and
 * bytes. Neither touches threads, clocks, randomness or the network; both are single-threaded (the node calls
 * them from its context). See {@code docs/adr/006-execution.md}.
 */
package org.meshledger.impl.ledger;
