package org.meshledger;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.genesis.Role;

/**
 * A snapshot of a node: who it is, where it listens, how far its chain goes, whom it is connected to, and whether
 * its chain can grow: {@link #sync()} is {@link SyncState#IN_SYNC} while all is well; otherwise it says what holds
 * the node back and {@link #fault()} explains it in words an operator can act on.
 *
 * @param id the node's key
 * @param roles the node's roles in the genesis (empty for a non-member in an open network)
 * @param state where the node is in its life
 * @param port the port it listens on (the actual one when the options said 0); 0 while not listening
 * @param height the height of its last committed block
 * @param peers its live connections, after their handshake
 * @param sync whether it knows of blocks it lacks, cannot decide new ones, or has halted
 * @param mempool the transactions waiting in its mempool
 * @param fault why the node is not committing ({@link SyncState#HALTED}, {@link SyncState#NO_QUORUM},
 *     {@link SyncState#STALLED}), or the empty string
 * @param progress block sync's figures: the height, the target its peers claim, blocks and transactions per
 *     second, an ETA
 * @param quorum how many validators this node reaches, and how many consensus needs
 * @param service for a node whose key is a Secure or Super Node (by the genesis or a registration): how it stands
 *     in the current epoch and why it did or did not earn in the last one; empty for any other node
 */
