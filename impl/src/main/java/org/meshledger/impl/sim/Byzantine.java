package org.meshledger.impl.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.impl.consensus.Candidate;
import org.meshledger.impl.consensus.ConsensusMessage;
import org.meshledger.impl.consensus.Proposal;
import org.meshledger.impl.consensus.Vote;
import org.meshledger.impl.consensus.VoteType;

/**
 * What a faulty validator does to the messages its (honest) machine sends. Each behaviour is one way real
 * validators go wrong; a schedule gives up to f of its validators one each. The messages stay validly signed:
 * the faults are in what is signed, to whom it goes, and when.
 */
public final class Byzantine {
  /** One faulty validator's way of going wrong. */
  public enum Behaviour {
    /** Each proposal and vote in two signed versions, one to each half of the other nodes. */
    EQUIVOCATE,
    /** Sends nothing it signs: no proposal, no vote. */
    WITHHOLD,
    /**
     * Its proposals carry a block that no honest node may accept (a wrong transactions root), or, at every other
     * height and round once it has seen transactions, a well-formed block that replays a transaction of an earlier
     * height: honest nodes may commit it, and execution must give the replay no effect.
     */
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
    TWIN,
    /**
     * The split-brain attack on locks: at each height the other nodes fall in two groups; its prevotes go to one group
     * as signed and to the other with the opposite value (a block for nil, nil for a block), and its precommits for a
     * block are signed but withheld (a certificate it can show later) while everyone gets a nil precommit from it. One
     * group locks on a block that nobody commits; only the lock rules keep the next round from deciding another.
     */
    SPLIT_BRAIN,
    /**
     * The attack on locks with the timing in its hands: its prevotes for a value are signed and kept (others get nil)
     * until it moves on to a later round, so the proof of lock they complete comes too late for anyone to lock on it;
     * its precommits for a block are kept as split brain's are; as proposer it sends a fresh proposal to some nodes
     * only, proposes a fresh value where its machine would re-propose its valid value, and where an older value was
     * proposed at this height re-proposes that one naming the round it was proposed in (a stale proof of lock). Not
     * among the ordinary behaviours ({@link #ORDINARY}): for the hunt of lock bugs.
     */
    LOCK_ATTACK;

    /** What the ordinary random schedules draw from: all but {@link #LOCK_ATTACK}. */
    public static final java.util.List<Behaviour> ORDINARY = java.util.List.of(EQUIVOCATE, WITHHOLD, INVALID_PROPOSAL, UNKNOWN_VOTES,
        REPLAY, STALE_PROOF_OF_LOCK, TWIN, SPLIT_BRAIN);
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
    this.splitSalt = behaviour == Behaviour.SPLIT_BRAIN || behaviour == Behaviour.LOCK_ATTACK ? random.nextLong() : 0;
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

  /** The messages that go out instead of {@code m}, each with the nodes (by index) it goes to. */
  List<Out> corrupt(ConsensusMessage m) {
    saw(m);
    boolean signed = m instanceof Proposal || m instanceof Vote;
    List<Out> out = new ArrayList<>();
    switch (behaviour) {
      case EQUIVOCATE -> {
        out.add(new Out(m, signed ? i -> random.nextBoolean() : ALL));
        if (signed) {
          out.add(new Out(twin(m), i -> random.nextBoolean()));
        }
      }
      case WITHHOLD -> {
        if (!signed) {
          out.add(new Out(m, ALL));
        }
      }
      case INVALID_PROPOSAL -> out.add(new Out(m instanceof Proposal p ? invalid(p) : m, ALL));
      case UNKNOWN_VOTES -> out.add(new Out(m instanceof Vote v && !v.isNil() ? vote(v, Hash.sha256(randomBytes())) : m, ALL));
      case REPLAY -> {
        out.add(new Out(m, ALL));
        if (signed) {
          history.add(m);
          if (history.size() > 256) {
            history.remove(0);
          }
          for (int i = 0; i < 2; i++) {
            out.add(new Out(history.get(random.nextInt(history.size())), ALL));
          }
        }
      }
      case STALE_PROOF_OF_LOCK -> out.add(new Out(m instanceof Proposal p ? stale(p) : m, ALL));
      case TWIN -> out.add(new Out(m, ALL));
      case SPLIT_BRAIN -> splitBrain(m, out);
      case LOCK_ATTACK -> lockAttack(m, out);
      default -> throw new IllegalStateException(behaviour.toString());
    }
    return out;
  }

  /** A message and the nodes (by index) it goes to; none for a message signed and kept. */
  record Out(ConsensusMessage message, java.util.function.IntPredicate to) {}

  private static final java.util.function.IntPredicate ALL = i -> true;
  private static final java.util.function.IntPredicate NONE = i -> false;
  /** Which group each node falls in at each height, for {@link Behaviour#SPLIT_BRAIN}. */
  private final long splitSalt;

