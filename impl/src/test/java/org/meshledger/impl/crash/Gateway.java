package org.meshledger.impl.crash;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Transaction;

/**
 * How the load client reaches the nodes: in another process over its operator channel ({@link Cluster}) or in
 * this JVM ({@link InJvmFleet}). Every future completes, at the latest when {@code timeout} has passed (with
 * {@link Submission.Unknown}).
 */
interface Gateway {
  /** The indexes of the nodes that accept submits now. */
  List<Integer> live();

  /** Submits {@code tx} at node {@code node}; completes when the node reports it final, refuses it, or is gone. */
  CompletableFuture<Submission> submit(int node, Transaction tx, Duration timeout);

  /** Looks up a committed transaction by id at node {@code node}: the receipt, empty if not committed there. */
  CompletableFuture<Optional<Submission.Final>> lookup(int node, Hash txId, Duration timeout);
}
