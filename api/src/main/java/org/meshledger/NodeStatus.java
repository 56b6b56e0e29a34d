package org.meshledger;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A snapshot of a node: who it is, where it listens, how far its chain goes and whom it is connected to.
 *
 * @param id the node's key
 * @param roles the node's roles in the genesis (empty for a non-member in an open network)
 * @param state where the node is in its life
 * @param port the port it listens on (the actual one when the options said 0); 0 while not listening
 * @param height the height of its last committed block
 * @param peers its live connections, after their handshake
 * @param sync whether it knows of blocks it lacks, or has halted
 * @param mempool the transactions waiting in its mempool
 * @param fault why the node stopped committing ({@link SyncState#HALTED}), or the empty string
 * @param progress block sync's figures: the height, the target its peers claim, blocks and transactions per
 *     second, an ETA
 */
public record NodeStatus(NodeId id, Set<Role> roles, State state, int port, long height, List<PeerInfo> peers, SyncState sync,
    int mempool, String fault, SyncProgress progress) {
  public NodeStatus {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(fault, "fault");
    if ((sync == SyncState.HALTED) == fault.isEmpty()) {
      throw new IllegalArgumentException("a halted node names its fault, and only a halted node has one");
    }
    roles = Set.copyOf(roles);
    Objects.requireNonNull(state, "state");
    peers = List.copyOf(peers);
    Objects.requireNonNull(sync, "sync");
    Objects.requireNonNull(progress, "progress");
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

  /** Whether the node knows of blocks it lacks. */
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
    HALTED
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
