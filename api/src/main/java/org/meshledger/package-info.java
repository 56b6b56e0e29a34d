/**
 * What a host application runs: the {@link org.meshledger.Node} and its services ({@link org.meshledger.Ledger},
 * {@link org.meshledger.Propagator}), their options, status and progress, host hooks such as the
 * {@link org.meshledger.TransactionValidator}, and the exceptions.
 *
 * <p>The API is cut by concept (ADR 013): the chain's values are in {@link org.meshledger.chain}, the genesis and
 * the chain's parameters in {@link org.meshledger.genesis}, keys and signatures in {@link org.meshledger.crypto},
 * the canonical encoding in {@link org.meshledger.codec}.
 *
 * <p>Expected outcomes are values ({@link org.meshledger.Verification}); exceptions are unchecked and rooted
 * in {@link org.meshledger.MeshledgerException}.
 */
package org.meshledger;
