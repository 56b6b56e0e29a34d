package org.meshledger;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Block;
import org.meshledger.chain.CommittedBlock;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.Transaction;

/**
 * The chain as a node holds it: submit transactions, read what is final, follow new blocks. Get it from
 * {@link Node#ledger()}.
 *
 * <p><b>Finality.</b> Everything a ledger returns is final: a block is delivered or read only once more than
 * two thirds of the validators committed it and this node stored it; it is never undone.
 *
 * <p><b>Threading.</b> Every method may be called from any thread. Futures and handlers complete on the
 * node's context; reads run off its event loop. Handlers must not block: work that waits (a database, a file, a
 * remote call) belongs in {@link #onBlockAsync}, whose handler starts it elsewhere and returns a future.
 *
 * <p><b>A node that is not running.</b> A ledger exists once its node's start has opened the store. When the
 * node is STOPPING or STOPPED: {@link #height()} still answers (the last height stored); {@link #submit} and the
 * reads fail their future with an {@link IllegalStateException} that names the node's state and what to do (build
 * and start a new node on the same data dir); {@link #onBlock}, {@link #onBlockAsync} and {@link #onTransaction}
 * throw that exception; closing a subscription still works.
 *
 * <p><b>Resuming.</b> A host that processes blocks keeps the height it processed last, durably, with its own
 * effects, and after a restart subscribes from the next one: {@link #onBlock} and {@link #onBlockAsync} deliver
 * every block from the given height, each once and in order, the stored ones first and then the new ones as they
 * commit, so the host sees no gap and no duplicate.
 *
 * <p><b>Handlers that throw</b> never reach the node's peers or its consensus: the exception is logged (a few
 * lines a minute at most) and counted in the meter {@code meshledger.host.callback.failures} (tag {@code kind}
 * {@code block} or {@code transaction}). What happens to the subscription depends on its form: see each method.
 */
public interface Ledger {

  /**
   * Submits a transaction: admits it to this node's mempool and spreads it to the other nodes.
   *
   * @return completes with the receipt once the transaction is final and applied; fails with a
   *     {@link TransactionRejectedException} if the mempool refuses it (with the reason) or if it is final but
   *     did not apply (with its receipt); fails with an {@link IllegalStateException} if the node is not running
   *     or stops before the transaction is final; fails with a {@link SubmitTimeoutException} (saying what held it
   *     up) if it is not final within {@link NodeOptions#getSubmitTimeout()}. A transaction still waiting when
   *     the node stops or the submit times out may commit later: look it up with {@link #receipt}.
   */
  Future<Receipt> submit(Transaction transaction);

  /** The height of the last block this node stored; 0 before the first. */
  long height();

  /** The final block at {@code height}, if this node has it; fails on a height below 1. */
  Future<Optional<Block>> block(long height);

  /** The final block whose header hashes to {@code hash}, if this node has it. */
  Future<Optional<Block>> block(Hash hash);

  /** The receipt of the final transaction with {@code id}, if this node has it. */
  Future<Optional<Receipt>> receipt(Hash transactionId);

  /** The committed balance and next nonce of {@code account} (genesis balances included). */
  Future<AccountState> account(AccountId account);

  /**
   * The nonce a new transaction from {@code account} should carry for this node to take it now: the lowest nonce
   * at or above the committed next nonce that no transaction pending in this node's mempool holds. A sender that
   * submits several transactions in a row through one node asks before each and needs no offsets of its own.
   * Transactions pending at other nodes are not seen; one that takes the nonce first makes the later submit fail
   * with a reason that says the nonce was used.
   */
  Future<Long> nextNonce(AccountId account);

  /** The committed value and version of {@code key}; fails on an empty key. */
  Future<Optional<DataEntry>> current(String key);

  /**
   * The chain's incentives after the last block this node stored: total supply, minted and burnt, the era and
   * epoch, every service node's standing and the current epoch's rewards so far (see {@code docs/incentives.md}).
   */
  Future<IncentiveReport> incentives();

