package org.meshledger;

import java.util.Locale;

/** What a member of the network does. A member may hold several roles. */
public enum Role {
  /** Takes part in consensus and signs commit certificates. */
  VALIDATOR,
  /** A service node of the Secure Node tier: answers epoch challenges and earns from that tier's pool. */
  SECURE_NODE,
  /** A service node of the Super Node tier: answers epoch challenges and earns from that tier's pool. */
  SUPER_NODE,
  /** Holds and reads the chain, signs transactions, but neither votes nor earns pool rewards. */
  OBSERVER;

  /** The name used in genesis files: lower case with hyphens ({@code secure-node}). */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Parses a genesis file name ({@code validator}, {@code secure-node}, {@code super-node}, {@code observer}).
   *
   * @throws IllegalArgumentException listing the valid names
   */
  public static Role fromJsonName(String name) {
    for (Role r : values()) {
      if (r.jsonName().equals(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown role '" + name + "' (valid: validator, secure-node, super-node, observer)");
  }
}
