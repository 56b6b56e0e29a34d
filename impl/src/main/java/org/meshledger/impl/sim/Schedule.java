package org.meshledger.impl.sim;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.meshledger.IncentivePolicy;
import org.meshledger.Spreading;
import org.meshledger.Verification;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.CommitSignature;
import org.meshledger.chain.Hash;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.TransactionResult;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;
import org.meshledger.impl.consensus.ConsensusConfig;
import org.meshledger.impl.consensus.ConsensusMessage;
import org.meshledger.impl.consensus.Evidence;
import org.meshledger.impl.consensus.Proposal;
import org.meshledger.impl.consensus.SignatureVerifier;
import org.meshledger.impl.consensus.Vote;
import org.meshledger.impl.consensus.VoteType;
import org.meshledger.impl.ledger.BlockExecution;
import org.meshledger.impl.sync.BlockSync;
import org.meshledger.simulation.InvariantViolation;
import org.meshledger.spi.Peer;
import org.meshledger.spi.SpreadingProtocolProvider;
import org.meshledger.spi.SpreadingProtocols;

/**
 * One schedule of the whole-node simulator, run from its {@link FaultPlan}: validators (up to f of them Byzantine)
 * and followers on a {@link SimNetwork}, each running the consensus core, block sync and, in ledger plans, the
 * ledger core over a simulated disk (and in some of those the node's spreading of transaction batches); message
 * delay, loss, duplication and reordering, partitions that heal, crashes and restarts (some with a store that lost
 * its last blocks), skewed clocks and late news of finished writes until {@link #FAULTS_END}, then a healed
 * network. Safety is checked at every step (no honest validator signs two values in one slot, no height has quorum
 * certificates for two values, no fork, every block verifies, every honest node computes the same state, every
 * transaction that took effect was valid, no receipt reported final is lost); liveness after the heal (every honest
 * node commits a block above the highest height any honest node had at the heal, and every client transaction is
 * final, within {@link #LIVENESS_BOUND}). A broken promise throws {@link InvariantViolation}.
 */
public final class Schedule {
  static final String CHAIN = "sim-chain";
  /** Fast timeouts: the network delays below are tens of milliseconds. */
  static final ConsensusParameters PARAMETERS = new ConsensusParameters(Duration.ofMillis(300), Duration.ofMillis(200),
      Duration.ofMillis(100), Duration.ofMillis(150), Duration.ofSeconds(1), 100);
  /** Block sync paced for the simulation's fast timeouts. */
  static final BlockSync.Settings SYNC = new BlockSync.Settings(100, 300, 600, 4, 32, 8, 600, 5_000, 4);
  static final long FAULTS_END = 10_000;
  static final long LIVENESS_BOUND = 30_000;

  private static final KeyPair[] KEYS = new KeyPair[64];

  /** What one schedule did, for the test's summary. */
  public record Result(long seed, int validators, int faulty, int crashes, int partitions, long maxHeight,
      long healedAtHeight, long livenessMillis, int evidence, long events, boolean liar, int badBlocks, int differingCertificates,
      long transactions, long receipts, String spreading, long resubmits, long spreadAdmitted) {
    public boolean byzantine() {
      return faulty > 0;
    }
  }