  /** The payouts of closed epoch {@code epoch}, empty if it has not closed (or paid nothing); fails on a negative epoch. */
  Future<Optional<IncentiveReport.EpochRewards>> rewards(long epoch);

  /**
   * Committed writes of {@code key} with a version above {@code afterVersion}, oldest first, at most
   * {@code limit}; page on by passing the last version seen.
   */
  Future<List<DataEntry>> history(String key, long afterVersion, int limit);

  /**
   * Calls {@code handler} with every final block from {@code fromHeight} on, in order and each once: first
   * those stored already (read in batches off the event loop), then each new one as it is stored. The handler
   * runs on the node's event loop and must not block.
   *
   * <p>If the handler throws, the exception is logged and counted and the subscription goes on with the next
   * block: that block is not offered again. Where a failure must stop the stream (so the host can resume from
   * the block it failed on), use {@link #onBlockAsync}.
   *
   * @param fromHeight the first height wanted, at least 1
   * @throws IllegalArgumentException if {@code fromHeight} is below 1
   * @throws IllegalStateException if the node is stopping or stopped
   */
  Subscription onBlock(long fromHeight, Consumer<CommittedBlock> handler);

  /**
   * Calls {@code handler} with every final block from {@code fromHeight} on, in order and each once, and waits
   * for the future it returns before offering the next block: backpressure for a host whose handling of a
   * block ends in I/O of its own (storing its effects together with the height, say). The handler runs on the
   * node's event loop and must return at once: it starts the work elsewhere (a worker, the host's own executor,
   * an asynchronous client) and returns a future that completes, on any thread, when the block is handled. The
   * node meanwhile goes on committing; blocks the host has not taken yet are read from the store when it is
   * ready for them, so a slow host holds up nothing and costs no memory.
   *
   * <p><b>A failure ends the subscription; no block is skipped.</b> If the future fails, or the handler throws or
   * returns null, no further block is offered: {@link Subscription#ended()} fails with that exception (the
   * handler's own; a {@link NullPointerException} for null), {@link Subscription#nextHeight()} is the height of
   * the block whose handling failed, and the failure is logged and counted. To go on, subscribe again from
   * {@code nextHeight()}, or from the height stored with the host's effects plus one.
   *
   * @param fromHeight the first height wanted, at least 1
   * @throws IllegalArgumentException if {@code fromHeight} is below 1
   * @throws IllegalStateException if the node is stopping or stopped
   */
  Subscription onBlockAsync(long fromHeight, Function<CommittedBlock, Future<Void>> handler);

  /**
   * Calls {@code handler} with the receipt of every transaction of every final block from {@code fromHeight}
   * on, in chain order and each once (the block-level {@link #onBlock} with the proofs worked out). If the
   * handler throws, the exception is logged and counted and the subscription goes on with the next receipt.
   *
   * @throws IllegalArgumentException if {@code fromHeight} is below 1
   * @throws IllegalStateException if the node is stopping or stopped
   */
  Subscription onTransaction(long fromHeight, Consumer<Receipt> handler);

  /** A registration that {@link #close()} ends; no call reaches the handler after close returns on the node's context. */
  interface Subscription extends AutoCloseable {
    /**
     * The next height the handler will see. With {@link #onBlockAsync}, the block being handled stays the next
     * one until its future succeeds; after a failure it is the block that failed.
     */
    long nextHeight();

    /**
     * Completes when the subscription ends, on the node's context: successfully once {@link #close()} took
     * effect; with a failure when it ended otherwise: the handler's exception or failed future
     * ({@link #onBlockAsync}), the store's exception if stored blocks could not be read, or an
     * {@link IllegalStateException} when the node stops. Either way {@link #nextHeight()} is where to resume.
     */
    Future<Void> ended();

    /** Ends the subscription; idempotent. */
    @Override
    void close();
  }
}
