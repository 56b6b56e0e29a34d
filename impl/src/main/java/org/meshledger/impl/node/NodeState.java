package org.meshledger.impl.node;

/**
 * What a node's parts (its ledger, events, batches) need to know of its life: whether it serves calls, and the
 * exception that refuses a call when it does not. {@link NodeLifecycle} is the real one; a test may pass
 * {@code () -> true}. Any thread.
 */
@FunctionalInterface
interface NodeState {
  /** True while the node is STARTING or RUNNING: its store is open and its context runs. */
  boolean serving();

  /**
   * An exception for a call the node cannot take now ({@code action}: "submit transactions"); the real one names
   * the node, its state and what to do.
   */
  default IllegalStateException refusal(String action) {
    return new IllegalStateException("cannot " + action + ": the node is not running");
  }
}
