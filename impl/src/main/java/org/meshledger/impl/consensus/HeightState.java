package org.meshledger.impl.consensus;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.meshledger.chain.Hash;
import org.meshledger.chain.NodeId;

/**
 * What one node has seen of the height it is deciding: a {@link RoundState} per round, created when a valid
 * message for the round arrives. Rounds more than {@link Tendermint#MAX_ROUNDS_AHEAD} past the current one
 * are ignored, which bounds memory per height. Replaced as a whole when the height is decided.
 */
final class HeightState {
  private final ConsensusConfig config;
  private final long height;
  private final Map<Integer, RoundState> rounds = new HashMap<>();
  private final Consumer<Evidence> evidence;

  HeightState(ConsensusConfig config, long height, Consumer<Evidence> evidence) {
    this.config = config;
    this.height = height;
    this.evidence = evidence;
  }

  /** The state of round {@code r}, or null if nothing was seen of it. */
  RoundState get(int r) {
    return rounds.get(r);
  }

  /** The state of round {@code r}, created if needed. */
  RoundState state(int r) {
    return rounds.computeIfAbsent(r, x -> new RoundState(config, height, x));
  }

  Collection<RoundState> all() {
    return rounds.values();
  }

  /** Records a proposal signed by {@code proposer}, the proposer of its round, if its signature holds. */
  void addProposal(Proposal p, NodeId proposer, int maxRound) {
    if (p.round() < 0 || p.round() > maxRound || !p.proposer().equals(proposer)) {
      return;
    }
    RoundState rs = state(p.round());
    for (Proposal held : rs.proposals) {
      if (held.equals(p) || held.value().hash().equals(p.value().hash()) && held.validRound() == p.validRound()) {
        return;
      }
    }
    if (!p.verify(config.chainId(), config.verifier())) {
      return;
    }
    rs.senders.add(p.proposer());
    if (rs.proposals.size() >= 2) {
      return; // an equivocating proposer: one conflicting proposal is evidence enough
    }
    if (!rs.proposals.isEmpty()) {
      evidence.accept(new Evidence(rs.proposals.get(0), p));
    }
    rs.proposals.add(p);
  }

  /** Records a vote; {@code own} votes skip the signature check. */
  void addVote(Vote v, boolean own, int maxRound) {
    if (v.round() < 0 || v.round() > maxRound) {
      return;
    }
    RoundState rs = state(v.round());
    VoteSet set = rs.votes(v.type());
    int before = set.evidence().size();
    VoteSet.Outcome outcome = set.add(v, own);
    if (outcome == VoteSet.Outcome.ADDED) {
      rs.senders.add(v.validator());
    } else if (outcome == VoteSet.Outcome.EQUIVOCATION && set.evidence().size() > before) {
      evidence.accept(set.evidence().get(before));
    }
  }

  /** A proposed block with hash {@code b} from any round of this height, or null. */
  Candidate candidate(Hash b) {
    for (RoundState rs : rounds.values()) {
      for (Proposal p : rs.proposals) {
        if (p.value().hash().equals(b)) {
          return p.value();
        }
      }
    }
    return null;
  }

  /** The highest round above {@code round} in which at least {@code senders} validators were heard, or -1. */
  int skipTarget(int round, int senders) {
    int target = -1;
    for (Map.Entry<Integer, RoundState> e : rounds.entrySet()) {
      if (e.getKey() > round && e.getKey() > target && e.getValue().senders.size() >= senders) {
        target = e.getKey();
      }
    }
    return target;
  }

  void describe(StringBuilder s) {
    new TreeMap<>(rounds).forEach((r, rs) -> s.append(" [r").append(r).append(" props ").append(rs.proposals.size())
        .append(" pv ").append(rs.prevotes.total()).append(" pc ").append(rs.precommits.total())
        .append(" senders ").append(rs.senders.size()).append(']'));
  }
}
