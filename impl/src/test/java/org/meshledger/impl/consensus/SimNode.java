package org.meshledger.impl.consensus;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.meshledger.SyncProgress;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.NodeId;
import org.meshledger.codec.DecodeException;
import org.meshledger.crypto.KeyPair;
import org.meshledger.impl.sync.BlockSync;

/**
 * One node of a consensus simulation: what survives a crash (its committed chain and its last
 * {@link SafetyRecord}, both "on disk") and its running state machine, replaced by a new one at each
 * restart. Timers and messages addressed to an earlier incarnation are dropped. A Byzantine node runs the
 * honest machine but equivocates on everything it sends: each proposal and vote goes out in two signed
 * versions, one to each half of the other nodes.
 */
final class SimNode implements ConsensusHost {
  final int index;
  final KeyPair key;
  final boolean byzantine;
  private final ConsensusSim sim;
  private final ConsensusConfig config;

  // persisted
  final List<Block> chain = new ArrayList<>();
  private SafetyRecord safety;

  // volatile
  Tendermint machine;
  BlockSync sync;
  private int incarnation;
  int restarts;

  SimNode(ConsensusSim sim, int index, KeyPair key, ConsensusConfig config, boolean byzantine) {
    this.sim = sim;
    this.index = index;
    this.key = key;
    this.config = config;
    this.byzantine = byzantine;
  }

  NodeId id() {
    return key.nodeId();
  }

  boolean up() {
    return machine != null;
  }

  long tip() {
    return chain.size();
  }

  void start() {
    incarnation++;
    Hash last = chain.isEmpty() ? sim.genesisHash : chain.get(chain.size() - 1).hash();
    machine = new Tendermint(config, this, chain.size(), last, safety);
    sync = new BlockSync(ConsensusSim.SYNC, new SyncHost(incarnation), chain.size());
    machine.start();
    for (SimNode other : sim.nodes) {
      if (other != this) {
        sync.onConnected(other.id(), 0);
      }
    }
    tick(incarnation);
  }

  private void tick(int inc) {
    sim.net.after(ConsensusSim.SYNC.tickMillis(), () -> {
      if (machine != null && incarnation == inc) {
        sync.onTick();
        tick(inc);
      }
    });
  }

  void crash() {
    machine = null;
    sync = null;
    incarnation++;
  }

  /**
   * While crashed, its store loses its last {@code blocks} blocks (a lost tail, a restored backup) but keeps its
   * safety record: on restart it must fetch them by sync and sign nowhere it may have signed before.
   */
  void loseTail(int blocks) {
    if (machine == null) {
      chain.subList(Math.max(0, chain.size() - blocks), chain.size()).clear();
    }
  }

  void restart() {
    if (machine == null) {
      restarts++;
      start();
    }
  }

  /** A message arrives, as bytes: decoded like any input from the network. */
  void receive(NodeId from, byte[] bytes) {
    if (machine == null) {
      return;
    }
    ConsensusMessage m;
    try {
      m = ConsensusMessage.decode(bytes);
    } catch (DecodeException e) {
      throw new AssertionError("a node sent bytes that do not decode: " + e.getMessage(), e);
    }
    if (m instanceof ConsensusMessage.Status st) {
      sync.onStatus(from, st.height());
    } else if (m instanceof ConsensusMessage.SyncRequest r) {
      sync.onRequest(from, r.height(), r.count());
    } else if (m instanceof ConsensusMessage.Decision d) {
      sync.onBlock(from, d.block());
    } else {
      machine.onMessage(from, m);
    }
  }

  /** Block sync's view of the simulated world, for one incarnation. */
  private final class SyncHost implements BlockSync.Host {
    private final int inc;

    SyncHost(int inc) {
      this.inc = inc;
    }

    private boolean current() {
      return machine != null && incarnation == inc;
    }

    @Override
    public long now() {
      return sim.net.now();
    }

    @Override
    public void send(NodeId to, ConsensusMessage message) {
      SimNode.this.send(to, message);
    }

    @Override
    public void serve(NodeId to, long from, long upTo) {
      SimNode target = sim.node(to);
      for (long h = from; h <= upTo && h <= chain.size(); h++) {
        Block b = sim.served(SimNode.this, chain.get((int) h - 1));
        if (target != null) {
          sim.deliver(SimNode.this, target, new ConsensusMessage.Decision(b));
        }
      }
      sync.served(to);
    }

