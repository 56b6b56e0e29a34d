package org.meshledger.impl.consensus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import org.meshledger.chain.Block;
import org.meshledger.chain.Hash;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.ValidatorSet;

/**
 * One node's Tendermint state machine (Buchman, Kwon, Milosevic 2018, Algorithm 1), sans-IO: it is fed
 * messages ({@link #onMessage}) and fired timers ({@link #onTimeout}) and acts only through its
 * {@link ConsensusHost}. After every input it re-evaluates the paper's upon-rules until none applies, so a
 * rule fires whichever order its messages came in. A follower (no key, or a key that is not a validator)
 * runs the same rules but never signs; it commits from the validators' precommits or from certified blocks.
 *
 * <p>Beyond the paper: messages for the next height are buffered and replayed; a node that is behind takes
 * certified blocks from block sync ({@link #onCertifiedBlock}, verified by the host) instead of replaying
 * rounds; each node re-sends its messages of the current round every {@code voteTimeout} (the paper assumes
 * reliable links, the simulator and the Internet lose messages); every signed message is first written to the
 * host through {@link SafetyRecord}; and a validator restored from a record ahead of its chain signs nothing
 * below that record's height ({@link #signing()}). Not thread-safe.
 */
public final class Tendermint {
  /** The step of the current round. */
  public enum Step {
    PROPOSE, PREVOTE, PRECOMMIT
  }

  /** Rounds further ahead of the current one than this are ignored, which bounds memory per height. */
  static final int MAX_ROUNDS_AHEAD = 64;
  private static final int MAX_BUFFERED = 4096;
  /** Earlier rounds of the height whose own votes each re-broadcast carries again (and the safety record keeps). */
  static final int REGOSSIP_ROUNDS = SafetyRecord.EARLIER_ROUNDS;
  private static final int MAX_EVIDENCE = 1024;

  private final ConsensusConfig config;
  private final ConsensusHost host;
  private final ValidatorSet validators;
  private final boolean validator;
  private final SafetyRecord restored;
  /**
   * The first height this validator may sign at: the height of its restored safety record when that is above
   * the next height (its store lost blocks it had committed, or was rebuilt). Below it the validator may have
   * signed before, so it follows without signing until the chain reaches the record.
   */
  private final long signFrom;

  private long height;
  private Hash previousHash;
  private int round;
  private Step step = Step.PROPOSE;
  private boolean waitingForHeight;
  private int lockedRound = -1;
  private Candidate lockedValue;
  private int validRound = -1;
  private Candidate validValue;
  private List<Vote> validProof = List.of();
  private SafetyRecord safety;
  /** The round a new height starts at: 0, or the restored record's round. */
  private int startAt;
  /** When the last block was committed (host time), and whether a peer has spoken at the new height since. */
  private long committedAt;
  private boolean peerAtNewHeight;

  private HeightState seen;
  private final List<NodeIdMessage> nextHeight = new ArrayList<>();
  private final List<Evidence> evidence = new ArrayList<>();
  private final Validity validity;

  private record NodeIdMessage(NodeId from, ConsensusMessage message) {}

  /** A message held until the first {@code after} writes of the durable log are durable. */
  private record Outgoing(long after, ConsensusMessage message) {}

  /** Writes asked of the host's durable log, and writes it reported durable (always in order). */
  private long writesAsked;
  private long writesDone;
  private final ArrayDeque<Outgoing> outbox = new ArrayDeque<>();
  /** Deliberate faults for the simulator to find; empty in production (see {@link Bug}). */
  private final EnumSet<Bug> bugs = EnumSet.noneOf(Bug.class);

  /**
   * A machine that continues after the committed block {@code lastHeight} (0 and the genesis hash for a new
   * chain), with the validator's persisted {@code restored} record, or null.
   */
  public Tendermint(ConsensusConfig config, ConsensusHost host, long lastHeight, Hash lastHash, SafetyRecord restored) {
    this.config = Objects.requireNonNull(config, "config");
    this.host = Objects.requireNonNull(host, "host");
    this.validators = config.validators();
    this.validator = config.isValidator();
    this.height = lastHeight + 1;
    this.previousHash = Objects.requireNonNull(lastHash, "lastHash");
    this.restored = restored;
    this.signFrom = restored != null && restored.height() > height ? restored.height() : height;
    this.validity = new Validity(config, host);
    this.seen = new HeightState(config, height, this::addEvidence);
  }

