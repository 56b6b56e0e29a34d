package org.meshledger.impl.consensus;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.meshledger.chain.Hash;
import org.meshledger.chain.NodeId;

/**
 * What one node has seen of one round of the current height: the proposals of the round's proposer (the
 * first counts; a second, different one is evidence and kept only so its block can still be decided), the
 * prevotes and precommits, the validators heard from (for the f+1 round skip), and which "for the first
 * time" rules of the paper have already fired.
 */
final class RoundState {
  final VoteSet prevotes;
  final VoteSet precommits;
  final List<Proposal> proposals = new ArrayList<>(2);
  final Set<NodeId> senders = new HashSet<>();
  boolean prevoteTimeoutScheduled;
  boolean precommitTimeoutScheduled;
  boolean lockRuleFired;

  RoundState(ConsensusConfig config, long height, int round) {
    prevotes = new VoteSet(config.chainId(), config.validators(), VoteType.PREVOTE, height, round, config.verifier());
    precommits = new VoteSet(config.chainId(), config.validators(), VoteType.PRECOMMIT, height, round, config.verifier());
  }

  VoteSet votes(VoteType type) {
    return type == VoteType.PREVOTE ? prevotes : precommits;
  }

  /** The proposal that counts for voting in this round, or null. */
  Proposal proposal() {
    return proposals.isEmpty() ? null : proposals.get(0);
  }

  /** A proposal of this round for {@code block}, or null. */
  Proposal proposalFor(Hash block) {
    for (Proposal p : proposals) {
      if (p.value().hash().equals(block)) {
        return p;
      }
    }
    return null;
  }
}
