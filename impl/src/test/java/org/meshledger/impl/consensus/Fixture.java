package org.meshledger.impl.consensus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;

/** Keys, a validator set and a recording host for driving one {@link Tendermint} by hand. */
final class Fixture {
  static final String CHAIN = "unit-chain";
  static final Hash GENESIS = Hash.sha256(new byte[] {1, 2, 3});
  static final ConsensusParameters PARAMS = new ConsensusParameters(Duration.ofMillis(1000), Duration.ofMillis(500),
      Duration.ofMillis(250), Duration.ofMillis(0), Duration.ofSeconds(10), 100);

  final List<KeyPair> keys = new ArrayList<>();
  final ValidatorSet validators;

  Fixture(int n) {
    for (int i = 0; i < n; i++) {
      keys.add(ConsensusSim.key(i));
    }
    validators = ValidatorSet.of(keys.stream().map(KeyPair::nodeId).toList());
  }

  /** The key of the validator at {@code index} in the set's (sorted) order. */
  KeyPair validator(int index) {
    NodeId id = validators.validators().get(index);
    return keys.stream().filter(k -> k.nodeId().equals(id)).findFirst().orElseThrow();
  }

  ConsensusConfig config(KeyPair key) {
    return new ConsensusConfig(CHAIN, validators, PARAMS, key, SignatureVerifier.DIRECT);
  }

  Candidate candidate(long height, Hash previous, NodeId proposer, long salt) {
    return Candidate.of(new BlockHeader(CHAIN, height, previous, 1_000 + salt, proposer, MerkleTree.rootOf(List.of()), 0, Hash.ZERO,
        validators.hash()), List.of());
  }

  /** A host that records everything the machine does. */
  static final class Host implements ConsensusHost {
    final Fixture fixture;
    final NodeId self;
    long now;
    final List<ConsensusMessage> sent = new ArrayList<>();
    final List<Map.Entry<NodeId, ConsensusMessage>> direct = new ArrayList<>();
    final List<Map.Entry<Timeout, Long>> timers = new ArrayList<>();
    final List<Block> chain = new ArrayList<>();
    SafetyRecord persisted;
    long salt;

    Host(Fixture fixture, NodeId self) {
      this.fixture = fixture;
      this.self = self;
    }

    @Override
    public long now() {
      return now;
    }

    @Override
    public void schedule(Timeout timeout, long delayMillis) {
      timers.add(Map.entry(timeout, delayMillis));
    }

    @Override
    public void broadcast(ConsensusMessage message) {
      sent.add(message);
    }

    @Override
    public void send(NodeId to, ConsensusMessage message) {
      direct.add(Map.entry(to, message));
    }

    @Override
    public Candidate propose(long height, Hash previousHash) {
      return fixture.candidate(height, previousHash, self, salt++);
    }

    @Override
    public void commit(Block block) {
      chain.add(block);
    }

    @Override
    public void persist(SafetyRecord record) {
      persisted = record;
    }

    /** The votes this node sent of {@code type}, in order. */
    List<Vote> votes(VoteType type) {
      return sent.stream().filter(m -> m instanceof Vote v && v.type() == type).map(Vote.class::cast).toList();
    }

    Vote lastVote(VoteType type) {
      List<Vote> v = votes(type);
      return v.isEmpty() ? null : v.get(v.size() - 1);
    }

    /** The delay of the last timer of {@code kind} scheduled. */
    long lastDelay(Timeout.Kind kind) {
      long d = -1;
      for (Map.Entry<Timeout, Long> e : timers) {
        if (e.getKey().kind() == kind) {
          d = e.getValue();
        }
      }
      return d;
    }
  }
}
