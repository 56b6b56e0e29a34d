/**
 * Tendermint-style BFT consensus (Buchman, Kwon, Milosevic, "The latest gossip on BFT consensus", 2018) as a
 * sans-IO state machine: {@link org.meshledger.impl.consensus.Tendermint} is fed messages and fired timers and
 * acts only through a {@link org.meshledger.impl.consensus.ConsensusHost} (time, timers, broadcast, send, the
 * block to propose, commit, the persisted {@link org.meshledger.impl.consensus.SafetyRecord}). The simulator and
 * the Vert.x node drive the same object; a simulated run replays from its seed.
 *
 * <p>The pieces: signed {@link org.meshledger.impl.consensus.Proposal}s and
 * {@link org.meshledger.impl.consensus.Vote}s with a canonical encoding (a precommit signs exactly what a
 * {@link org.meshledger.chain.CommitCertificate} verifies, so the precommits that decide a block are its
 * certificate); a {@link org.meshledger.impl.consensus.VoteSet} per height, round and vote kind that counts
 * distinct validators and keeps equivocations as {@link org.meshledger.impl.consensus.Evidence}; the paper's
 * upon-rules re-evaluated after every input; catch-up from certified blocks for a node that fell behind.
 * See {@code docs/consensus.md} for the algorithm as implemented, the message formats and the fault model of
 * the simulation tests.
 */
package org.meshledger.impl.consensus;