  /** Starts the first round (or the restored one) and the re-broadcast timer. */
  public void start() {
    host.schedule(new Timeout(Timeout.Kind.GOSSIP, 0, 0), config.parameters().voteTimeout().toMillis());
    startRound(restore());
    evaluate();
  }

  /**
   * Takes the restored safety record if it is for the current height (its round, lock and valid value), else
   * an empty one; returns the round to start at. Called when a height begins.
   */
  private int restore() {
    if (restored != null && restored.height() == height) {
      safety = restored;
      lockedRound = restored.lockedRound();
      lockedValue = restored.lockedValue();
      validRound = restored.validRound();
      validValue = restored.validValue();
      validProof = restored.validProof();
      validProof.forEach(v -> onVote(v, false));
      restored.earlierVotes().forEach(v -> onVote(v, true)); // its own votes of rounds it left, for re-broadcast
      return restored.round();
    }
    safety = SafetyRecord.empty(height);
    return 0;
  }

  /** True if this node signs at the current height: a validator, and not below its restored record's height. */
  public boolean signing() {
    return validator && height >= signFrom;
  }

  public long height() {
    return height;
  }

  public int round() {
    return round;
  }

  public Step step() {
    return step;
  }

  /** True between a commit and the next height's first round (the block interval, or the idle heartbeat). */
  public boolean waitingForHeight() {
    return waitingForHeight;
  }

  /** Equivocations seen so far (bounded). */
  public List<Evidence> evidence() {
    return List.copyOf(evidence);
  }

  /** The proposer of {@code round} at {@code h}: round robin over the sorted validator set. */
  public NodeId proposer(long h, int r) {
    List<NodeId> list = validators.validators();
    return list.get((int) Math.floorMod(h + r, (long) list.size()));
  }

  /** What this machine saw of round {@code r} at the current height, or null: for tests of this package. */
  RoundState seenRound(int r) {
    return seen.get(r);
  }

  /** The validators whose prevotes and precommits this machine holds in round {@code r} of its height: for failure reports. */
  public List<NodeId> prevoters(int r) {
    RoundState rs = seen.get(r);
    return rs == null ? List.of() : rs.prevotes.votes().stream().map(Vote::validator).toList();
  }

  /** As {@link #prevoters}, for precommits. */
  public List<NodeId> precommitters(int r) {
    RoundState rs = seen.get(r);
    return rs == null ? List.of() : rs.precommits.votes().stream().map(Vote::validator).toList();
  }

  /** A one-line summary of the current height's state, for test failures and logs. */
  public String describe() {
    StringBuilder s = new StringBuilder("h" + height + " r" + round + " " + step + (waitingForHeight ? " (waiting)" : "")
        + " locked r" + lockedRound + " valid r" + validRound + ";");
    seen.describe(s);
    return s.toString();
  }

  /**
   * Turns on a deliberate fault, for the simulator's proof that it finds such faults. Never called in production;
   * package-private so only tests of this package reach it.
   */
  void inject(Bug bug) {
    bugs.add(bug);
  }

  /** Writes asked of the durable log that the host has not reported durable yet. */
  public long pendingWrites() {
    return writesAsked - writesDone;
  }

  /** Messages waiting for the durable log. */
  public int held() {
    return outbox.size();
  }

  // ---- inputs

  /**
   * The host's durable log finished the oldest pending write (see {@link ConsensusHost#persist}): the messages that
   * waited for it leave now, in the order the machine sent them.
   */
  public void onDurable() {
    if (writesDone >= writesAsked) {
      throw new IllegalStateException("onDurable without a pending write (" + writesDone + " of " + writesAsked + " done)");
    }
    writesDone++;
    while (!outbox.isEmpty() && outbox.peek().after() <= writesDone) {
      host.broadcast(outbox.poll().message());
    }
  }

