package org.meshledger.impl.consensus;

import org.meshledger.chain.Block;
import org.meshledger.chain.Hash;

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

  /**
   * Builds the block this validator proposes at {@code height} on top of {@code previousHash} (the paper's
   * getValue()), carrying the commit certificate this node holds for that previous block (none at height 1): the
   * certificate the host committed it with, kept in memory, since this call must not block.
   */
  Candidate propose(long height, Hash previousHash);

  /**
   * True if the application has work for a block (transactions waiting). While it has none, the machine waits for
   * the idle {@code heartbeat} after a commit instead of the {@code blockInterval} (unless a peer starts the height);
   * when work arrives the host calls {@link Tendermint#onWork()}.
   */
  default boolean hasWork() {
    return true;
  }

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

  /**
   * Delivers a committed, certified block for the host to store; heights arrive in order. One write in the machine's
   * durable log (see {@link #persist}): returns true if the block is stored when the call returns, false if the host
   * calls {@link Tendermint#onDurable()} once it is. The machine sends nothing of the next height before then.
   */
  boolean commit(Block block);

  /**
   * Starts writing {@code record} durably; the machine asks for it before each message it signs. The machine's
   * writes (records and committed blocks) form one log: the host makes them durable in the order asked and returns
   * true if this one is durable when the call returns (a synchronous store, with nothing of the log still pending),
   * or false and calls {@link Tendermint#onDurable()} once for each write when it is. Whatever the host, the
   * machine holds every message it sends until all writes asked before it are durable: nothing it signed leaves
   * before the record that remembers signing it is on disk, and nothing of height h+1 leaves before block h is
   * stored. The host must not lose a write it reported durable; one it did not may be lost by a crash, in which
   * case the record found at restart is an older one (records are replaced atomically, never torn).
   */
  boolean persist(SafetyRecord record);
}
