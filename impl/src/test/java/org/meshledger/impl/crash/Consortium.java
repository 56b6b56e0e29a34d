package org.meshledger.impl.crash;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.spi.testsupport.TestGenesis;

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
    for (int i = 0; i < validators + followers; i++) {
      nodeKeys.add(key(random));
      names.add(i < validators ? "validator-" + i : "follower-" + (i - validators));
    }
    for (int i = 0; i < clients; i++) {
      this.clients.add(key(random));
    }
    KeyPair treasury = key(random);
    genesis = TestGenesis.chain(chainId).validators(validators).observers(followers).keys(nodeKeys.toArray(KeyPair[]::new))
        .consensus(FAST).fund(FUNDS, this.clients.toArray(KeyPair[]::new)).treasury(treasury.accountId()).build().genesis();
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