public record NodeStatus(NodeId id, Set<Role> roles, State state, int port, long height, List<PeerInfo> peers, SyncState sync,
    int mempool, String fault, SyncProgress progress, Quorum quorum, Optional<ServiceDuty> service) {
  public NodeStatus {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(fault, "fault");
    Objects.requireNonNull(sync, "sync");
    if (sync.explained() == fault.isEmpty()) {
      throw new IllegalArgumentException("a node that is " + sync + " " + (fault.isEmpty() ? "names its fault" : "has no fault, got: " + fault));
    }
    roles = Set.copyOf(roles);
    Objects.requireNonNull(state, "state");
    peers = List.copyOf(peers);
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(quorum, "quorum");
    Objects.requireNonNull(service, "service");
  }

  /**
   * A service node's duty as it sees it: the ledger's record of its answers and the node's own last answer.
   *
   * @param standing its standing in the current epoch, as the last stored block left it; empty if the ledger does not
   *     list it (not registered, or its exit completed)
   * @param lastEpoch its result in the last closed epoch: the outcome says why it did or did not earn
   * @param lastAnswer what became of the last challenge answer this node sent (accepted, or the ledger's reason:
   *     late, wrong proof, replayed, not registered), or the empty string before its first
   */
  public record ServiceDuty(Optional<IncentiveReport.ServiceStanding> standing, Optional<IncentiveReport.ServiceResult> lastEpoch,
      String lastAnswer) {
    public ServiceDuty {
      Objects.requireNonNull(standing, "standing");
      Objects.requireNonNull(lastEpoch, "lastEpoch");
      Objects.requireNonNull(lastAnswer, "lastAnswer");
    }

    /** One line for an operator: registered or not, answers so far against what it needs, the last outcome. */
    public String summary() {
      StringBuilder b = new StringBuilder();
      if (standing.isEmpty()) {
        b.append("not a registered service node: it answers no challenge and earns nothing");
      } else {
        IncentiveReport.ServiceStanding s = standing.get();
        b.append(s.tier().jsonName()).append(": answered ").append(s.answered()).append(" of ").append(s.windowsPerEpoch())
            .append(" windows this epoch, needs ").append(s.needed());
        if (s.penalty() > 0) {
          b.append(", penalty ").append(s.penalty());
        }
        s.exitHeight().ifPresent(h -> b.append(", leaving since block ").append(h));
      }
      lastEpoch.ifPresent(r -> b.append("; last epoch: ").append(r.outcome()).append(" (answered ").append(r.answered()).append(" of ")
          .append(r.windows()).append(", earned ").append(r.earned()).append(")"));
      if (!lastAnswer.isEmpty()) {
        b.append("; last answer: ").append(lastAnswer);
      }
      return b.toString();
    }
  }

  /** The peer with key {@code id}, if connected. */
  public Optional<PeerInfo> peer(NodeId id) {
    return peers.stream().filter(p -> p.id().equals(id)).findFirst();
  }

  /** A node's life: built, starting, running, stopping, stopped. A stopped node cannot start again. */
  public enum State {
    /** Built; {@link Node#start()} not called yet. */
    NEW,
    /** Opening its store, listening and dialling. */
    STARTING,
    /** Serving. */
    RUNNING,
    /** Closing its connections, timers and files. */
    STOPPING,
    /** Everything released. */
    STOPPED
  }

  /**
   * Whether the node's chain grows: it is at the tip, catching up, or held back. The states are checked in the
   * order HALTED, BEHIND, NO_QUORUM, STALLED; a running node that is none of them is IN_SYNC. Before start and
   * after stop only HALTED and BEHIND are judged.
   */
  public enum SyncState {
    /** At the tip, or at most a block behind (consensus brings that one). */
    IN_SYNC,
    /**
     * Catching up: a peer claims at least {@link SyncProgress#CATCHING_UP_GAP} more blocks than this node
     * holds, and block sync fetches them; {@link NodeStatus#progress()} says how far it has come.
     */
    BEHIND,
    /**
     * The node stopped committing (a block or safety record could not be written): it keeps serving what it
     * stored; {@link NodeStatus#fault()} says why; restart it once the cause (a full or failing disk) is fixed.
     */
    HALTED,
    /**
     * At the tip, but no block can be decided: fewer validators are reachable than a quorum (more than two thirds
     * of the set). {@link NodeStatus#quorum()} has the figures and {@link NodeStatus#fault()} names the
     * unreachable validators. Submitted transactions wait. Clears as soon as enough validators are reachable
     * again: at once through a direct connection, else with their next message relayed by other nodes.
     */
    NO_QUORUM,
    /**
     * At the tip with a quorum of validators reachable, yet the current height has gone undecided for f + 2
     * rounds (f the failures the set tolerates), or as long as those rounds' timeouts take: more than crashed
     * validators explain. The validators do not vote together (halted, partitioned from each other, faulty);
     * {@link NodeStatus#fault()} says how long; the other nodes' status tells which. Clears with the next block.
     */
    STALLED;

    /** True for the states that {@link NodeStatus#fault()} explains: HALTED, NO_QUORUM and STALLED. */
    public boolean explained() {
      return this == HALTED || this == NO_QUORUM || this == STALLED;
    }
  }

  /**
   * How many of the genesis validators this node reaches, and how many consensus needs to decide a block.
   * A validator is reachable if it is this node, if this node has a connection to it, or if a new proposal or
   * vote it signed came through other nodes within about a heartbeat and a few rounds' timeouts.
   *
   * @param reachable the validators reachable, this node included if it is one; 0 while the node is not running
   * @param needed the quorum: more than two thirds of the set, {@link ValidatorSet#quorum()}
   * @param validators the size of the set
   */
  public record Quorum(int reachable, int needed, int validators) {
    public Quorum {
      if (validators < 1 || needed < 1 || needed > validators || reachable < 0 || reachable > validators) {
        throw new IllegalArgumentException("a quorum needs 0 <= reachable <= validators and 1 <= needed <= validators, got reachable "
            + reachable + ", needed " + needed + ", validators " + validators);
      }
    }

    /** True if at least {@link #needed()} validators are reachable. */
    public boolean reached() {
      return reachable >= needed;
    }
  }

  /**
   * One live connection.
   *
   * @param id the peer's key, proven in the handshake
   * @param address the peer's remote address, {@code host:port}
   * @param outbound true if this node opened the connection
   * @param latency the last measured round trip; zero until the first keepalive answer
   * @param height the height the peer announced
   */
  public record PeerInfo(NodeId id, String address, boolean outbound, Duration latency, long height) {
    public PeerInfo {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(latency, "latency");
    }
  }
}
