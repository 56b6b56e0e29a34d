package org.meshledger.impl.consensus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.meshledger.CommitCertificate;
import org.meshledger.CommitSignature;
import org.meshledger.Hash;
import org.meshledger.NodeId;
import org.meshledger.ValidatorSet;

/**
 * The votes of one kind in one round of one height: at most one counted vote per validator. A vote from a
 * non-validator, for another slot, or with a bad signature is rejected; a second, different vote from a
 * validator that already voted is not counted but kept as {@link Evidence} of equivocation. An identical
 * repeat (flooding delivers messages many times) is recognised before its signature is checked again.
 *
 * <p>Not thread-safe: owned by one state machine.
 */
final class VoteSet {
  /** What {@link #add} did with a vote. */
  enum Outcome {
    ADDED, DUPLICATE, EQUIVOCATION, INVALID
  }

  private final String chainId;
  private final ValidatorSet validators;
  private final VoteType type;
  private final long height;
  private final int round;
  private final SignatureVerifier verifier;
  private final Map<NodeId, Vote> votes = new LinkedHashMap<>();
  private final Map<Hash, Integer> counts = new HashMap<>(); // null key: nil
  private final List<Evidence> evidence = new ArrayList<>();

  VoteSet(String chainId, ValidatorSet validators, VoteType type, long height, int round, SignatureVerifier verifier) {
    this.chainId = chainId;
    this.validators = validators;
    this.type = type;
    this.height = height;
    this.round = round;
    this.verifier = verifier;
  }

  /**
   * Adds a vote. {@code trusted} skips the signature check, for this node's own votes only.
   */
  Outcome add(Vote v, boolean trusted) {
    if (v.type() != type || v.height() != height || v.round() != round || !validators.contains(v.validator())) {
      return Outcome.INVALID;
    }
    Vote existing = votes.get(v.validator());
    if (existing != null && existing.equals(v)) {
      return Outcome.DUPLICATE;
    }
    if (!trusted && !v.verify(chainId, verifier)) {
      return Outcome.INVALID;
    }
    if (existing != null) {
      if (Objects.equals(existing.block(), v.block())) {
        return Outcome.DUPLICATE; // same vote, another valid signature encoding: nothing new
      }
      if (evidence.stream().noneMatch(e -> ((Vote) e.second()).validator().equals(v.validator()))) {
        evidence.add(new Evidence(existing, v));
      }
      return Outcome.EQUIVOCATION;
    }
    votes.put(v.validator(), v);
    counts.merge(v.block(), 1, Integer::sum);
    return Outcome.ADDED;
  }

  /** The counted vote of {@code validator}, or null. */
  Vote voteOf(NodeId validator) {
    return votes.get(validator);
  }

  /** How many validators voted for {@code block} ({@code null}: nil). */
  int count(Hash block) {
    return counts.getOrDefault(block, 0);
  }

  /** How many validators' votes are counted, whatever they voted for. */
  int total() {
    return votes.size();
  }

  boolean quorumAny() {
    return votes.size() >= validators.quorum();
  }

  boolean quorumFor(Hash block) {
    return count(block) >= validators.quorum();
  }

  /** The block (never nil) that more than two thirds voted for, or null. */
  Hash quorumBlock() {
    for (Map.Entry<Hash, Integer> e : counts.entrySet()) {
      if (e.getKey() != null && e.getValue() >= validators.quorum()) {
        return e.getKey();
      }
    }
    return null;
  }

  /** All counted votes, in arrival order. */
  List<Vote> votes() {
    return List.copyOf(votes.values());
  }

  List<Evidence> evidence() {
    return List.copyOf(evidence);
  }

  /** The certificate formed by the precommits for {@code block}; only if they reach a quorum. */
  CommitCertificate certificate(Hash block) {
    if (type != VoteType.PRECOMMIT || !quorumFor(block)) {
      throw new IllegalStateException("no quorum of precommits for " + block + " at height " + height + " round " + round);
    }
    List<CommitSignature> sigs = new ArrayList<>();
    for (Vote v : votes.values()) {
      if (block.equals(v.block())) {
        sigs.add(v.asCommitSignature());
      }
    }
    return new CommitCertificate(height, round, block, sigs);
  }
}
