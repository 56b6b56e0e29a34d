package org.meshledger.impl.consensus;

import org.meshledger.chain.Block;
import org.meshledger.chain.Hash;
import org.meshledger.chain.NodeId;

/**
 * Everything {@link Tendermint} needs from the world, and all it does to it. The Vert.x driver implements it
 * on a node's event-loop context; the simulator implements it on a virtual clock. All calls come from the
 * machine's one thread and must not call back into the machine.
 */
public interface ConsensusHost {
  /** The current time in milliseconds (virtual in the simulator). */
  long now();

  /** Calls {@link Tendermint#onTimeout} with {@code timeout} after {@code delayMillis}. */
  void schedule(Timeout timeout, long delayMillis);

  /** Sends to every validator and follower: consensus messages travel by flooding among validators. */
  void broadcast(ConsensusMessage message);

  /** Sends to one peer. */
  void send(NodeId to, ConsensusMessage message);

  /**
   * Builds the block this validator proposes at {@code height} on top of {@code previousHash} (the paper's
   * getValue()), carrying the commit certificate this node holds for that previous block (none at height 1): the
   * certificate the host committed it with, kept in memory, since this call must not block.
   */
  Candidate propose(long height, Hash previousHash);

  /**
   * The application's part of valid(v): structure, chain, link and transaction root are already checked
   * (signatures, of the transactions and of the previous commit, are checked after). Must be deterministic: every
   * honest validator answers the same for the same candidate.
   */
  default boolean accept(Candidate candidate) {
    return true;
  }

  /**
   * True if {@code tx}'s signature verifies. A host that checked it before (on mempool admission) answers
   * from that instead of verifying again.
   */
  default boolean verified(org.meshledger.chain.Transaction tx) {
    return tx.verifySignature();
  }

  /** Delivers a committed, certified block. The host stores it before the call returns; heights arrive in order. */
  void commit(Block block);

  /** Stores {@code record} durably; called before each signed message is sent. */
  void persist(SafetyRecord record);
}
