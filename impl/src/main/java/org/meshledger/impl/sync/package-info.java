/**
 * Block sync: how a node that is behind (new, restarted, offline for a while, or one whose store lost its tail)
 * gets the certified blocks it lacks from its peers, independently of consensus traffic.
 *
 * <p>{@link org.meshledger.impl.sync.BlockSync} is a sans-IO state machine like the consensus core: peers
 * exchange heights periodically; a node behind fetches ranges in parallel from every peer that claims them,
 * bounded per peer and by a window beyond its stored height (so it persists before it asks for more); the host
 * verifies each block off the event loop; verified blocks reach consensus in height order, and consensus takes
 * over at the tip without a gap, since it runs all along. Peers that send blocks nobody asked for, blocks that
 * do not verify, or claim heights they cannot serve are scored and lose their claim for a while. The Vert.x
 * driver is {@code VertxConsensus}; the consensus simulation runs the same class.
 */
package org.meshledger.impl.sync;
