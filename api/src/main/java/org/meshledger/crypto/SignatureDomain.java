package org.meshledger.crypto;

/**
 * What a signature is for. Every signed message is prefixed with its domain's tag and the chain id (see
 * {@link Ed25519#signingInput}), so a signature made for one purpose or one chain never verifies for another.
 */
public enum SignatureDomain {
  /** A transaction's body. */
  TRANSACTION("meshledger/transaction/v1"),
  /** A consensus vote (prevote or precommit) and so the entries of a commit certificate. */
  VOTE("meshledger/vote/v1"),
  /** A consensus block proposal. */
  PROPOSAL("meshledger/proposal/v1"),
  /** The peer handshake over both sides' nonces. */
  HANDSHAKE("meshledger/handshake/v1"),
  /** A service node's answer to an epoch challenge. */
  CHALLENGE("meshledger/challenge/v1");

  private final String tag;

  SignatureDomain(String tag) {
    this.tag = tag;
  }

  /** The tag written at the start of every signed message of this domain. */
  public String tag() {
    return tag;
  }
}
