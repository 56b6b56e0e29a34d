package org.meshledger.impl.consensus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.CommitSignature;
import org.meshledger.chain.Hash;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.ValidatorSet;

/**
 * The votes of one kind in one round of one height. A vote from a non-validator, for another slot, or with a
 * bad signature is rejected; an identical repeat (flooding delivers messages many times) is recognised before
 * its signature is checked again.
 *
 * <p>Counting follows the paper: "2f+1 PREVOTE for id(v)" counts distinct validators that signed a vote for
 * v, and "2f+1 PREVOTE for *" counts distinct validators that voted at all. A validator that signs two
 * different votes in the slot has equivocated: the pair is kept as {@link Evidence}, and its second vote still
 * counts for its value, as it does at every node that saw only that one (this keeps a proof of lock that a
 * Byzantine vote helped form checkable everywhere; quorum intersection stays safe because an honest
 * validator signs one vote a slot). To bound memory, a validator's third and later values are counted only
 * for a value that more than f other validators also voted for, so at least one honest one: a flood of
 * made-up values is dropped, while the values that matter are still taken when they are re-sent.
 *
 * <p>Not thread-safe: owned by one state machine.
 */
final class VoteSet {
  /** What {@link #add} did with a vote. */
  enum Outcome {
    ADDED, DUPLICATE, EQUIVOCATION, INVALID
  }

  private static final int FREE_VALUES_PER_VALIDATOR = 2;

  private final String chainId;
  private final ValidatorSet validators;
  private final VoteType type;
  private final long height;
  private final int round;
  private final SignatureVerifier verifier;
  private final int oneThirdPlus;
  private final Map<NodeId, List<Vote>> byValidator = new LinkedHashMap<>();
  private final Map<Hash, Set<NodeId>> supporters = new HashMap<>(); // null key: nil
  private final List<Evidence> evidence = new ArrayList<>();

  VoteSet(String chainId, ValidatorSet validators, VoteType type, long height, int round, SignatureVerifier verifier) {
    this.chainId = chainId;
    this.validators = validators;
    this.type = type;
    this.height = height;
    this.round = round;
    this.verifier = verifier;
    this.oneThirdPlus = validators.size() / 3 + 1;
  }

  /** Adds a vote. {@code trusted} skips the signature check, for this node's own votes only. */
  Outcome add(Vote v, boolean trusted) {
    return add(v, trusted, false);
  }

  /** {@link Bug#ACCEPT_STALE_VOTE_ROUND} only: counts a vote of an earlier round here, as if cast in this one. */
  Outcome addFromEarlierRound(Vote v, boolean trusted) {
    return add(v, trusted, true);
  }

  private Outcome add(Vote v, boolean trusted, boolean earlierRoundToo) {
    boolean roundFits = v.round() == round || earlierRoundToo && v.round() < round;
    if (v.type() != type || v.height() != height || !roundFits || !validators.contains(v.validator())) {
      return Outcome.INVALID;
    }
    List<Vote> mine = byValidator.get(v.validator());
    if (mine != null) {
      for (Vote held : mine) {
        if (Objects.equals(held.block(), v.block())) {
          return Outcome.DUPLICATE; // the same vote again (or re-signed): nothing new
        }
      }
      Set<NodeId> others = supporters.get(v.block());
      if (mine.size() >= FREE_VALUES_PER_VALIDATOR && (others == null || others.size() < oneThirdPlus)) {
        return Outcome.EQUIVOCATION; // evidence is already held; do not even verify
      }
    }
    if (!trusted && !v.verify(chainId, verifier)) {
      return Outcome.INVALID;
    }
    supporters.computeIfAbsent(v.block(), k -> new LinkedHashSet<>()).add(v.validator());
    if (mine == null) {
      byValidator.put(v.validator(), new ArrayList<>(List.of(v)));
      return Outcome.ADDED;
    }
    if (mine.size() == 1) {
      evidence.add(new Evidence(mine.get(0), v));
    }
    mine.add(v);
    return Outcome.EQUIVOCATION;
  }

  /** How many validators voted for {@code block} ({@code null}: nil). */
  int count(Hash block) {
    Set<NodeId> s = supporters.get(block);
    return s == null ? 0 : s.size();
  }

  /** How many validators voted, whatever they voted for. */
  int total() {
    return byValidator.size();
  }

  boolean quorumAny() {
    return byValidator.size() >= validators.quorum();
  }

  boolean quorumFor(Hash block) {
    return count(block) >= validators.quorum();
  }

  /** The block (never nil) that more than two thirds voted for, or null. */
  Hash quorumBlock() {
    for (Map.Entry<Hash, Set<NodeId>> e : supporters.entrySet()) {
      if (e.getKey() != null && e.getValue().size() >= validators.quorum()) {
        return e.getKey();
      }
    }
    return null;
  }

  /** The votes held from {@code validator} (one, or two if it equivocated). */
  List<Vote> by(NodeId validator) {
    return byValidator.getOrDefault(validator, List.of());
  }

  /** All votes held, in arrival order by validator. */
  List<Vote> votes() {
    List<Vote> all = new ArrayList<>();
    byValidator.values().forEach(all::addAll);
    return all;
  }

  /** The votes held for {@code block} ({@code null}: nil). */
  List<Vote> votesFor(Hash block) {
    List<Vote> out = new ArrayList<>();
    for (List<Vote> vs : byValidator.values()) {
      for (Vote v : vs) {
        if (Objects.equals(v.block(), block)) {
          out.add(v);
        }
      }
    }
    return out;
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
    for (Vote v : votesFor(block)) {
      sigs.add(v.asCommitSignature());
    }
    return new CommitCertificate(height, round, block, sigs);
  }
}
