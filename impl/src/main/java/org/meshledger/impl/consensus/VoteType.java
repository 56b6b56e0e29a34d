package org.meshledger.impl.consensus;

import org.meshledger.chain.CommitCertificate;
import org.meshledger.codec.DecodeException;

/** The two kinds of vote in a round. The codes are part of the signed bytes; precommit's is the certificate's. */
public enum VoteType {
  PREVOTE(1),
  PRECOMMIT(CommitCertificate.PRECOMMIT);

  private final int code;

  VoteType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  static VoteType fromCode(int code) {
    for (VoteType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new DecodeException("vote type: unknown code " + code);
  }
}