  /**
   * A proposal or vote from {@code from} (its signature is checked here, through the configured verifier).
   * Messages of block sync ({@link ConsensusMessage.Decision}, {@link ConsensusMessage.SyncRequest},
   * {@link ConsensusMessage.Status}) are not the machine's: the host hands them to {@code BlockSync}, and
   * certified blocks come back through {@link #onCertifiedBlock}. Messages for the next height wait for it; a
   * copy of one already seen changes nothing.
   */
  public void onMessage(NodeId from, ConsensusMessage message) {
    if (!(message instanceof Proposal || message instanceof Vote)) {
      return;
    }
    long h = message.height();
    if (h > height) {
      if (h == height + 1 && nextHeight.size() < MAX_BUFFERED) {
        nextHeight.add(new NodeIdMessage(from, message));
      }
      return;
    }
    if (h < height) {
      return;
    }
    if (waitingForHeight) {
      peerAtNewHeight = true; // a peer started the height: so do we, once the block interval has passed
      startHeightIfDue(false);
    }
    if (message instanceof Proposal p) {
      onProposal(p);
    } else if (message instanceof Vote v) {
      onVote(v, false);
    }
    evaluate();
  }

  public void onTimeout(Timeout t) {
    switch (t.kind()) {
      case GOSSIP -> {
        regossip();
        host.schedule(t, config.parameters().voteTimeout().toMillis());
      }
      case NEW_HEIGHT -> {
        if (t.height() == height && waitingForHeight) {
          startHeightIfDue(true);
        }
      }
      case PROPOSE -> {
        if (t.height() == height && t.round() == round && step == Step.PROPOSE && !waitingForHeight) {
          prevote(null);
        }
      }
      case PREVOTE -> {
        if (t.height() == height && t.round() == round && step == Step.PREVOTE && !waitingForHeight) {
          precommit(null);
        }
      }
      case PRECOMMIT -> {
        if (t.height() == height && t.round() == round && !waitingForHeight) {
          startRound(round + 1);
        }
      }
    }
    evaluate();
  }

  /**
   * The application has transactions waiting (the host calls this on the machine's thread when work arrives): if the
   * block interval has passed since the last commit, the next height starts now instead of at the idle heartbeat.
   */
  public void onWork() {
    if (waitingForHeight) {
      startHeightIfDue(false);
    }
    evaluate();
  }

  /**
   * Idle blocks: after a commit the next height starts once {@code blockInterval} has passed, if the application has
   * work or a peer already started it; otherwise at {@code heartbeat}, so an idle chain makes an empty block only that
   * often. {@code timer}: called from the height's timer, which is re-armed for the heartbeat while idle.
   */
  private void startHeightIfDue(boolean timer) {
    long since = host.now() - committedAt;
    long interval = config.parameters().blockInterval().toMillis();
    long heartbeat = config.parameters().heartbeat().toMillis();
    if (since < interval) {
      if (timer) {
        // A driver's timer may fire a little before the host's clock says the interval passed (their clocks differ):
        // arm it again for the rest, or the height would wait for a peer that may be waiting just the same.
        host.schedule(new Timeout(Timeout.Kind.NEW_HEIGHT, height, 0), interval - since);
      }
      return; // the height's timer comes at the interval
    }
    if (since >= heartbeat || peerAtNewHeight || host.hasWork()) {
      waitingForHeight = false;
      startRound(startAt);
    } else if (timer) {
      host.schedule(new Timeout(Timeout.Kind.NEW_HEIGHT, height, 0), heartbeat - since);
    }
  }

  private void onProposal(Proposal p) {
    seen.addProposal(p, proposer(height, p.round()), round + MAX_ROUNDS_AHEAD);
  }

  private void onVote(Vote v, boolean own) {
    seen.addVote(v, own, round + MAX_ROUNDS_AHEAD);
    if (v.round() < round && bugs.contains(Bug.ACCEPT_STALE_VOTE_ROUND)) {
      seen.state(round).votes(v.type()).addFromEarlierRound(v, own);
    }
  }

  private void addEvidence(Evidence e) {
    if (evidence.size() < MAX_EVIDENCE) {
      evidence.add(e);
    }
  }

  // ---- the upon-rules of Algorithm 1

  private void evaluate() {
    boolean progress = true;
    while (progress && !waitingForHeight) {
      progress = decideAny() || proposalRules() || voteRules() || roundSkip();
    }
  }

  /** Lines 22 and 28: the round's proposal while in step propose. */
  private boolean proposalRules() {
    RoundState rs = seen.get(round);
    Proposal p = rs == null ? null : rs.proposal();
    if (step != Step.PROPOSE || p == null) {
      return false;
    }
    Candidate v = p.value();
    int vr = p.validRound();
    if (vr == -1) {
      boolean free = lockedRound == -1 || v.equals(lockedValue) || bugs.contains(Bug.DROP_LOCK_RULE);
      prevote(valid(v) && free ? v.hash() : null);
      return true;
    }
    RoundState pol = seen.get(vr);
    if (pol != null && pol.prevotes.quorumFor(v.hash())) {
      boolean unlocks = lockedRound <= vr || v.equals(lockedValue) || bugs.contains(Bug.ACCEPT_STALE_LOCK_ROUND);
      prevote(valid(v) && unlocks ? v.hash() : null);
      return true;
    }
    return false;
  }

