/**
 * The bundled {@link org.meshledger.spi.BlockStore}s: {@code "h2"}, the default, an H2 MVStore file under
 * the data directory, and {@code "memory"}, a heap store for tests and the simulator.
 *
 * <p>Both check an append before touching anything ({@code AppendRules}), so a rejected block leaves the store
 * as it was. The H2 store keys its main data by position (height, index), which only ever grows, and keeps
 * lookups by hash in compact side maps: a copy-on-write B-tree keyed by random hashes rewrites a leaf per key
 * at every commit. It commits and syncs once per block and publishes the new height only after the sync,
 * so readers on other threads see whole blocks. See {@code docs/storage.md} and
 * {@code docs/adr/002-h2-access-path.md}.
 */
package org.meshledger.impl.store;
