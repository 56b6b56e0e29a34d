package org.meshledger.impl.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.meshledger.SyncProgress;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.Transaction;
import org.meshledger.codec.DecodeException;
import org.meshledger.crypto.KeyPair;
import org.meshledger.impl.consensus.Candidate;
import org.meshledger.impl.consensus.ConsensusConfig;
import org.meshledger.impl.consensus.ConsensusFlood;
import org.meshledger.impl.consensus.ConsensusHost;
import org.meshledger.impl.consensus.ConsensusMessage;
import org.meshledger.impl.consensus.SafetyRecord;
import org.meshledger.impl.consensus.Tendermint;
import org.meshledger.impl.consensus.Timeout;
import org.meshledger.impl.ledger.BlockExecution;
import org.meshledger.impl.node.SimLedger;
import org.meshledger.impl.sync.BlockSync;
import org.meshledger.simulation.InvariantViolation;

/**
 * One node of a whole-node simulation: what survives a crash (its committed chain and its last
 * {@link SafetyRecord}, both "on disk") and its running state machine, replaced by a new one at each
 * restart. Timers and messages addressed to an earlier incarnation are dropped. A Byzantine node runs the
 * honest machine but equivocates on everything it sends: each proposal and vote goes out in two signed
 * versions, one to each half of the other nodes.
 */
final class SimNode implements ConsensusHost {
  final int index;
  final KeyPair key;
  /** How this validator goes wrong, or null for an honest node. */
  final Byzantine fault;
  private final Schedule sim;
  private final ConsensusConfig config;

  /** Its committed chain: the blocks on disk, then those whose write is still pending (lost by a crash). */
  final List<Block> chain = new ArrayList<>();
  // on disk
  private int durableBlocks;
  private SafetyRecord safety;
  /** When the disk finishes the writes queued so far: writes complete in order, each after a random latency. */
  private long diskFreeAt;
  /** When the node hears of the last write queued so far (a plan's late news of finished writes). */
  private long heardAt;
  /** In a ledger plan: the blocks and state on disk, and the ledger of the running incarnation; else null. */
  private final SimLedger.Disk ledgerDisk;
  private SimLedger ledger;
  /**
   * In a ledger plan: the blocks whose transactions this node reported final (their receipts), by height, as a
   * real node does once the block is durable; and whether its store lost a tail since (a store that broke its
   * promise: the receipts above it must come back by sync, not be missing at a restart).
   */
  final java.util.TreeMap<Long, Hash> reported = new java.util.TreeMap<>();
  private boolean lostTail;

  // volatile
  Tendermint machine;
  /**
   * In a plan with the flood: how this incarnation's proposals and votes travel, as on a node (each new one relayed
   * once to every peer, copies handed to the machine again); else null, and a node sends its own to every node.
   */
  ConsensusFlood<SimNode> flood;
  /** In a plan with spreading: its relay and outgoing transaction batch, this incarnation's; else null. */
  SimSpreading spreading;
  BlockSync sync;
  private int incarnation;
  int restarts;

  SimNode(Schedule sim, int index, KeyPair key, ConsensusConfig config, Byzantine fault) {
    this.sim = sim;
    this.index = index;
    this.key = key;
    this.config = config;
    this.fault = fault;
    this.ledgerDisk = sim.genesis == null ? null : new SimLedger.Disk(sim.genesis);
  }

  /** This node's clock (plan's {@code clock} facts): offset and drift against the simulation's virtual time. */
  private long clockOffset;
  private int driftPpm;

  void clock(long offsetMillis, int driftPpm) {
    this.clockOffset = offsetMillis;
    this.driftPpm = driftPpm;
  }

  /** The time as this node's clock tells it. */
  long localNow() {
    return local(sim.net.now());
  }

  /** A wall clock, as a real node's {@code System.currentTimeMillis()}: virtual time from the genesis, skewed. */
  private long local(long t) {
    return sim.genesisMillis + clockOffset + t + t * driftPpm / 1_000_000;
  }

