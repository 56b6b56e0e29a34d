package org.meshledger.chain;

import org.meshledger.codec.DecodeException;

/** What a transaction does; its code is the byte that names it in the canonical encoding. */
public enum TransactionKind {
  /** Writes an application entry (key, value, optional expected version). */
  DATA(1),
  /** Moves an amount from the sender to a recipient. */
  TRANSFER(2),
  /** A service node's signed answer to the epoch challenge: evidence of service for the reward pools. */
  CHALLENGE_RESPONSE(3),
  /** Registers the sender as a Secure or Super Node, locking its tier's bond. */
  SERVICE_REGISTRATION(4),
  /** Starts the sender's exit from the service nodes; its bond returns after the unbonding delay. */
  SERVICE_EXIT(5);

  private final int code;

  TransactionKind(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static TransactionKind fromCode(int code) {
    for (TransactionKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    throw new DecodeException("unknown transaction kind " + code);
  }
}
