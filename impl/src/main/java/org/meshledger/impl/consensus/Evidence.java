package org.meshledger.impl.consensus;

import java.util.Objects;

/**
 * Proof that a validator equivocated: two different signed votes of the same kind for the same height and
 * round, or two different signed proposals for the same height and round. Both messages verify, so anyone
 * holding the validator set can check the evidence offline.
 */
public record Evidence(ConsensusMessage first, ConsensusMessage second) {
  public Evidence {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(second, "second");
  }

  public org.meshledger.chain.NodeId offender() {
    return first instanceof Vote v ? v.validator() : ((Proposal) first).proposer();
  }
}
