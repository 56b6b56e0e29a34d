package org.meshledger;


import org.meshledger.chain.StateView;
import org.meshledger.chain.Transaction;
/**
 * The host application's rules for DATA transactions, consulted by every node when it executes a block: a
 * DATA transaction that passed the ledger's own checks (nonce, fee, balance, expected version) applies only if
 * this validator accepts it. A rejection is recorded with the block as the transaction's result, with
 * {@link Verification#reason()} as the reason; the sender still pays the fee.
 *
 * <p><b>Deterministic by contract.</b> Every node must reach the same answer from the same transaction and
 * state, or the nodes disagree on the state and the chain halts. So a validator reads only its arguments and
 * constants: no clocks, no randomness, no I/O (files, network, databases), no mutable state shared across calls,
 * no iteration order of hash-based collections that depends on identity hash codes. It must be fast and must
 * not block: it runs inside block execution, on the node's event loop.
 *
 * <p><b>If it throws</b> (anything but a {@link VirtualMachineError}) or returns null, the transaction is rejected
 * like any other rejection (failed, fee paid) with the reason {@code rejected by the host validator: it threw
 * <class>: <message>} (or {@code it returned no verdict}); the failure is logged (a few lines a minute at most)
 * and counted in the meter {@code meshledger.host.callback.failures} with {@code kind=validator}, and the node and
 * consensus go on. Every node records the same reason only if the validator throws the same way everywhere, which
 * a deterministic validator does.
 */
@FunctionalInterface
public interface TransactionValidator {

  /** Accepts every transaction: the default when the host registers none. */
  TransactionValidator ACCEPT_ALL = (tx, state) -> Verification.ok();

  /**
   * Accepts or rejects a DATA transaction.
   *
   * @param tx a DATA transaction whose signature, nonce, fee and expected version already checked out
   * @param state the state just before {@code tx}: committed state plus the earlier transactions of its block
   * @return {@link Verification#ok()} to apply it, or {@link Verification#failed(String)} with a reason
   */
  Verification check(Transaction tx, StateView state);
}