  final SimNetwork net;
  final List<SimNode> nodes = new ArrayList<>();
  final Hash genesisHash;
  final long genesisMillis = 1_700_000_000_000L;
  /** The chain's genesis in a ledger plan (validators, the clients' balances), else null: blocks are then empty. */
  final Genesis genesis;
  /** The clients of a ledger plan, each submitting its transactions in nonce order. */
  private final List<KeyPair> clients = new ArrayList<>();
  private final long[] nonces = new long[CLIENTS];
  /** Per height, the state digest after it that the first honest node to execute it computed. */
  private final Map<Long, Hash> digests = new HashMap<>();
  static final int CLIENTS = 4;
  private final long seed;
  private final ValidatorSet validators;
  private final Map<NodeId, SimNode> byId = new HashMap<>();
  private final Map<Long, Hash> decided = new HashMap<>();
  private final Map<ByteBuffer, Boolean> signatureCache = new HashMap<>();
  final FaultPlan plan;
  /** Draws of late news of finished writes, apart from the network's, so plans without them replay as before. */
  private final java.util.Random acks;
  /** A follower whose block sync lies: it claims heights it does not hold and serves blocks with forged certificates. */
  private final SimNode liar;
  private final Map<Hash, Verification> blockChecks = new HashMap<>();
  private final Map<String, Hash> signatures = new HashMap<>();
  private int badBlocksCaught;
  /** Per height, the certificates the honest nodes hold for its block: each assembled its own, or synced a peer's. */
  private final Map<Long, Set<Hash>> certificates = new HashMap<>();
  private int crashes;
  private int partitions;
  /** Per height, round and value, the validators whose precommit for it was sent (by honest and Byzantine nodes). */
  private final Map<String, Set<NodeId>> precommits = new HashMap<>();
  /** Per height, the values some round gathered a quorum of precommits for: never more than one. */
  private final Map<Long, Set<Hash>> quorums = new HashMap<>();
  /** Deliberate faults every honest node's machine runs with (see {@link BugSwitch}); empty in the ordinary schedules. */
  final Set<String> bugs = new java.util.TreeSet<>();
  final Bugs injector;

  /** In a plan with spreading: the protocol every node runs, and each pair of nodes' connection as seen from the first. */
  private final Spreading spreading;
  private final SpreadingProtocolProvider spreadingProvider;
  private final Peer[][] links;
  /**
   * In a plan with spreading: the clients' transactions that no node reported final yet, in the order they were
   * made (per client, nonce order), with when each was last sent. A client sends each to one node and sends it again
   * to another after {@link #RESUBMIT_MILLIS} until some node reports it final, as a client of real nodes does.
   */
  private final Map<Hash, Outstanding> outstanding = new java.util.LinkedHashMap<>();
  private long resubmits;
  /** Transactions a node's mempool took from a peer's batch (in plans with spreading). */
  long spreadAdmitted;
  static final long RESUBMIT_MILLIS = 1_000;

  private static final class Outstanding {
    final int client;
    final Transaction tx;
    long sentAt;

    Outstanding(int client, Transaction tx, long sentAt) {
      this.client = client;
      this.tx = tx;
      this.sentAt = sentAt;
    }
  }

  /** The schedule {@code plan} describes. */
  public Schedule(FaultPlan plan) {
    this(plan, Bugs.NONE);
  }

