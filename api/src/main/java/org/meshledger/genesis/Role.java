package org.meshledger.genesis;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.meshledger.Node;
import org.meshledger.codec.DecodeException;

/** What a member of the network does. A member may hold several roles. */
public enum Role {
  /** Takes part in consensus and signs commit certificates. */
  VALIDATOR(0),
  /** A service node of the Secure Node tier: answers epoch challenges and earns from that tier's pool. */
  SECURE_NODE(1),
  /** A service node of the Super Node tier: answers epoch challenges and earns from that tier's pool. */
  SUPER_NODE(2),
  /** Holds and reads the chain, signs transactions, but neither votes nor earns pool rewards. */
  OBSERVER(3);

  /** Bits used by {@link #mask}; any other bit in an encoded mask is an error. */
  private static final int KNOWN = 0b1111;

  private final int bit;

  /**
   * @param bit the role's bit in encodings (genesis, handshake): fixed here, never the declaration order, so
   *     that adding or reordering roles cannot change a genesis hash
   */
  Role(int bit) {
    this.bit = bit;
  }

  /** The roles as a bit mask of the canonical encoding. */
  public static int mask(Set<Role> roles) {
    int mask = 0;
    for (Role r : roles) {
      mask |= 1 << r.bit;
    }
    return mask;
  }

  /**
   * The roles of an encoded mask.
   *
   * @throws DecodeException naming {@code what} if the mask has a bit no role has
   */
  public static Set<Role> fromMask(int mask, String what) {
    if ((mask & ~KNOWN) != 0) {
      throw new DecodeException(what + ": unknown role bits in " + mask);
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (Role r : values()) {
      if ((mask & 1 << r.bit) != 0) {
        roles.add(r);
      }
    }
    return roles;
  }

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
