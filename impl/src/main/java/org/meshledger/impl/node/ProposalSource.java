package org.meshledger.impl.node;

import org.meshledger.BlockHeader;
import org.meshledger.Hash;
import org.meshledger.MerkleTree;
import org.meshledger.NodeId;
import org.meshledger.ValidatorSet;
import org.meshledger.impl.consensus.Candidate;

/**
 * Where the blocks a validator proposes come from: the seam between consensus and the mempool. Called on
 * the node's context; must not block. Until the mempool is wired, {@link #empty} proposes blocks without
 * transactions.
 */
interface ProposalSource {
  /** The block to propose at {@code height} on {@code previousHash}, at time {@code nowMillis}. */
  Candidate propose(String chainId, ValidatorSet validators, NodeId proposer, long height, Hash previousHash, long nowMillis);

  /**
   * True if transactions wait: the next block follows after {@code blockInterval}; while idle, after
   * {@code heartbeat}.
   */
  boolean hasWork();

  /** Calls {@code wake} (on any thread) when work arrives while idle; the default never has work. */
  default void onWork(Runnable wake) {
  }

  /** Blocks without transactions; never has work, so they come one per heartbeat. */
  static ProposalSource empty() {
    return new ProposalSource() {
      @Override
      public Candidate propose(String chainId, ValidatorSet validators, NodeId proposer, long height, Hash previousHash, long nowMillis) {
        // State digest: no execution yet, so the state is the chain itself; it commits to the previous block.
        BlockHeader header = new BlockHeader(chainId, height, previousHash, nowMillis, proposer, MerkleTree.rootOf(java.util.List.of()), 0,
            Hash.sha256(previousHash.bytes()), validators.hash());
        return Candidate.of(header, java.util.List.of());
      }

      @Override
      public boolean hasWork() {
        return false;
      }
    };
  }
}
