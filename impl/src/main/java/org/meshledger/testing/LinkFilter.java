package org.meshledger.testing;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.meshledger.chain.NodeId;

/**
 * Which peers one node may talk to: a plug-in ({@code Node.Builder.plugin(filter)}) for tests and demos that cut
 * links between real nodes. While a peer is blocked, the node refuses its handshakes (inbound and outbound, with
 * the reason "link blocked", no misbehaviour score) and closes the live connection to it at once; after
 * {@link #heal()} or {@link #unblock} the node's ordinary reconnects find the peer again.
 *
 * <p>A partition of a network into sides A and B is a filter per node: each node of A blocks B's ids, each node
 * of B blocks A's. A link cut at one end only is cut all the same (the other end's dials are refused), but
 * cutting both ends makes the partition take effect without waiting on the blocked side's next dial.
 *
 * <p>Thread-safe: any thread may change it while the node runs. One filter serves one node; give each node its
 * own.
 */
public final class LinkFilter {
  private volatile Set<NodeId> blocked = Set.of();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** A filter that blocks no one. */
  public LinkFilter() {}

  /** Blocks {@code peers} as well as those already blocked, and closes live connections to them. */
  public void block(Set<NodeId> peers) {
    Objects.requireNonNull(peers, "peers");
    synchronized (this) {
      Set<NodeId> next = new HashSet<>(blocked);
      for (NodeId id : peers) {
        next.add(Objects.requireNonNull(id, "a blocked peer's id"));
      }
      blocked = Set.copyOf(next);
    }
    changed();
  }

  /** Lets {@code peers} connect again; the others stay blocked. */
  public void unblock(Set<NodeId> peers) {
    Objects.requireNonNull(peers, "peers");
    synchronized (this) {
      Set<NodeId> next = new HashSet<>(blocked);
      next.removeAll(peers);
      blocked = Set.copyOf(next);
    }
    changed();
  }

  /** Lets every peer connect again. */
  public void heal() {
    synchronized (this) {
      blocked = Set.of();
    }
    changed();
  }

  /** Whether the node may keep or open a link to {@code peer}. */
  public boolean allows(NodeId peer) {
    return !blocked.contains(peer);
  }

  /** The peers blocked now, as an immutable snapshot. */
  public Set<NodeId> blocked() {
    return blocked;
  }

  /**
   * Calls {@code listener} after every change, on the thread that made it; the node that holds this filter
   * registers here to close the connections a change blocks. A listener must not block.
   *
   * @return closing it removes the listener
   */
  public AutoCloseable onChange(Runnable listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void changed() {
    for (Runnable l : listeners) {
      l.run();
    }
  }

  @Override
  public String toString() {
    return "LinkFilter[" + blocked.size() + " blocked]";
  }
}