    @Override
    public void verify(NodeId from, Block block) {
      BlockSync s = sync;
      sim.net.after(1, () -> {
        if (current() && s == sync) {
          s.onVerified(from, block, sim.verifyBlock(block));
        }
      });
    }

    @Override
    public boolean deliver(Block block) {
      return machine.onCertifiedBlock(block);
    }

    @Override
    public void penalize(NodeId peer, int points, String reason) {
      sim.penalized(SimNode.this, peer, points, reason);
    }

    @Override
    public void progress(SyncProgress progress, boolean started, boolean finished) {
    }
  }

  // ---- ConsensusHost

  @Override
  public long now() {
    return sim.net.now();
  }

  @Override
  public void schedule(Timeout timeout, long delayMillis) {
    int inc = incarnation;
    sim.net.after(delayMillis, () -> {
      if (machine != null && incarnation == inc) {
        machine.onTimeout(timeout);
      }
    });
  }

  @Override
  public void broadcast(ConsensusMessage message) {
    sim.signed(this, message);
    if (byzantine && (message instanceof Proposal || message instanceof Vote)) {
      ConsensusMessage twin = twin(message);
      for (SimNode to : sim.nodes) {
        if (to != this) {
          sim.deliver(this, to, sim.net.random.nextBoolean() ? message : twin);
        }
      }
      return;
    }
    for (SimNode to : sim.nodes) {
      if (to != this) {
        sim.deliver(this, to, message);
      }
    }
  }

  /** A second, conflicting message for the same height and round, validly signed. */
  private ConsensusMessage twin(ConsensusMessage message) {
    if (message instanceof Proposal p) {
      BlockHeader h = p.value().header();
      Candidate other = Candidate.of(new BlockHeader(h.chainId(), h.height(), h.previousHash(), h.previousCommitHash(),
          h.timeMillis() + 1 + sim.net.random.nextInt(1000), h.proposer(), h.transactionsRoot(), h.transactionCount(), h.stateDigest(),
          h.validatorSetHash()), p.value().transactions(), p.value().previousCommit());
      return Proposal.sign(key, config.chainId(), p.height(), p.round(), other, p.validRound());
    }
    Vote v = (Vote) message;
    Hash other = v.isNil() ? Hash.sha256(new byte[] {(byte) sim.net.random.nextInt()}) : null;
    return Vote.sign(key, config.chainId(), v.type(), v.height(), v.round(), other);
  }

  @Override
  public void send(NodeId to, ConsensusMessage message) {
    SimNode target = sim.node(to);
    if (target != null) {
      sim.deliver(this, target, sim.outgoing(this, message));
    }
  }

  /** An empty block carrying the certificate this node committed (or synced) the previous block with. */
  @Override
  public Candidate propose(long height, Hash previousHash) {
    Optional<CommitCertificate> previousCommit = height == 1 ? Optional.empty() : Optional.of(chain.get((int) height - 2).certificate());
    BlockHeader header = new BlockHeader(config.chainId(), height, previousHash, previousCommit.map(CommitCertificate::hash).orElse(Hash.ZERO),
        sim.genesisMillis + sim.net.now(), id(), MerkleTree.rootOf(List.of()), 0, Hash.sha256(previousHash.bytes()), config.validators().hash());
    return Candidate.of(header, List.of(), previousCommit);
  }

  @Override
  public void commit(Block block) {
    if (block.height() != chain.size() + 1) {
      throw new AssertionError("node " + index + " committed height " + block.height() + " on a chain of " + chain.size());
    }
    Hash expected = chain.isEmpty() ? sim.genesisHash : chain.get(chain.size() - 1).hash();
    if (!block.header().previousHash().equals(expected)) {
      throw new AssertionError("node " + index + " committed block " + block.height() + " that does not extend its chain");
    }
    chain.add(block);
    sim.committed(this, block);
    if (sync != null) {
      sync.onCommitted(block.height(), block.transactions().size());
      sync.onStored(block.height());
    }
  }

  @Override
  public void persist(SafetyRecord record) {
    safety = record;
  }

  int incarnation() {
    return incarnation;
  }
}
