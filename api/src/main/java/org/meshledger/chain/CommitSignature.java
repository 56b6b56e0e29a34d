package org.meshledger.chain;

import java.util.Objects;

/**
 * One validator's precommit signature inside a {@link CommitCertificate}.
 *
 * @param validator the signer
 * @param signature its signature over {@link CommitCertificate#voteMessage} in the vote domain
 */
public record CommitSignature(NodeId validator, Signature signature) {
  public CommitSignature {
    Objects.requireNonNull(validator, "validator");
    Objects.requireNonNull(signature, "signature");
  }
}