  /** Lines 34, 36, 44 and 47: what two thirds of the current round's votes trigger. */
  private boolean voteRules() {
    RoundState rs = seen.state(round);
    if (step == Step.PREVOTE && rs.prevotes.quorumAny() && !rs.prevoteTimeoutScheduled) {
      rs.prevoteTimeoutScheduled = true;
      host.schedule(new Timeout(Timeout.Kind.PREVOTE, height, round), config.timeoutVote(round));
    }
    if (rs.precommits.quorumAny() && !rs.precommitTimeoutScheduled) {
      rs.precommitTimeoutScheduled = true;
      host.schedule(new Timeout(Timeout.Kind.PRECOMMIT, height, round), config.timeoutVote(round));
    }
    if (step != Step.PROPOSE && !rs.lockRuleFired) {
      Hash b = rs.prevotes.quorumBlock();
      Proposal p = b == null ? null : rs.proposalFor(b);
      if (p != null && valid(p.value())) {
        rs.lockRuleFired = true;
        validValue = p.value();
        validRound = round;
        validProof = rs.prevotes.votesFor(b);
        if (step == Step.PREVOTE) {
          lockedValue = p.value();
          lockedRound = round;
          precommit(b);
        } else {
          persist(safety.withLocks(lockedRound, lockedValue, validRound, validValue, validProof));
        }
        return true;
      }
    }
    if (step == Step.PREVOTE && rs.prevotes.quorumFor(null)) {
      precommit(null);
      return true;
    }
    return false;
  }

  /** Line 49: two thirds precommitted a block we hold, in any round: commit it with their certificate. */
  private boolean decideAny() {
    for (RoundState rs : seen.all()) {
      Hash b = rs.precommits.quorumBlock();
      if (b == null) {
        continue;
      }
      Candidate c = seen.candidate(b);
      if (c != null && valid(c)) {
        commitBlock(c.certify(rs.precommits.certificate(b)));
        return true;
      }
    }
    return false;
  }

  /** Line 55: more than a third of the validators are in a later round: go there. */
  private boolean roundSkip() {
    int target = seen.skipTarget(round, config.oneThirdPlus());
    if (target < 0) {
      return false;
    }
    startRound(target);
    return true;
  }

  private boolean valid(Candidate c) {
    return validity.candidate(c, height, previousHash);
  }

  // ---- actions

  private void startRound(int r) {
    round = r;
    step = Step.PROPOSE;
    if (signing() && proposer(height, r).equals(config.key().nodeId())) {
      Proposal p = safety.round() == r && safety.proposal() != null ? safety.proposal() : null;
      if (p == null && r >= safety.round()) {
        Candidate value = validValue != null ? validValue : host.propose(height, previousHash);
        p = Proposal.sign(config.key(), config.chainId(), height, r, value, validValue != null ? validRound : -1);
        persist(safety.atRound(r).withProposal(p));
      }
      if (p != null) {
        send(p);
        onProposal(p);
        sendProofOfLock(p);
        return;
      }
      host.schedule(new Timeout(Timeout.Kind.PROPOSE, height, r), config.timeoutPropose(r));
    } else {
      host.schedule(new Timeout(Timeout.Kind.PROPOSE, height, r), config.timeoutPropose(r));
    }
  }

  private void prevote(Hash block) {
    step = Step.PREVOTE;
    sign(VoteType.PREVOTE, block);
  }

  private void precommit(Hash block) {
    step = Step.PRECOMMIT;
    sign(VoteType.PRECOMMIT, block);
  }

  /** Signs and sends a vote, unless this validator already signed one in this slot: then that one is re-sent. */
  private void sign(VoteType type, Hash block) {
    if (!signing() || round < safety.round()) {
      return;
    }
    Vote v = safety.signed(type, round);
    if (v == null) {
      v = Vote.sign(config.key(), config.chainId(), type, height, round, block);
      persist(safety.atRound(round).withVote(v).withLocks(lockedRound, lockedValue, validRound, validValue, validProof));
    }
    send(v);
    onVote(v, true);
  }

