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
 *       they see the proof, which nobody else may still hold. Liveness needs this, safety does not.
 * </ul>
 *
 * Together with the committed chain this is all a restarted validator needs: it resumes at the next height,
 * and if this record is for that height, in the recorded round with the recorded lock. A record for a
 * height already committed is stale and ignored.
 */
public record SafetyRecord(long height, int round, Proposal proposal, Vote prevote, Vote precommit,
    int lockedRound, Candidate lockedValue, int validRound, Candidate validValue, java.util.List<Vote> validProof) {

  public SafetyRecord {
    validProof = java.util.List.copyOf(validProof);
  }

  static SafetyRecord empty(long height) {
    return new SafetyRecord(height, 0, null, null, null, -1, null, -1, null, java.util.List.of());
  }

  /** This record moved to {@code round}, forgetting the messages signed in earlier rounds. */
  SafetyRecord atRound(int newRound) {
    return newRound == round ? this : new SafetyRecord(height, newRound, null, null, null, lockedRound, lockedValue, validRound, validValue, validProof);
  }

  SafetyRecord withProposal(Proposal p) {
    return new SafetyRecord(height, round, p, prevote, precommit, lockedRound, lockedValue, validRound, validValue, validProof);
  }

  SafetyRecord withVote(Vote v) {
    return v.type() == VoteType.PREVOTE
        ? new SafetyRecord(height, round, proposal, v, precommit, lockedRound, lockedValue, validRound, validValue, validProof)
        : new SafetyRecord(height, round, proposal, prevote, v, lockedRound, lockedValue, validRound, validValue, validProof);
  }

  SafetyRecord withLocks(int newLockedRound, Candidate newLockedValue, int newValidRound, Candidate newValidValue,
      java.util.List<Vote> newValidProof) {
    return new SafetyRecord(height, round, proposal, prevote, precommit, newLockedRound, newLockedValue, newValidRound, newValidValue,
        newValidProof);
  }

  /** The vote of {@code type} already signed in {@code atRound}, or null. */
  Vote signed(VoteType type, int atRound) {
    if (atRound != round) {
      return null;
    }
    return type == VoteType.PREVOTE ? prevote : precommit;
  }
}
