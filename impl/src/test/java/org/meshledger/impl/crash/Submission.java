package org.meshledger.impl.crash;

import org.meshledger.chain.Hash;

/** What a client learns from one submit: a final receipt, a refusal with its reason, or nothing certain. */
sealed interface Submission {

  /**
   * A receipt a node reported final: the transaction at {@code index} of block {@code height}, whose header
   * hashes to {@code blockHash}; {@code outcome} is ACCEPTED, FAILED or INVALID; {@code node} reported it.
   */
  record Final(Hash txId, long height, int index, Hash blockHash, String outcome, String node) implements Submission {
    /** The receipt's position as one readable phrase for failure messages. */
    String where() {
      return "tx " + txId.toHex().substring(0, 16) + " at height " + height + " index " + index + " (block "
          + blockHash.toHex().substring(0, 16) + ", reported final by " + node + ")";
    }
  }

  /** The node refused the transaction before it was final (mempool rules): it may still be final elsewhere. */
  record Refused(String reason) implements Submission {}

  /** No answer: the node died, stopped or timed out. The transaction may or may not commit. */
  record Unknown(String reason) implements Submission {}
}
