package org.meshledger.impl.crash;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;

/**
 * The network under test: node keys (validators first, then followers), funded client accounts and the
 * genesis, all derived from the seed so that a replay builds the same chain identity.
 */
final class Consortium {
  /** Short timeouts as in LedgerIT: a block each 300 ms while idle, so the chain keeps moving. */
  static final ConsensusParameters FAST = new ConsensusParameters(Duration.ofMillis(400), Duration.ofMillis(200),
      Duration.ofMillis(100), Duration.ofMillis(50), Duration.ofMillis(300), 2000);
  static final long FUNDS = 1_000_000_000L;

  final int validators;
  final List<KeyPair> nodeKeys = new ArrayList<>();
  final List<String> names = new ArrayList<>();
  final List<KeyPair> clients = new ArrayList<>();
  final Genesis genesis;

  Consortium(String chainId, int validators, int followers, int clients, long seed) {
    this.validators = validators;
    SplittableRandom random = new SplittableRandom(seed ^ 0x5eedc0de);
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < validators + followers; i++) {
      KeyPair k = key(random);
      String name = i < validators ? "validator-" + i : "follower-" + (i - validators);
      nodeKeys.add(k);
      names.add(name);
      members.add(Member.of(name, k.nodeId(), i < validators ? Role.VALIDATOR : Role.OBSERVER));
    }
    Map<AccountId, Amount> balances = new HashMap<>();
    for (int i = 0; i < clients; i++) {
      KeyPair c = key(random);
      this.clients.add(c);
      balances.put(c.accountId(), Amount.of(FUNDS));
    }
    KeyPair treasury = key(random);
    genesis = new Genesis(chainId, Instant.parse("2026-01-01T00:00:00Z"), true, members, FAST,
        IncentivePolicy.feesTo(treasury.accountId()), balances);
  }

  int size() {
    return nodeKeys.size();
  }

  private static KeyPair key(SplittableRandom random) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    return KeyPair.fromSeed(seed);
  }
}
