package org.meshledger.impl.consensus;

import java.util.Objects;
import org.meshledger.chain.Limits;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;

/**
 * What a consensus state machine is configured with.
 *
 * @param chainId the chain, bound into every signature
 * @param validators who proposes, votes and signs certificates (equal power)
 * @param parameters timeouts and block interval
 * @param key this node's key, or null for a follower; a key outside {@code validators} also only follows
 * @param verifier how signatures are checked (a cache in the simulator)
 */
public record ConsensusConfig(String chainId, ValidatorSet validators, ConsensusParameters parameters, KeyPair key,
    SignatureVerifier verifier) {
  public ConsensusConfig {
    Limits.checkChainId(chainId);
    Objects.requireNonNull(validators, "validators");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(verifier, "verifier");
  }

  /** True if this node votes. */
  public boolean isValidator() {
    return key != null && validators.contains(key.nodeId());
  }

  /** The most validators that may be faulty: f with n = 3f + 1 (or more). */
  public int maxFaulty() {
    return (validators.size() - 1) / 3;
  }

  /** More than a third of the validators: at least one of them is honest. */
  public int oneThirdPlus() {
    return validators.size() / 3 + 1;
  }

  long timeoutPropose(int round) {
    return parameters.proposeTimeout().toMillis() + (long) round * parameters.timeoutIncrement().toMillis();
  }

  long timeoutVote(int round) {
    return parameters.voteTimeout().toMillis() + (long) round * parameters.timeoutIncrement().toMillis();
  }
}