  /**
   * The virtual time a timer of {@code localMillis} on this node's clock takes (longer on a slow clock): the least
   * after which this node's clock has moved on by at least that much. Rounding down instead lets a 1 ms timer fire at
   * the same virtual time on a fast clock, and a machine that re-arms it until its clock has moved never returns.
   */
  long realDelay(long localMillis) {
    if (localMillis <= 0) {
      return 0;
    }
    long t = sim.net.now();
    long r = Math.max(1, localMillis * 1_000_000 / (1_000_000 + driftPpm));
    while (local(t + r) - local(t) < localMillis) {
      r++;
    }
    return r;
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
    if (fault == null && !reported.isEmpty() && reported.lastKey() > chain.size() && !lostTail) {
      throw new InvariantViolation("RECEIPT LOST: node " + index + " reported the transactions of block " + reported.lastKey()
          + " final, but restarts with " + chain.size() + " blocks durable");
    }
    incarnation++;
    Hash last = chain.isEmpty() ? sim.genesisHash : chain.get(chain.size() - 1).hash();
    if (ledgerDisk != null) {
      if (ledgerDisk.height() != chain.size()) {
        throw new InvariantViolation("node " + index + ": its store holds " + ledgerDisk.height() + " blocks, its chain " + chain.size());
      }
      ledger = new SimLedger(sim.genesis, ledgerDisk, () -> localNow());
    }
    machine = new Tendermint(config, this, chain.size(), last, safety);
    flood = sim.plan.flood() ? new ConsensusFlood<>(new FloodHost(incarnation), config, config.verifier(), m -> {}) : null;
    sync = new BlockSync(Schedule.SYNC, new SyncHost(incarnation), chain.size());
    if (fault == null) {
      sim.bugs.forEach(b -> sim.injector.apply(b, machine, sync, ledger == null ? null : ledger.executor()));
    }
    machine.start();
    if (sim.spreading() != null && spreads()) {
      spreading = new SimSpreading(sim, this, incarnation, new java.util.Random(sim.spreadingSeed(index, incarnation)));
      for (SimNode other : sim.nodes) {
        if (other != this && other.spreading != null) { // a connection, seen from both ends
          other.spreading.relay.onPeerConnected(sim.link(other.index, index));
          spreading.relay.onPeerConnected(sim.link(index, other.index));
        }
      }
    }
    for (SimNode other : sim.nodes) {
      if (other != this) {
        sync.onConnected(other.id(), 0);
      }
    }
    tick(incarnation);
  }

  private void tick(int inc) {
    sim.net.after(realDelay(Schedule.SYNC.tickMillis()), () -> {
      if (machine != null && incarnation == inc) {
        sync.onTick();
        tick(inc);
      }
    });
  }

  /** Stops it dead: the writes its disk had not finished are lost (blocks and safety record). */
  void crash() {
    machine = null;
    sync = null;
    flood = null;
    if (spreading != null) {
      spreading = null;
      for (SimNode other : sim.nodes) {
        if (other != this && other.spreading != null) {
          other.spreading.relay.onPeerDisconnected(sim.link(other.index, index));
        }
      }
    }
    incarnation++;
    chain.subList(durableBlocks, chain.size()).clear();
    diskFreeAt = 0;
    heardAt = 0;
  }

  /**
   * Queues a write on the simulated disk: {@code write} takes effect (on disk) after a random latency, after every
   * write queued before it, and the node hears of it then ({@code heard}, then the machine), or in a plan with late
   * news up to its {@code acks} ms later, in the order of the writes. A crash before the write loses it; a crash
   * between the write and the news keeps the write and loses the news.
   */
  private void disk(Runnable write, Runnable heard) {
    int inc = incarnation;
    long done = Math.max(diskFreeAt, sim.net.now()) + sim.writeLatency();
    diskFreeAt = done;
    int late = sim.ackDelay(); // -1: the node hears at once
    if (late < 0) {
      sim.net.at(done, () -> {
        if (machine != null && incarnation == inc) {
          write.run();
          heard.run();
          machine.onDurable();
        }
      });
      return;
    }
    // The write reaches the disk at done; the node hears of it later, in order: a crash in between keeps the write.
    heardAt = Math.max(heardAt, done + late);
    sim.net.at(done, () -> {
      if (machine != null && incarnation == inc) {
        write.run();
      }
    });
    sim.net.at(heardAt, () -> {
      if (machine != null && incarnation == inc) {
        heard.run();
        machine.onDurable();
      }
    });
  }

