package org.meshledger.impl.consensus;

/**
 * What a validator must persist, and have on disk <em>before</em> any message it signs leaves the node, to
 * stay safe across a crash and restart (Tendermint's "last sign state" plus the lock):
 *
 * <ul>
 *   <li>the height and round of its latest signed message and the proposal, prevote and precommit it
 *       signed in that round, so that after a restart it re-sends those instead of signing a different one
 *       (signing twice in one round is equivocation, and enough of it breaks safety);
 *   <li>its lock ({@code lockedValue}, {@code lockedRound}): forgetting it would let it prevote against a
 *       value that may already be decided;
 *   <li>its valid value and round, and the 2f+1 prevotes that made them valid (the proof of lock): after
 *       a restart it re-proposes that value with that round, and the other validators prevote it only once
 *       they see the proof, which nobody else may still hold. Liveness needs this, safety does not;
 *   <li>the votes it signed in the rounds of this height it has left (the last {@value #EARLIER_ROUNDS}): a
 *       validator still in one of those rounds may need exactly them to reach a quorum and time out, and after a
 *       restart nothing else could send them again. Liveness needs this too (the simulator found three honest
 *       validators of four waiting for each other for ever without it), as CometBFT replays its write-ahead log.
 * </ul>
 *
 * Together with the committed chain this is all a restarted validator needs: it resumes at the next height,
 * and if this record is for that height, in the recorded round with the recorded lock. A record for a
 * height already committed is stale and ignored.
 */
public record SafetyRecord(long height, int round, Proposal proposal, Vote prevote, Vote precommit,
    int lockedRound, Candidate lockedValue, int validRound, Candidate validValue, java.util.List<Vote> validProof,
    java.util.List<Vote> earlierVotes) {
  /** Rounds before the current one whose own votes the record keeps. */
  public static final int EARLIER_ROUNDS = 8;

  public SafetyRecord {
    validProof = java.util.List.copyOf(validProof);
    earlierVotes = java.util.List.copyOf(earlierVotes);
  }

  /** A record without votes of earlier rounds (as version 2 of the file held). */
  public SafetyRecord(long height, int round, Proposal proposal, Vote prevote, Vote precommit, int lockedRound, Candidate lockedValue,
      int validRound, Candidate validValue, java.util.List<Vote> validProof) {
    this(height, round, proposal, prevote, precommit, lockedRound, lockedValue, validRound, validValue, validProof, java.util.List.of());
  }

  static SafetyRecord empty(long height) {
    return new SafetyRecord(height, 0, null, null, null, -1, null, -1, null, java.util.List.of());
  }

  /**
   * This record moved to {@code round}: the votes signed in the round it leaves join the earlier ones (those of the
   * last {@value #EARLIER_ROUNDS} rounds are kept), and the proposal is forgotten.
   */
  SafetyRecord atRound(int newRound) {
    if (newRound == round) {
      return this;
    }
    java.util.List<Vote> earlier = new java.util.ArrayList<>();
    for (Vote v : earlierVotes) {
      if (v.round() >= newRound - EARLIER_ROUNDS) {
        earlier.add(v);
      }
    }
    if (round >= newRound - EARLIER_ROUNDS) {
      if (prevote != null) {
        earlier.add(prevote);
      }
      if (precommit != null) {
        earlier.add(precommit);
      }
    }
    return new SafetyRecord(height, newRound, null, null, null, lockedRound, lockedValue, validRound, validValue, validProof, earlier);
  }

  SafetyRecord withProposal(Proposal p) {
    return new SafetyRecord(height, round, p, prevote, precommit, lockedRound, lockedValue, validRound, validValue, validProof, earlierVotes);
  }

  SafetyRecord withVote(Vote v) {
    return v.type() == VoteType.PREVOTE
        ? new SafetyRecord(height, round, proposal, v, precommit, lockedRound, lockedValue, validRound, validValue, validProof, earlierVotes)
        : new SafetyRecord(height, round, proposal, prevote, v, lockedRound, lockedValue, validRound, validValue, validProof, earlierVotes);
  }

  SafetyRecord withLocks(int newLockedRound, Candidate newLockedValue, int newValidRound, Candidate newValidValue,
      java.util.List<Vote> newValidProof) {
    return new SafetyRecord(height, round, proposal, prevote, precommit, newLockedRound, newLockedValue, newValidRound, newValidValue,
        newValidProof, earlierVotes);
  }

  /** The vote of {@code type} already signed in {@code atRound}, or null. */
  Vote signed(VoteType type, int atRound) {
    if (atRound != round) {
      return null;
    }
    return type == VoteType.PREVOTE ? prevote : precommit;
  }
}
