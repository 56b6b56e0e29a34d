package org.meshledger.impl.node;

import org.meshledger.chain.Block;
import org.meshledger.chain.Hash;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.impl.consensus.Candidate;
import org.meshledger.impl.ledger.BlockExecution;

/**
 * The application side of consensus on a node: what a validator proposes, which proposals it accepts, and
 * what a committed block does to the state. {@link NodeLedger} is the one implementation; the seam keeps
 * {@link VertxConsensus} free of mempool and execution details. All calls come on the node's context and
 * must not block: none reads the store.
 */
interface ConsensusApp {
  /**
   * The block to propose at {@code height} on {@code previousHash}, at time {@code nowMillis}, carrying the
   * certificate this node holds for the block {@code previousHash} names (in memory: no store read).
   */
  Candidate propose(String chainId, ValidatorSet validators, NodeId proposer, long height, Hash previousHash, long nowMillis);

  /**
   * True if transactions wait: the next block follows after {@code blockInterval}; while idle, after
   * {@code heartbeat}.
   */
  boolean hasWork();

  /** Calls {@code wake} on the context when work arrives, never from inside a call consensus made to this app. */
  void onWork(Runnable wake);

  /** The application's part of valid(v): deterministic, the same answer on every honest node. */
  boolean accept(Candidate candidate);

  /** True if {@code tx}'s signature verifies (answered from the mempool when it was checked on admission). */
  boolean verified(Transaction tx);

  /**
   * Executes the committed {@code block}, the next after the last executed one. Completes on the context: at
   * once when the state it reads is in memory, else after that state was read on a worker. Until it completes
   * the caller gives consensus no input, so to consensus the execution is as if synchronous.
   */
  io.vertx.core.Future<BlockExecution> execute(Block block);

  /**
   * Reads on a worker what executing {@code block} will need and memory lacks, so that its execution does not
   * wait; completes on the context. Block sync calls it for each block it verified, before handing it over.
   */
  io.vertx.core.Future<Void> prepare(Block block);

  /** {@code block}, executed as {@code execution}, is durable in the store. Heights arrive in order. */
  void stored(Block block, BlockExecution execution);

  /** Consensus stopped committing on this node for {@code fault}: nothing will be stored any more. */
  void halted(String fault);
}