  /**
   * While crashed, its store loses its last {@code blocks} blocks (a lost tail, a restored backup) but keeps its
   * safety record: on restart it must fetch them by sync and sign nowhere it may have signed before.
   */
  void loseTail(int blocks) {
    if (machine == null && blocks > 0 && !chain.isEmpty()) {
      chain.subList(Math.max(0, chain.size() - blocks), chain.size()).clear();
      durableBlocks = chain.size();
      lostTail |= !reported.isEmpty() && reported.lastKey() > chain.size();
      if (ledgerDisk != null) {
        ledgerDisk.truncate(chain.size());
      }
    }
  }

  void restart() {
    if (machine == null) {
      restarts++;
      start();
    }
  }

  /**
   * A client's transaction arrives (a ledger plan): admitted to the mempool if the node is up, and in a plan with
   * spreading also added to the node's outgoing batch for its peers, as a node does with a submit.
   */
  void receive(Transaction tx) {
    if (machine != null && ledger != null && ledger.admit(tx)) {
      if (spreading != null) {
        spreading.batch.add(tx);
      }
      machine.onWork();
    }
  }

  /** A peer's batch, public here: each transaction the mempool takes wakes the machine, as for a submit. */
  void admitFromPeer(List<Transaction> txs) {
    boolean added = false;
    for (Transaction tx : txs) {
      if (ledger != null && ledger.admit(tx)) {
        added = true;
        sim.spreadAdmitted++;
      }
    }
    if (added && machine != null) {
      machine.onWork();
    }
  }

  /**
   * A transaction looked up by id on this node's store is where it took effect ({@code applied}: id to height), for
   * every one that did in a block this node holds: a receipt lookup must not name a block where a faulty proposer's
   * replay of it had no effect.
   */
  void checkLookups(Map<Hash, Long> applied) {
    if (ledgerDisk == null) {
      return;
    }
    long durable = ledgerDisk.height();
    for (Map.Entry<Hash, Long> a : applied.entrySet()) {
      if (a.getValue() <= durable) {
        long found = ledgerDisk.transaction(a.getKey()).map(t -> t.height()).orElse(-1L);
        if (found != a.getValue()) {
          throw new InvariantViolation("LOOKUP: node " + index + " finds transaction " + a.getKey() + " at height " + found + ", but it took effect at "
              + a.getValue());
        }
      }
    }
  }

  /** Whether it takes part in spreading: every node but a twin (a second instance of a key, not a peer of its own). */
  boolean spreads() {
    return index < sim.plan.validators() + sim.plan.followers() + (sim.plan.liar() ? 1 : 0);
  }

  /** A message arrives, as bytes: decoded like any input from the network. */
  void receive(SimNode sender, byte[] bytes) {
    if (machine == null) {
      return;
    }
    NodeId from = sender.id();
    ConsensusMessage m;
    try {
      m = flood != null ? flood.receive(sender, bytes) : ConsensusMessage.decode(bytes);
    } catch (DecodeException e) {
      throw new InvariantViolation("a node sent bytes that do not decode: " + e.getMessage(), e);
    }
    if (m == null) {
      return; // the flood refused it (and penalized the sender, which must then be faulty)
    }
    if (m instanceof ConsensusMessage.Status st) {
      sync.onStatus(from, st.height());
    } else if (m instanceof ConsensusMessage.SyncRequest r) {
      sync.onRequest(from, r.height(), r.count());
    } else if (m instanceof ConsensusMessage.Decision d) {
      sync.onBlock(from, d.block());
    } else {
      if (fault != null) {
        fault.saw(m);
      }
      machine.onMessage(from, m);
    }
  }

  /** The flood's view of the simulated network, for one incarnation: its peers are the nodes that run. */
  private final class FloodHost implements ConsensusFlood.Host<SimNode> {
    private final int inc;

    FloodHost(int inc) {
      this.inc = inc;
    }

    @Override
    public Iterable<SimNode> peers() {
      List<SimNode> up = new ArrayList<>();
      for (SimNode n : sim.nodes) {
        if (n != SimNode.this && n.up()) {
          up.add(n);
        }
      }
      return up;
    }

    @Override
    public NodeId id(SimNode peer) {
      return peer.id();
    }

    /** The last body sent and its message: the flood sends one body to every peer in turn, decoded once here. */
    private byte[] lastBody;
    private ConsensusMessage lastMessage;

    @Override
    public void send(SimNode peer, byte[] body) {
      if (machine != null && incarnation == inc) {
        if (body != lastBody) {
          lastBody = body;
          lastMessage = ConsensusMessage.decode(body);
        }
        sim.deliver(SimNode.this, peer, lastMessage, body);
      }
    }

