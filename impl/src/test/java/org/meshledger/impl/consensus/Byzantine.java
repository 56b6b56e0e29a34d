package org.meshledger.impl.consensus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleTree;
import org.meshledger.crypto.KeyPair;

/**
 * What a faulty validator does to the messages its (honest) machine sends. Each behaviour is one way real
 * validators go wrong; a schedule gives up to f of its validators one each. The messages stay validly signed:
 * the faults are in what is signed, to whom it goes, and when.
 */
final class Byzantine {
  /** One faulty validator's way of going wrong. */
  enum Behaviour {
    /** Each proposal and vote in two signed versions, one to each half of the other nodes. */
    EQUIVOCATE,
    /** Sends nothing it signs: no proposal, no vote. */
    WITHHOLD,
    /** Its proposals carry a block that no honest node may accept (a wrong transactions root). */
    INVALID_PROPOSAL,
    /** Votes for blocks that were never proposed. */
    UNKNOWN_VOTES,
    /** Sends what it sends, and replays old messages (earlier heights and rounds) at random. */
    REPLAY,
    /**
     * As proposer, re-proposes a value seen earlier at this height, naming the round it was proposed in as its valid
     * round: a stale proof of lock, which a validator locked in a later round must refuse (line 28's
     * {@code lockedRound <= validRound}).
     */
    STALE_PROOF_OF_LOCK,
    /** A second instance of the same key runs honest code beside it (Twins): together they equivocate. */
    TWIN
  }

  private final Behaviour behaviour;
  private final KeyPair key;
  private final String chainId;
  private final Random random;
  private final List<ConsensusMessage> history = new ArrayList<>();
  /** Per height, the proposals seen (its own and others'), by round. */
  private final Map<Long, Map<Integer, Proposal>> proposals = new HashMap<>();

  Byzantine(Behaviour behaviour, KeyPair key, String chainId, Random random) {
    this.behaviour = behaviour;
    this.key = key;
    this.chainId = chainId;
    this.random = random;
  }

  Behaviour behaviour() {
    return behaviour;
  }

  /** A proposal the node received: remembered for {@link Behaviour#STALE_PROOF_OF_LOCK}. */
  void saw(ConsensusMessage m) {
    if (m instanceof Proposal p) {
      proposals.computeIfAbsent(p.height(), h -> new HashMap<>()).putIfAbsent(p.round(), p);
    }
  }

  /**
   * The messages that go out instead of {@code m}, each with the half of the peers it goes to: 0 both halves, 1 the
   * first only, 2 the second only.
   */
  List<Out> corrupt(ConsensusMessage m) {
    saw(m);
    boolean signed = m instanceof Proposal || m instanceof Vote;
    List<Out> out = new ArrayList<>();
    switch (behaviour) {
      case EQUIVOCATE -> {
        out.add(new Out(m, signed ? 1 : 0));
        if (signed) {
          out.add(new Out(twin(m), 2));
        }
      }
      case WITHHOLD -> {
        if (!signed) {
          out.add(new Out(m, 0));
        }
      }
      case INVALID_PROPOSAL -> out.add(new Out(m instanceof Proposal p ? invalid(p) : m, 0));
      case UNKNOWN_VOTES -> out.add(new Out(m instanceof Vote v && !v.isNil() ? vote(v, Hash.sha256(randomBytes())) : m, 0));
      case REPLAY -> {
        out.add(new Out(m, 0));
        if (signed) {
          history.add(m);
          if (history.size() > 256) {
            history.remove(0);
          }
          for (int i = 0; i < 2; i++) {
            out.add(new Out(history.get(random.nextInt(history.size())), 0));
          }
        }
      }
      case STALE_PROOF_OF_LOCK -> out.add(new Out(m instanceof Proposal p ? stale(p) : m, 0));
      case TWIN -> out.add(new Out(m, 0));
      default -> throw new IllegalStateException(behaviour.toString());
    }
    return out;
  }

  /** A message and the half of the peers it goes to (0: all). */
  record Out(ConsensusMessage message, int half) {}

  private Proposal stale(Proposal p) {
    Map<Integer, Proposal> seen = proposals.getOrDefault(p.height(), Map.of());
    List<Proposal> older = seen.values().stream().filter(o -> o.round() < p.round() && !o.value().equals(p.value())).toList();
    if (older.isEmpty()) {
      return p;
    }
    Proposal o = older.get(random.nextInt(older.size()));
    return Proposal.sign(key, chainId, p.height(), p.round(), o.value(), o.round());
  }

  private Proposal invalid(Proposal p) {
    BlockHeader h = p.value().header();
    Candidate bad = Candidate.of(new BlockHeader(h.chainId(), h.height(), h.previousHash(), h.previousCommitHash(), h.timeMillis(), h.proposer(),
        MerkleTree.rootOf(List.of()).equals(h.transactionsRoot()) ? Hash.sha256(randomBytes()) : MerkleTree.rootOf(List.of()),
        h.transactionCount(), h.stateDigest(), h.validatorSetHash()), p.value().transactions(), p.value().previousCommit());
    return Proposal.sign(key, chainId, p.height(), p.round(), bad, p.validRound());
  }

  /** A second, conflicting message for the same height and round, validly signed. */
  private ConsensusMessage twin(ConsensusMessage message) {
    if (message instanceof Proposal p) {
      BlockHeader h = p.value().header();
      Candidate other = Candidate.of(new BlockHeader(h.chainId(), h.height(), h.previousHash(), h.previousCommitHash(),
          h.timeMillis() + 1 + random.nextInt(1000), h.proposer(), h.transactionsRoot(), h.transactionCount(), h.stateDigest(),
          h.validatorSetHash()), p.value().transactions(), p.value().previousCommit());
      return Proposal.sign(key, chainId, p.height(), p.round(), other, p.validRound());
    }
    Vote v = (Vote) message;
    return vote(v, v.isNil() ? Hash.sha256(randomBytes()) : null);
  }

  private Vote vote(Vote v, Hash block) {
    return Vote.sign(key, chainId, v.type(), v.height(), v.round(), block);
  }

  private byte[] randomBytes() {
    byte[] b = new byte[8];
    random.nextBytes(b);
    return b;
  }
}