  private void persist(SafetyRecord record) {
    safety = record;
    if (signing()) {
      written(host.persist(record));
    }
  }

  /** Counts one write asked of the durable log; {@code durable} if the host reported it durable on return. */
  private void written(boolean durable) {
    writesAsked++;
    if (durable) {
      if (writesDone != writesAsked - 1) {
        throw new IllegalStateException("the host reported a write durable while an earlier one is pending");
      }
      writesDone++;
    }
  }

  /**
   * Sends {@code m} to every peer once every write asked so far is durable: at once when none is pending, else from
   * {@link #onDurable}. Nothing signed leaves before its safety record, nothing of a height before its previous block.
   */
  private void send(ConsensusMessage m) {
    if (writesDone == writesAsked || bugs.contains(Bug.SEND_BEFORE_DURABLE)) {
      host.broadcast(m);
    } else {
      outbox.add(new Outgoing(writesAsked, m));
    }
  }

  private void commitBlock(Block block) {
    written(host.commit(block));
    height = block.height() + 1;
    previousHash = block.hash();
    round = 0;
    step = Step.PROPOSE;
    lockedRound = -1;
    lockedValue = null;
    validRound = -1;
    validValue = null;
    validProof = List.of();
    seen = new HeightState(config, height, this::addEvidence);
    validity.clear();
    startAt = restore();
    waitingForHeight = true;
    committedAt = host.now();
    peerAtNewHeight = false;
    host.schedule(new Timeout(Timeout.Kind.NEW_HEIGHT, height, 0), config.parameters().blockInterval().toMillis());
    List<NodeIdMessage> buffered = new ArrayList<>(nextHeight);
    nextHeight.clear();
    for (NodeIdMessage m : buffered) {
      if (m.message().height() == height) {
        onMessage(m.from(), m.message());
      }
    }
  }

  // ---- certified blocks from sync, and re-broadcast

  /**
   * A certified block from block sync, whose certificate and transaction signatures the host verified already
   * (off the event loop): committed if it is the next block of this chain (height, link, validator set,
   * transactions root, a quorum of signers, and the application accepts it). Returns true if it was committed.
   * A block for another height changes nothing: sync hands blocks over in order.
   */
  public boolean onCertifiedBlock(Block block) {
    if (block.height() != height || !validity.certifiedVerified(block, height, previousHash)) {
      return false;
    }
    commitBlock(block);
    evaluate();
    return true;
  }

  /**
   * Relays the prevotes of a re-proposal's valid round (its proof of lock): a validator that was not there
   * in that round, or restarted since, can only prevote the value (line 28) once it holds them. The paper's
   * gossip assumption provides this; here the proposer and every relay of the proposal send them along.
   */
  private void sendProofOfLock(Proposal p) {
    RoundState pol = p.validRound() < 0 ? null : seen.get(p.validRound());
    if (pol == null || !pol.prevotes.quorumFor(p.value().hash())) {
      return;
    }
    pol.prevotes.votesFor(p.value().hash()).forEach(this::send);
  }

  /**
   * Re-sends what this node signed in the current round and the {@value #REGOSSIP_ROUNDS} before it, and the round's
   * proposal, against lost messages.
   */
  private void regossip() {
    if (waitingForHeight) {
      return;
    }
    RoundState rs = seen.get(round);
    if (rs != null && rs.proposal() != null) {
      send(rs.proposal());
      sendProofOfLock(rs.proposal());
    }
    if (signing() && safety.height() == height && safety.round() == round) {
      if (safety.prevote() != null) {
        send(safety.prevote());
      }
      if (safety.precommit() != null) {
        send(safety.precommit());
      }
    }
    // The votes this node signed in the rounds it left: a validator still in one of them may need exactly these to
    // reach a quorum (of any kind) and time out, and nothing else would bring them. Without this, three honest
    // validators of four, one of them a round ahead after a lost message, waited for each other for ever.
    if (signing()) {
      NodeId self = config.key().nodeId();
      for (int r = Math.max(0, round - REGOSSIP_ROUNDS); r < round; r++) {
        RoundState past = seen.get(r);
        if (past != null) {
          past.prevotes.by(self).forEach(this::send);
          past.precommits.by(self).forEach(this::send);
        }
      }
    }
  }
}