  /** The schedule {@code plan} describes, with its {@code bug} facts switched on by {@code bugs}. */
  public Schedule(FaultPlan plan, Bugs injector) {
    this.plan = plan;
    this.acks = new java.util.Random(plan.seed() * 47 + 19);
    this.seed = plan.seed();
    this.net = new SimNetwork(seed, plan.nodes());
    int validatorCount = plan.validators();
    List<NodeId> ids = new ArrayList<>();
    for (int i = 0; i < validatorCount; i++) {
      ids.add(key(i).nodeId());
    }
    validators = ValidatorSet.of(ids);
    if (plan.ledger()) {
      for (int c = 0; c < CLIENTS; c++) {
        clients.add(KeyPair.fromSeed(Hash.sha256(("client-" + c).getBytes(java.nio.charset.StandardCharsets.UTF_8)).bytes()));
      }
      KeyPair[] keys = new KeyPair[validatorCount];
      for (int i = 0; i < validatorCount; i++) {
        keys[i] = key(i);
      }
      List<Member> members = new ArrayList<>();
      for (int i = 0; i < validatorCount; i++) {
        members.add(new Member("node-" + i, keys[i].nodeId(), Set.of(Role.VALIDATOR)));
      }
      Map<AccountId, Amount> balances = new HashMap<>();
      clients.forEach(c -> balances.put(c.accountId(), Amount.of(1_000_000_000L)));
      genesis = new Genesis(CHAIN, java.time.Instant.ofEpochMilli(genesisMillis), false, members, PARAMETERS, IncentivePolicy.none(),
          balances);
      genesisHash = genesis.hash();
    } else {
      genesis = null;
      genesisHash = Hash.sha256(CHAIN.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    SignatureVerifier cached = (signer, domain, chain, message, signature) -> {
      ByteBuffer k = ByteBuffer.allocate(32 + 1 + message.length + 64);
      k.put(signer.key()).put((byte) domain.ordinal()).put(message).put(signature.bytes()).flip();
      return signatureCache.computeIfAbsent(k, x -> signer.verifies(domain, chain, message, signature));
    };
    Map<Integer, Byzantine.Behaviour> behaviours = new HashMap<>();
    plan.faulty().forEach(f -> behaviours.put(f.node(), f.behaviour()));
    int base = validatorCount + plan.followers() + (plan.liar() ? 1 : 0);
    List<Integer> twinOf = new ArrayList<>();
    plan.faulty().stream().filter(f -> f.behaviour() == Byzantine.Behaviour.TWIN).forEach(f -> twinOf.add(f.node()));
    for (int i = 0; i < plan.nodes(); i++) {
      int keyIndex = i < base ? i : twinOf.get(i - base);
      KeyPair k = key(keyIndex);
      ConsensusConfig config = new ConsensusConfig(CHAIN, validators, PARAMETERS, k, cached);
      Byzantine.Behaviour b = behaviours.get(keyIndex);
      SimNode n = new SimNode(this, i, k, config, b == null ? null : new Byzantine(b, k, CHAIN, net.random));
      nodes.add(n);
      byId.putIfAbsent(n.id(), n);
    }
    liar = plan.liar() ? nodes.get(base - 1) : null;
    bugs.addAll(plan.bugs());
    this.injector = java.util.Objects.requireNonNull(injector, "injector");
    if (!plan.bugs().isEmpty() && injector == Bugs.NONE) {
      throw new IllegalArgumentException("the fault plan switches on " + plan.bugs() + ": deliberate bugs exist only in Meshledger's own tests");
    }
    plan.clocks().forEach(k -> nodes.get(k.node()).clock(k.offsetMillis(), k.driftPpm()));
    if (plan.spreading() != null) {
      spreadingProvider = SpreadingProtocols.provider(plan.spreading());
      Spreading choice = plan.spreading().equals("diffusion") ? Spreading.diffusion(Duration.ofMillis(100)) : Spreading.of(plan.spreading());
      spreading = new Spreading(spreadingProvider.name(), spreadingProvider.validate(choice.parameters()));
      links = new Peer[nodes.size()][nodes.size()];
      for (int i = 0; i < nodes.size(); i++) {
        for (int j = 0; j < nodes.size(); j++) {
          // the lower index dialled: Dandelion++ stems only through connections a node opened
          links[i][j] = i == j ? null : new Link(nodes.get(j).id(), i < j ? Peer.Direction.OUTBOUND : Peer.Direction.INBOUND);
        }
      }
    } else {
      spreadingProvider = null;
      spreading = null;
      links = null;
    }
  }

  /** A connection to a peer, as one end sees it. */
  private record Link(NodeId id, Peer.Direction direction) implements Peer {}

  /** The spreading every node runs, or null: clients then hand their transactions to every node. */
  Spreading spreading() {
    return spreading;
  }

  SpreadingProtocolProvider spreadingProvider() {
    return spreadingProvider;
  }

  /** Node {@code from}'s connection to node {@code to}. */
  Peer link(int from, int to) {
    return links[from][to];
  }

  /** The seed of a node's spreading randomness in one incarnation, apart from the network's draws. */
  long spreadingSeed(int node, int incarnation) {
    return seed * 59 + node * 1_000_003L + incarnation;
  }

  /**
   * Some node reported {@code block}'s transactions final: their clients stop sending those that took effect. One that
   * was invalid there (a faulty proposer replayed it ahead of its sender's earlier nonce) had no effect, so its client
   * sends it again, as a client that reads a receipt does.
   */
  void reportedFinal(Block block, BlockExecution execution) {
    if (spreading != null) {
      for (int i = 0; i < block.transactions().size(); i++) {
        if (execution.results().get(i).outcome() != TransactionResult.Outcome.INVALID) {
          outstanding.remove(block.transactions().get(i).id());
        }
      }
    }
  }

  /** How late a node hears that a write of its reached the disk: -1 (at once) unless the plan has late news. */
  int ackDelay() {
    return plan.ackDelayMillis() == 0 ? -1 : acks.nextInt(plan.ackDelayMillis() + 1);
  }

  /** The latency of one write on a node's simulated disk: 0 to 20 ms, so crashes fall between a send and its write. */
  long writeLatency() {
    return net.random.nextInt(21);
  }

  /** What {@code from} sends: the liar inflates its height. */
  ConsensusMessage outgoing(SimNode from, ConsensusMessage m) {
    if (from == liar && m instanceof ConsensusMessage.Status s) {
      return new ConsensusMessage.Status(s.height() + 1_000);
    }
    return m;
  }

  /** The block {@code server} sends in answer to a sync request: the liar forges its certificate. */
  Block served(SimNode server, Block b) {
    if (server != liar) {
      return b;
    }
    CommitCertificate c = b.certificate();
    List<CommitSignature> forged = c.signatures().stream()
        .map(s -> new CommitSignature(s.validator(), liar.key.sign(org.meshledger.crypto.SignatureDomain.VOTE, CHAIN,
            CommitCertificate.voteMessage(c.height(), c.round(), c.blockHash()))))
        .toList();
    return new Block(b.header(), b.transactions(), b.previousCommit(), new CommitCertificate(c.height(), c.round(), c.blockHash(), forged));
  }

  /** {@link Block#verify}, remembered per encoding: the simulation checks the same blocks many times. */
  Verification verifyBlock(Block b) {
    return blockChecks.computeIfAbsent(Hash.sha256(b.encode()), k -> b.verify(validators));
  }

  /** Honest nodes serve only good blocks: a penalty for a bad block must name the liar or the Byzantine node. */
  void penalized(SimNode by, NodeId peer, int points, String reason) {
    if (points < BlockSync.BAD_BLOCK_POINTS) {
      return;
    }
    SimNode offender = byId.get(peer);
    if (offender != liar && (offender == null || offender.fault == null)) {
      throw new InvariantViolation("node " + by.index + " penalized honest node " + (offender == null ? peer : offender.index) + ": " + reason);
    }
    badBlocksCaught++;
  }

  /** The flood refuses nothing an honest node sends: a frame that does not decode, a vote or proposal badly signed. */
  void floodPenalized(SimNode by, SimNode offender, String reason) {
    if (offender.fault == null) {
      throw new InvariantViolation("node " + by.index + "'s consensus flood penalized honest node " + offender.index + ": " + reason);
    }
  }

  /** Bad blocks that block sync caught. */
  int badBlocksCaught() {
    return badBlocksCaught;
  }

  public static synchronized KeyPair key(int i) {
    if (KEYS[i] == null) {
      byte[] seed = new byte[32];
      seed[0] = (byte) (i + 1);
      KEYS[i] = KeyPair.fromSeed(seed);
    }
    return KEYS[i];
  }

  SimNode node(NodeId id) {
    return byId.get(id);
  }

  void deliver(SimNode from, SimNode to, ConsensusMessage message) {
    deliver(from, to, message, ConsensusMessage.encode(message));
  }

  /** Sends {@code message}, encoded as {@code bytes}, subject to the network's faults and the plan's vote storm. */
  void deliver(SimNode from, SimNode to, ConsensusMessage message, byte[] bytes) {
    double voteLoss = message instanceof Vote v ? (v.type() == VoteType.PREVOTE ? plan.prevoteLoss() : plan.precommitLoss()) : 0;
    if (voteLoss > 0 && net.now() < FAULTS_END && net.random.nextDouble() < voteLoss) {
      return; // drawn only when the plan drops votes: plans without vote loss replay as they were recorded
    }
    net.send(from.index, to.index, () -> to.receive(from, bytes));
  }

  /**
   * No honest validator signs two different proposals or votes for one height, round and type, across its
   * crashes, restarts and lost store tails: checked at every message it sends.
   */
  void signed(SimNode node, ConsensusMessage m) {
    if (node.fault != null) {
      return;
    }
    String slot;
    Hash value;
    if (m instanceof Vote v && v.validator().equals(node.id())) {
      slot = node.index + "/" + v.height() + "/" + v.round() + "/" + v.type();
      value = v.isNil() ? Hash.sha256(new byte[0]) : v.block();
    } else if (m instanceof Proposal p && p.proposer().equals(node.id())) {
      slot = node.index + "/" + p.height() + "/" + p.round() + "/proposal";
      value = p.value().hash();
    } else {
      return;
    }
    Hash before = signatures.putIfAbsent(slot, value);
    if (before != null && !before.equals(value)) {
      throw new InvariantViolation("EQUIVOCATION by honest node " + node.index + " at height/round/type " + slot + ": " + before + " and " + value);
    }
  }

  /**
   * No height has quorum certificates for two values: checked at every precommit any node sends (a Byzantine node's
   * twins included), before any node commits. With at most f faulty validators the lock rules make it impossible.
   */
  void sent(ConsensusMessage m) {
    if (!(m instanceof Vote v) || v.type() != VoteType.PRECOMMIT || v.isNil()) {
      return;
    }
    Set<NodeId> signers = precommits.computeIfAbsent(v.height() + "/" + v.round() + "/" + v.block(), k -> new HashSet<>());
    if (signers.add(v.validator()) && signers.size() == validators.quorum()) {
      Set<Hash> values = quorums.computeIfAbsent(v.height(), h -> new HashSet<>());
      values.add(v.block());
      if (values.size() > 1) {
        throw new InvariantViolation("TWO QUORUM CERTIFICATES at height " + v.height() + " (the second in round " + v.round() + "): " + values);
      }
    }
  }

  /**
   * Every honest node computes the same state after each block: checked at every execution, against the first honest
   * node that executed that height. Proposals carry the digest, so a node that diverged would also stop the chain.
   * The first execution of each height is also checked against a model of the clients' accounts kept here, apart from
   * the executor: every transaction that took effect was valid, and every valid one took effect.
   */
  void executed(SimNode node, Block block, BlockExecution execution) {
    if (node.fault != null) {
      return;
    }
    Hash digest = execution.stateDigest();
    Hash first = digests.putIfAbsent(block.height(), digest);
    if (first == null) {
      checkValidity(block, execution);
    } else if (!first.equals(digest)) {
      throw new InvariantViolation("STATE DIVERGED after block " + block.height() + ": node " + node.index + " computed " + digest
          + ", another honest node " + first);
    }
  }

  /** Per client account, the nonce of its next valid transaction, as the model says (heights come in order). */
  private final Map<AccountId, Long> nextNonces = new HashMap<>();
  /** Transactions that took effect, by id, with the height where they did: none may take effect twice. */
  private final Map<Hash, Long> applied = new HashMap<>();
  /** Every transaction the clients signed, by id: the only authentic ones (a signature check, without the cost). */
  private final Map<Hash, Transaction> issued = new HashMap<>();

  /**
   * A transaction is valid here if it names this chain, a client signed it and its nonce is its sender's next (the
   * clients' balances pay a billion fees): then it must have taken effect (accepted or failed, its fee paid); else it
   * must be invalid, with no effect.
   */
  private void checkValidity(Block block, BlockExecution execution) {
    List<Transaction> txs = block.transactions();
    for (int i = 0; i < txs.size(); i++) {
      Transaction tx = txs.get(i);
      long next = nextNonces.getOrDefault(tx.sender(), 0L);
      boolean valid = tx.chainId().equals(CHAIN) && tx.equals(issued.get(tx.id())) && tx.nonce() == next;
      TransactionResult result = execution.results().get(i);
      boolean tookEffect = result.outcome() != TransactionResult.Outcome.INVALID;
      if (tookEffect && (!valid || applied.putIfAbsent(tx.id(), block.height()) != null)) {
        throw new InvariantViolation("INVALID TRANSACTION TOOK EFFECT in block " + block.height() + " at index " + i + ": " + tx + " ("
            + result.outcome() + ") while its sender's next nonce is " + next);
      }
      if (valid && !tookEffect) {
        throw new InvariantViolation("VALID TRANSACTION REFUSED in block " + block.height() + " at index " + i + ": " + tx + ": " + result.reason());
      }
      if (valid) {
        nextNonces.put(tx.sender(), next + 1);
      }
    }
  }

  /**
   * Clients submit a transaction every 20 to 100 ms until the faults end and a little after: each to every node, or in
   * a plan with spreading to one node, which batches and spreads it.
   */
  private void submitLoad(long until) {
    net.after(20 + net.random.nextInt(81), () -> {
      int c = net.random.nextInt(CLIENTS);
      Transaction tx = Transaction.sign(CHAIN, clients.get(c), nonces[c]++, Amount.of(1),
          Payload.DataWrite.of("client-" + c, Long.toString(nonces[c]).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      issued.put(tx.id(), tx);
      int entry = net.random.nextInt(nodes.size());
      if (spreading != null) {
        outstanding.put(tx.id(), new Outstanding(c, tx, net.now()));
        submit(tx);
      } else {
        for (SimNode n : nodes) {
          net.send(entry, n.index, () -> n.receive(tx));
        }
      }
      if (net.now() < until) {
        submitLoad(until);
      }
    });
  }

  /** A client sends {@code tx} to one node that spreads (it may be down, or the message lost: the client sends again). */
  private void submit(Transaction tx) {
    SimNode entry;
    do {
      entry = nodes.get(net.random.nextInt(nodes.size()));
    } while (!entry.spreads());
    SimNode to = entry;
    net.send(to.index, to.index, () -> to.receive(tx));
  }

  /** Every {@link #RESUBMIT_MILLIS}, each client sends again its transactions not final after that long (its first 64). */
  private void resubmitLoop() {
    net.after(RESUBMIT_MILLIS, () -> {
      int[] sent = new int[CLIENTS];
      for (Outstanding o : outstanding.values()) {
        int c = o.client;
        if (net.now() - o.sentAt >= RESUBMIT_MILLIS && sent[c]++ < 64) {
          o.sentAt = net.now();
          resubmits++;
          submit(o.tx);
        }
      }
      resubmitLoop();
    });
  }

  /** Safety, checked at every commit of an honest node. */
  void committed(SimNode node, Block block) {
    if (node.fault != null) {
      return;
    }
    Hash previous = decided.putIfAbsent(block.height(), block.hash());
    if (previous != null && !previous.equals(block.hash())) {
      throw new InvariantViolation("FORK at height " + block.height() + ": node " + node.index + " committed " + block.hash()
          + " but another honest node committed " + previous);
    }
    // Nodes may hold different certificates for one block; the block after it carries one of them, fixed by its hash
    // (the fork check above), so all honest nodes agree on the previous commit whatever certificate each holds.
    // each certificate a node commits with is checked, not only the block's first: a forged one may come later
    if (certificates.computeIfAbsent(block.height(), h -> new HashSet<>()).add(block.certificate().hash())) {
      Verification v = block.verify(validators);
      if (!v.valid()) {
        throw new InvariantViolation("node " + node.index + " committed block " + block.height() + " that does not verify: " + v.reason());
      }
    }
  }

  /** Transactions whose receipts honest and faulty nodes reported final (each node's count). */
  long receiptsReported;

  /** Runs the plan's schedule (safety checked at every step) and checks liveness once the faults healed. */
  public Result run() {
    net.loss = plan.loss();
    net.duplicate = plan.duplicate();
    net.minDelay = plan.minDelay();
    net.maxDelay = plan.maxDelay();
    for (int i = 0; i < nodes.size(); i++) {
      net.at(plan.starts().get(i), nodes.get(i)::start);
    }
    if (genesis != null) {
      submitLoad(FAULTS_END + 2_000);
      if (spreading != null) {
        resubmitLoop();
      }
    }
    for (FaultPlan.Partition p : plan.partitions()) {
      partitions++;
      net.at(p.at(), () -> net.group = p.groups().clone());
      net.at(p.until(), () -> net.group = new int[nodes.size()]);
    }
    for (FaultPlan.Crash c : plan.crashes()) {
      crashes++;
      SimNode victim = nodes.get(c.node());
      net.at(c.at(), victim::crash);
      net.at(c.until() - 1, () -> victim.loseTail(c.lostBlocks()));
      net.at(c.until(), victim::restart);
    }
    net.runUntil(FAULTS_END);
    net.heal();
    nodes.forEach(SimNode::restart);
    long healedAt = honest().stream().mapToLong(SimNode::tip).max().orElse(0);
    long start = net.now();
    long livenessAt = -1;
    for (long t = start + 500; t <= start + LIVENESS_BOUND; t += 500) {
      net.runUntil(t);
      if (honest().stream().allMatch(n -> n.tip() > healedAt) && (spreading == null || t > FAULTS_END + 2_000 && outstanding.isEmpty())) {
        livenessAt = t - start;
        break;
      }
    }
    if (livenessAt < 0) {
      StringBuilder s = new StringBuilder(honest().stream().allMatch(n -> n.tip() > healedAt)
          ? "LIVENESS: " + outstanding.size() + " client transactions never became final within " + LIVENESS_BOUND + " ms of the heal (the"
              + " first: " + outstanding.values().iterator().next().tx + ") over " + spreading.protocol() + ":"
          : "LIVENESS: not every honest node committed above height " + healedAt + " within " + LIVENESS_BOUND + " ms of the heal:");
      for (SimNode n : honest()) {
        s.append("\n  node ").append(n.index).append(" tip ").append(n.tip()).append(" at h").append(n.machine.height())
            .append(": ").append(n.machine.describe()).append("; writes pending ").append(n.machine.pendingWrites()).append(", messages held ")
            .append(n.machine.held()).append(signersOf(n));
      }
      throw new InvariantViolation(s.toString());
    }
    for (SimNode n : honest()) {
      for (var r : n.reported.entrySet()) {
        if (n.tip() < r.getKey() || !n.chain.get((int) (r.getKey() - 1)).hash().equals(r.getValue())) {
          throw new InvariantViolation("RECEIPT LOST: node " + n.index + " reported the transactions of block " + r.getKey() + " final and holds "
              + (n.tip() < r.getKey() ? "only " + n.tip() + " blocks" : "another block there") + " after the heal");
        }
      }
    }
    for (SimNode n : honest()) {
      n.checkLookups(applied);
    }
    int evidence = 0;
    for (SimNode n : honest()) {
      for (Evidence e : n.machine.evidence()) {
        SimNode offender = byId.get(e.offender());
        if (offender == null || offender.fault == null) {
          throw new InvariantViolation("node " + n.index + " holds evidence against an honest node: " + e);
        }
        evidence++;
      }
    }
    long max = honest().stream().mapToLong(SimNode::tip).max().orElse(0);
    return new Result(seed, validators.size(), plan.faulty().size(), crashes, partitions, max, healedAt, livenessAt, evidence, net.events(),
        liar != null, badBlocksCaught, (int) certificates.values().stream().filter(c -> c.size() > 1).count(),
        honest().stream().mapToLong(n -> n.chain.stream().mapToLong(b -> b.transactions().size()).sum()).max().orElse(0), receiptsReported,
        spreading == null ? null : spreading.protocol(), resubmits, spreadAdmitted);
  }

  /** Which nodes' votes {@code n} holds in its current round, by index, for a liveness failure's report. */
  private String signersOf(SimNode n) {
    int r = n.machine.round();
    java.util.function.Function<List<NodeId>, String> who = ids -> ids.stream()
        .map(id -> String.valueOf(nodes.stream().filter(x -> x.id().equals(id)).findFirst().map(x -> x.index).orElse(-1)))
        .sorted().collect(java.util.stream.Collectors.joining(",", "{", "}"));
    return "; prevotes from " + who.apply(n.machine.prevoters(r)) + ", precommits from " + who.apply(n.machine.precommitters(r));
  }

  private List<SimNode> honest() {
    return nodes.stream().filter(n -> n.fault == null).toList();
  }
}
