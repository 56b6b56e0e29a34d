package org.meshledger.impl.consensus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
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
      keys.add(org.meshledger.impl.sim.Schedule.key(i));
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

  /**
   * An empty block at {@code height} on {@code previous}; above height 1 it carries a previous commit of the first
   * quorum of validators (in set order) for {@code previous}.
   */
  Candidate candidate(long height, Hash previous, NodeId proposer, long salt) {
    return candidate(height, previous, height == 1 ? Optional.empty() : Optional.of(certificate(height - 1, previous, quorum())), proposer, salt);
  }

  /** An empty block at {@code height} on {@code previous}, carrying {@code previousCommit}. */
  Candidate candidate(long height, Hash previous, Optional<CommitCertificate> previousCommit, NodeId proposer, long salt) {
    return Candidate.of(new BlockHeader(CHAIN, height, previous, previousCommit.map(CommitCertificate::hash).orElse(Hash.ZERO), 1_000 + salt,
        proposer, MerkleTree.rootOf(List.of()), 0, Hash.ZERO, validators.hash()), List.of(), previousCommit);
  }

  /** The keys of the first quorum of validators, in set order. */
  List<KeyPair> quorum() {
    List<KeyPair> q = new ArrayList<>();
    for (int i = 0; i < validators.quorum(); i++) {
      q.add(validator(i));
    }
    return q;
  }

  /** Precommits of {@code signers} for {@code block} at {@code height}, round 0. */
  CommitCertificate certificate(long height, Hash block, List<KeyPair> signers) {
    return new CommitCertificate(height, 0, block, signers.stream().map(k -> CommitCertificate.precommit(k, CHAIN, height, 0, block)).toList());
  }

  /** A host that records everything the machine does. */
  static final class Host implements ConsensusHost {
    final Fixture fixture;
    final NodeId self;
    long now;
    final List<ConsensusMessage> sent = new ArrayList<>();
    final List<Map.Entry<Timeout, Long>> timers = new ArrayList<>();
    final List<Block> chain = new ArrayList<>();
    SafetyRecord persisted;
    /** Writes asked of this host's durable log so far (records and blocks). */
    int writes;
    /** True: writes are durable when persist and commit return; false: the test reports them with onDurable. */
    boolean synchronous = true;
    /** What hasWork() answers: work waits (the default), or the chain is idle. */
    boolean work = true;
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
    public boolean hasWork() {
      return work;
    }

    /** As a node does: carries the certificate it committed the previous block with, once it committed one. */
    @Override
    public Candidate propose(long height, Hash previousHash) {
      if (chain.isEmpty()) {
        return fixture.candidate(height, previousHash, self, salt++);
      }
      Block last = chain.get(chain.size() - 1);
      return fixture.candidate(height, previousHash, Optional.of(last.certificate()), self, salt++);
    }

    @Override
    public boolean commit(Block block) {
      chain.add(block);
      writes++;
      return synchronous;
    }

    @Override
    public boolean persist(SafetyRecord record) {
      persisted = record;
      writes++;
      return synchronous;
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
