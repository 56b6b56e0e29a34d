package org.meshledger.genesis;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Limits;
import org.meshledger.chain.NodeId;

/**
 * A member of a network as its genesis file lists it.
 *
 * @param name a readable name (1 to 128 UTF-8 bytes), unique in the genesis
 * @param key the member's Ed25519 public key: its node identity and account
 * @param roles at least one role
 */
public record Member(String name, NodeId key, Set<Role> roles) {
  public Member {
    Limits.checkUtf8(name, 1, Limits.MAX_NAME_BYTES, "member name");
    Objects.requireNonNull(key, "key");
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("member '" + name + "' needs at least one role");
    }
    roles = Set.copyOf(EnumSet.copyOf(roles));
  }

  public static Member of(String name, NodeId key, Role... roles) {
    return new Member(name, key, Set.of(roles));
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  /** This member's key as an account. */
  public AccountId account() {
    return new AccountId(key.key());
  }
}
