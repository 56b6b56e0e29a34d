package org.meshledger.impl.consensus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.ValidatorSet;

/**
 * Whether consensus can progress, as one node sees it: how many validators it reaches, and how long its current
 * height has gone without a decision. Sans-IO: the driver reports connections, fresh messages and the machine's
 * height and round, each with its own clock's time, and asks for an {@link Assessment} at a time of its choosing.
 *
 * <p><b>Reachable.</b> A validator is reachable if it is this node, if this node has a live connection to it, or
 * if a new proposal or vote it signed reached this node through other nodes within the last
 * {@link #heardWindowMillis()} (the longest a live validator stays silent on an idle chain: a heartbeat and the
 * rounds of {@link #stallMillis()}). A closed connection also forgets what came through others, since that may
 * have come from the same source; the validator counts again with its next fresh message.
 *
 * <p><b>Stalled.</b> With the validators of a quorum reachable, a height still goes undecided if they do not vote
 * together (halted, partitioned from each other, or faulty). Round-robin proposers let at most f crashed
 * validators fail f rounds in a row, so round {@code f + 1} decides in a synchronous network; a height counts as
 * stalled once {@link #stallRounds()} = f + 2 rounds passed without a decision, or as long as those rounds'
 * timeouts take ({@link #stallMillis()}), because a round in which no quorum votes never ends. Both count from the
 * height's first round, or from the moment a quorum became reachable again if that is later (a height that waited
 * for a quorum is not stalled the moment the quorum is back). The wait between heights (block interval, idle
 * heartbeat) is not counted.
 *
 * <p><b>Threading.</b> The update methods are called from one thread (the node's context); {@link #assess} may be
 * called from any thread and reads a consistent-enough view (each figure is current, together they may be a
 * moment apart).
 */
public final class ConsensusHealth {
  /** How many unreachable validators an explanation names at most. */
  private static final int NAMED = 5;

  /** What the node can tell about consensus. */
  public enum Verdict {
    /** A quorum is reachable and the current height is not overdue. */
    OK,
    /** Fewer validators are reachable than a quorum: no block can be decided. */
    NO_QUORUM,
    /** A quorum is reachable, but the current height has gone undecided too long. */
    STALLED
  }

  /**
   * One assessment.
   *
   * @param verdict what it means
   * @param reachable validators reachable, this node included if it is one
   * @param needed the quorum
   * @param validators the set's size
   * @param reason an operator's explanation for {@link Verdict#NO_QUORUM} and {@link Verdict#STALLED}; empty for OK
   */
  public record Assessment(Verdict verdict, int reachable, int needed, int validators, String reason) {}

  private final ValidatorSet validators;
  private final NodeId self;
  private final int stallRounds;
  private final long stallMillis;
  private final long heardWindowMillis;
  private final Map<NodeId, Integer> connections = new ConcurrentHashMap<>();
  private final Map<NodeId, Long> heard = new ConcurrentHashMap<>();
  private volatile long height = -1;
  private volatile int round;
  /**
   * When the stall clock started: the current height's first round, or a quorum reachable again since; -1 while
   * waiting for the height to start.
   */
  private volatile long since = -1;
  /** The round at {@link #since}. */
  private volatile int sinceRound;

  /** For the node whose key is {@code config.key()} (a follower if it is not a validator). */
  public ConsensusHealth(ConsensusConfig config) {
    this.validators = config.validators();
    this.self = config.isValidator() ? config.key().nodeId() : null;
    this.stallRounds = config.maxFaulty() + 2;
    long rounds = 0;
    for (int r = 0; r < stallRounds; r++) {
      rounds += config.timeoutPropose(r) + 2 * config.timeoutVote(r);
    }
    this.stallMillis = rounds;
    this.heardWindowMillis = config.parameters().heartbeat().toMillis() + rounds;
  }

  /** How many rounds may end without a decision before a height counts as stalled: f + 2. */
  public int stallRounds() {
    return stallRounds;
  }

