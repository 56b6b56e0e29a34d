/**
 * The chain's values: blocks and their headers and commit certificates, transactions and their payloads,
 * receipts, accounts, amounts, DATA entries, hashes and Merkle proofs, node ids and validator sets, and the
 * protocol's size limits.
 *
 * <p>Values are immutable records (or final classes where an encoding is cached) that validate in their
 * constructors and copy byte arrays in and out, so a value that exists is a valid one. Everything that is
 * hashed, signed or sent has one canonical binary encoding ({@link org.meshledger.codec}); JSON is only for
 * files people edit (genesis, keys). Identities are Ed25519 keys; amounts are whole units in a {@code long},
 * never floating point.
 */
package org.meshledger.chain;
