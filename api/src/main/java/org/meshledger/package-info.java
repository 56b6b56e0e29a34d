/**
 * What a host application touches: the values of the ledger and the exceptions.
 *
 * <p>Values are immutable records (or final classes where an encoding is cached) that validate in their
 * constructors and copy byte arrays in and out, so a value that exists is a valid one. Everything that is
 * hashed, signed or sent has one canonical binary encoding ({@link org.meshledger.codec}); JSON is only for
 * files people edit (genesis, keys). Identities are Ed25519 keys; amounts are whole units in a {@code long},
 * never floating point.
 *
 * <p>Expected outcomes are values ({@link org.meshledger.Verification}); exceptions are unchecked and rooted
 * in {@link org.meshledger.MeshledgerException}.
 */
package org.meshledger;