  /** How long a height may go undecided from its first round before it counts as stalled. */
  public long stallMillis() {
    return stallMillis;
  }

  /** How long a validator heard only through other nodes stays reachable after its last fresh message. */
  public long heardWindowMillis() {
    return heardWindowMillis;
  }

  // ---- updates, on the driver's thread

  /** A connection to {@code peer} completed its handshake at {@code now}. */
  public void connected(NodeId peer, long now) {
    if (validators.contains(peer)) {
      boolean regained = regains(peer, now);
      connections.merge(peer, 1, Integer::sum);
      restartClockIf(regained, now);
    }
  }

  /** A connection to {@code peer} closed. */
  public void disconnected(NodeId peer) {
    if (validators.contains(peer)) {
      connections.computeIfPresent(peer, (k, n) -> n > 1 ? n - 1 : null);
      heard.remove(peer);
    }
  }

  /** A proposal or vote signed by {@code signer}, new to this node, arrived at {@code now}. */
  public void heard(NodeId signer, long now) {
    if (validators.contains(signer) && !signer.equals(self)) {
      boolean regained = regains(signer, now);
      heard.put(signer, now);
      restartClockIf(regained, now);
    }
  }

  /** True if {@code v} is unreachable at {@code now} and reaching it makes a quorum: one short of it without. */
  private boolean regains(NodeId v, long now) {
    return !reachable(v, now) && reachableCount(now) == validators.quorum() - 1;
  }

  private void restartClockIf(boolean regained, long now) {
    if (regained && since >= 0) {
      sinceRound = round;
      since = now;
    }
  }

  /** The machine is at {@code height}, round {@code round}, {@code waiting} for the height's first round to begin. */
  public void observe(long height, int round, boolean waiting, long now) {
    if (height != this.height || waiting || since < 0) {
      this.height = height;
      this.sinceRound = round;
      this.since = waiting ? -1 : now;
    }
    this.round = round;
  }

  // ---- the assessment, from any thread

  /** How things stand at {@code now}. */
  public Assessment assess(long now) {
    List<NodeId> unreachable = new ArrayList<>();
    for (NodeId v : validators.validators()) {
      if (!reachable(v, now)) {
        unreachable.add(v);
      }
    }
    int n = validators.size();
    int reachable = n - unreachable.size();
    int needed = validators.quorum();
    if (reachable < needed) {
      return new Assessment(Verdict.NO_QUORUM, reachable, needed, n, String.format(Locale.ROOT,
          "no quorum: %d of %d validators reachable, %d needed to decide a block; unreachable: %s. Start or reconnect %d of them",
          reachable, n, needed, names(unreachable), needed - reachable));
    }
    long h = height;
    int r = round;
    long start = since;
    int rounds = r - sinceRound;
    if (start >= 0 && (rounds >= stallRounds || now - start >= stallMillis)) {
      return new Assessment(Verdict.STALLED, reachable, needed, n, String.format(Locale.ROOT,
          "stalled: height %d has gone %s without a decision while a quorum was reachable (%d of %d validators, %d needed), now in"
              + " round %d; the validators do not vote together: look for halted, partitioned or faulty ones in their status",
          h, seconds(now - start), reachable, n, needed, r));
    }
    return new Assessment(Verdict.OK, reachable, needed, n, "");
  }

  private int reachableCount(long now) {
    int count = 0;
    for (NodeId v : validators.validators()) {
      if (reachable(v, now)) {
        count++;
      }
    }
    return count;
  }

  private boolean reachable(NodeId v, long now) {
    if (v.equals(self) || connections.containsKey(v)) {
      return true;
    }
    Long at = heard.get(v);
    return at != null && now - at <= heardWindowMillis;
  }

  private static String names(List<NodeId> ids) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < ids.size() && i < NAMED; i++) {
      s.append(i == 0 ? "" : ", ").append(ids.get(i).toHex(), 0, 16);
    }
    return ids.size() > NAMED ? s + " and " + (ids.size() - NAMED) + " more" : s.toString();
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", Math.max(0, millis) / 1000.0);
  }
}
