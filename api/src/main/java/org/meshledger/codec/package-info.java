/**
 * The canonical binary encoding of everything Meshledger hashes, signs or sends.
 *
 * <p>One value has exactly one encoding: fields in a fixed order, big-endian fixed-width integers, explicit
 * lengths, and a version byte at the start of each top-level object. Hashes and signatures are computed
 * over these bytes, so two nodes that agree on a value agree on its hash. {@code docs/protocol.md} lists
 * the layout of every object with golden vectors that the test suite checks.
 *
 * <p>Decoding treats its input as hostile: {@link org.meshledger.codec.CanonicalReader} checks every length
 * and count against a declared bound and against the bytes left before it allocates, and every failure is
 * a {@link org.meshledger.codec.DecodeException}.
 */
package org.meshledger.codec;
