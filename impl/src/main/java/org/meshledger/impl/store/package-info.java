/**
 * The bundled {@link org.meshledger.spi.BlockStore}s: {@code "h2"}, the default, a block log and an H2 MVStore
 * index under the data directory, and {@code "memory"}, a heap store for tests and the simulator.
 *
 * <p>Both check an append before touching anything ({@code AppendRules}), so a rejected block leaves the store
 * as it was. The H2 store's source of truth is {@code BlockLog}: an append-only file of checksummed records,
 * one per block with its state changes ({@code LogRecordCodec}), forced to disk before an append returns.
 * {@code H2Index} holds what reads need, keyed by position (height, index), which only ever grows, with
 * lookups by hash in compact side maps (a copy-on-write B-tree keyed by random hashes rewrites a leaf per key at
 * every commit). It commits per block and publishes the new height after the commit, so readers on other
 * threads see whole blocks. At open, {@code LogRecovery} brings H2 in line with the log: catching up, rebuilding
 * an unreadable file, or writing the log of a store of the older layout ({@code H2Export}). See
 * {@code docs/storage.md}, {@code docs/adr/002-h2-access-path.md} and {@code docs/adr/008-block-log.md}.
 */
package org.meshledger.impl.store;