  private void splitBrain(ConsensusMessage m, List<Out> out) {
    if (!(m instanceof Vote v)) {
      out.add(new Out(m, ALL));
      return;
    }
    if (v.type() == VoteType.PREVOTE) {
      long h = v.height();
      java.util.function.IntPredicate first = i -> (Long.hashCode(splitSalt ^ (h * 0x9E3779B97F4A7C15L) ^ (i * 0xC2B2AE3D27D4EB4FL)) & 1) == 0;
      out.add(new Out(v, first));
      out.add(new Out(twin(v), first.negate()));
    } else if (v.isNil()) {
      out.add(new Out(v, ALL));
    } else {
      out.add(new Out(v, NONE)); // signed and kept: a certificate it may show later
      out.add(new Out(vote(v, null), ALL));
    }
  }

  private Proposal stale(Proposal p) {
    Map<Integer, Proposal> seen = proposals.getOrDefault(p.height(), Map.of());
    List<Proposal> older = seen.values().stream().filter(o -> o.round() < p.round() && !o.value().equals(p.value())).toList();
    if (older.isEmpty()) {
      return p;
    }
    Proposal o = older.get(random.nextInt(older.size()));
    return Proposal.sign(key, chainId, p.height(), p.round(), o.value(), o.round());
  }

  /** Prevotes for a value this validator signed and keeps, released once it moves on to a later round or height. */
  private final List<Vote> keptPrevotes = new ArrayList<>();

  private void lockAttack(ConsensusMessage m, List<Out> out) {
    if (m instanceof Proposal || m instanceof Vote) {
      long h = m.height();
      int r = m instanceof Proposal p ? p.round() : ((Vote) m).round();
      for (java.util.Iterator<Vote> it = keptPrevotes.iterator(); it.hasNext(); ) {
        Vote k = it.next();
        if (k.height() < h || k.round() < r) {
          out.add(new Out(k, ALL)); // a proof of lock that comes too late for anyone to lock on it
          it.remove();
        }
      }
    }
    if (m instanceof Proposal p) {
      Proposal stale = stale(p);
      if (stale != p) {
        out.add(new Out(stale, ALL));
      } else if (p.validRound() >= 0) {
        Proposal fresh = (Proposal) twin(p); // another value at this height and round, with no proof of lock
        out.add(new Out(Proposal.sign(key, chainId, p.height(), p.round(), fresh.value(), -1), ALL));
      } else {
        out.add(new Out(p, i -> random.nextBoolean())); // to some only: not all can prevote it in time
      }
    } else if (m instanceof Vote v && v.type() == VoteType.PREVOTE && !v.isNil()) {
      keptPrevotes.add(v);
      out.add(new Out(vote(v, null), ALL));
    } else if (m instanceof Vote v && v.type() == VoteType.PRECOMMIT && !v.isNil()) {
      out.add(new Out(v, NONE)); // signed and kept: a certificate it may show later
      out.add(new Out(vote(v, null), ALL));
    } else {
      out.add(new Out(m, ALL));
    }
  }

  private Proposal invalid(Proposal p) {
    Transaction replay = (p.height() + p.round()) % 2 == 0 ? earlierTransaction(p.height()) : null;
    if (replay != null) {
      return replaying(p, replay);
    }
    BlockHeader h = p.value().header();
    Candidate bad = Candidate.of(new BlockHeader(h.chainId(), h.height(), h.previousHash(), h.previousCommitHash(), h.timeMillis(), h.proposer(),
        MerkleTree.rootOf(List.of()).equals(h.transactionsRoot()) ? Hash.sha256(randomBytes()) : MerkleTree.rootOf(List.of()),
        h.transactionCount(), h.stateDigest(), h.validatorSetHash()), p.value().transactions(), p.value().previousCommit());
    return Proposal.sign(key, chainId, p.height(), p.round(), bad, p.validRound());
  }

  /** A transaction of a proposal seen at one of the 8 heights before {@code height} (most likely committed there), or null. */
  private Transaction earlierTransaction(long height) {
    for (long h = height - 1; h >= Math.max(1, height - 8); h--) {
      for (Proposal o : proposals.getOrDefault(h, Map.of()).values()) {
        List<Transaction> txs = o.value().transactions();
        if (!txs.isEmpty()) {
          return txs.get((int) (height % txs.size()));
        }
      }
    }
    return null;
  }

  /** {@code p}'s block with {@code replay} appended (in place of its last transaction if it is full), validly built and signed. */
  private Proposal replaying(Proposal p, Transaction replay) {
    List<Transaction> txs = new ArrayList<>(p.value().transactions());
    if (txs.size() >= Schedule.PARAMETERS.maxBlockTransactions()) {
      txs.remove(txs.size() - 1);
    }
    txs.add(replay);
    BlockHeader h = p.value().header();
    Candidate c = Candidate.of(new BlockHeader(h.chainId(), h.height(), h.previousHash(), h.previousCommitHash(), h.timeMillis(), h.proposer(),
        MerkleTree.rootOf(txs), txs.size(), h.stateDigest(), h.validatorSetHash()), txs, p.value().previousCommit());
    return Proposal.sign(key, chainId, p.height(), p.round(), c, p.validRound());
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