    @Override
    public void penalize(SimNode peer, int points, String reason) {
      sim.floodPenalized(SimNode.this, peer, reason);
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
      return localNow();
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
    return localNow();
  }

  @Override
  public void schedule(Timeout timeout, long delayMillis) {
    int inc = incarnation;
    sim.net.after(realDelay(delayMillis), () -> {
      if (machine != null && incarnation == inc) {
        machine.onTimeout(timeout);
      }
    });
  }

  @Override
  public void broadcast(ConsensusMessage message) {
    sim.signed(this, message);
    if (fault == null) {
      sim.sent(message);
      if (flood != null) {
        flood.broadcast(message);
        return;
      }
      for (SimNode to : sim.nodes) {
        if (to != this) {
          sim.deliver(this, to, message);
        }
      }
      return;
    }
    for (Byzantine.Out out : fault.corrupt(message)) {
      sim.sent(out.message());
      for (SimNode to : sim.nodes) {
        if (to != this && out.to().test(to.index)) {
          sim.deliver(this, to, out.message());
        }
      }
    }
  }

  void send(NodeId to, ConsensusMessage message) {
    SimNode target = sim.node(to);
    if (target != null) {
      sim.deliver(this, target, sim.outgoing(this, message));
    }
  }

  /** Work for a block, unless the plan is idle: then heights wait for the heartbeat unless a peer starts them. */
  @Override
  public boolean hasWork() {
    return ledger != null ? ledger.hasWork() : !sim.plan.idle();
  }

  @Override
  public boolean accept(Candidate candidate) {
    return ledger == null || ledger.accept(candidate);
  }

  @Override
  public boolean verified(Transaction tx) {
    return ledger != null ? ledger.verified(tx) : tx.verifySignature();
  }

  /** An empty block carrying the certificate this node committed (or synced) the previous block with. */
  @Override
  public Candidate propose(long height, Hash previousHash) {
    if (ledger != null) {
      return ledger.propose(config.chainId(), config.validators(), id(), height, previousHash, localNow());
    }
    Optional<CommitCertificate> previousCommit = height == 1 ? Optional.empty() : Optional.of(chain.get((int) height - 2).certificate());
    BlockHeader header = new BlockHeader(config.chainId(), height, previousHash, previousCommit.map(CommitCertificate::hash).orElse(Hash.ZERO),
        localNow(), id(), MerkleTree.rootOf(List.of()), 0, Hash.sha256(previousHash.bytes()), config.validators().hash());
    return Candidate.of(header, List.of(), previousCommit);
  }

  @Override
  public boolean commit(Block block) {
    if (block.height() != chain.size() + 1) {
      throw new InvariantViolation("node " + index + " committed height " + block.height() + " on a chain of " + chain.size());
    }
    Hash expected = chain.isEmpty() ? sim.genesisHash : chain.get(chain.size() - 1).hash();
    if (!block.header().previousHash().equals(expected)) {
      throw new InvariantViolation("node " + index + " committed block " + block.height() + " that does not extend its chain");
    }
    Hash receipts = reported.get(block.height());
    if (fault == null && receipts != null && !receipts.equals(block.hash())) {
      throw new InvariantViolation("RECEIPT LOST: node " + index + " reported the transactions of block " + receipts + " final at height "
          + block.height() + ", and now commits " + block.hash() + " there");
    }
    chain.add(block);
    sim.committed(this, block);
    BlockExecution execution = ledger == null ? null : ledger.execute(block);
    if (execution != null) {
      sim.executed(this, block, execution);
    }
    sync.onCommitted(block.height(), block.transactions().size());
    BlockSync s = sync;
    SimLedger l = ledger;
    disk(() -> {
      durableBlocks = (int) block.height();
      if (l != null) {
        l.durable(block);
      }
    }, () -> {
      if (l != null) {
        if (!block.transactions().isEmpty()) {
          reported.put(block.height(), block.hash()); // what NodeLedger.stored does: the receipts are final now
          sim.receiptsReported += block.transactions().size();
          sim.reportedFinal(block, execution);
        }
        if (lostTail && durableBlocks >= reported.lastKey()) {
          lostTail = false;
        }
      }
      s.onStored(block.height());
    });
    return false;
  }

  @Override
  public boolean persist(SafetyRecord record) {
    disk(() -> safety = record, () -> {});
    return false;
  }

  int incarnation() {
    return incarnation;
  }
}
