package org.meshledger.chain;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.meshledger.genesis.Member;

/**
 * The hard bounds of the data model. Encoders refuse values beyond them and decoders check them before
 * allocating, so a hostile peer cannot make a node allocate more than these sizes.
 */
public final class Limits {
  /** Chain ids: 1 to 64 characters of {@code [A-Za-z0-9._-]}. */
  public static final int MAX_CHAIN_ID_BYTES = 64;
  /** DATA keys: 1 to 256 UTF-8 bytes. */
  public static final int MAX_DATA_KEY_BYTES = 256;
  /** DATA values: up to 64 KiB. */
  public static final int MAX_DATA_VALUE_BYTES = 64 * 1024;
  /** Proof bytes of a CHALLENGE_RESPONSE: up to 1 KiB. */
  public static final int MAX_PROOF_BYTES = 1024;
  /** The encoding of one transaction cannot exceed this. */
  public static final int MAX_TRANSACTION_BYTES = MAX_DATA_VALUE_BYTES + 1024;
  /** Transactions in one block. */
  public static final int MAX_BLOCK_TRANSACTIONS = 100_000;
  /** Signatures in one commit certificate (and so validators in a set). */
  public static final int MAX_VALIDATORS = 1024;
  /** Members listed in a genesis file. */
  public static final int MAX_MEMBERS = 10_000;
  /** Member names: up to 128 UTF-8 bytes. */
  public static final int MAX_NAME_BYTES = 128;

  private Limits() {}

  /** 1 to 64 characters of {@code A-Z a-z 0-9 . _ -}; a loop, not a regex: every transaction decoded is checked. */
  private static boolean isChainId(String s) {
    int n = s.length();
    if (n < 1 || n > 64) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** Returns {@code chainId} if valid, else fails naming the rule. */
  public static String checkChainId(String chainId) {
    Objects.requireNonNull(chainId, "chainId");
    if (!isChainId(chainId)) {
      throw new IllegalArgumentException("chain id '" + chainId + "' must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
    }
    return chainId;
  }

  /**
   * Returns {@code value} if its UTF-8 encoding is {@code min} to {@code max} bytes long, the check every string of
   * the API's values passes; otherwise throws an {@code IllegalArgumentException} naming {@code what} and the limits.
   */
  public static String checkUtf8(String value, int min, int max, String what) {
    Objects.requireNonNull(value, what);
    int n = value.getBytes(StandardCharsets.UTF_8).length;
    if (n < min || n > max) {
      throw new IllegalArgumentException(what + " must be " + min + " to " + max + " UTF-8 bytes, got " + n);
    }
    return value;
  }
}
