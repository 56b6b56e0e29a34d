package org.meshledger.spi.contract;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.meshledger.Gossip;
import org.meshledger.chain.Hash;
import org.meshledger.chain.NodeId;
import org.meshledger.spi.Cancellable;
import org.meshledger.spi.Peer;
import org.meshledger.spi.SpreadFrame;
import org.meshledger.spi.SpreadingContext;
import org.meshledger.spi.SpreadingRuntime;

/**
 * One node with a hand-driven clock, for the contract kit: a minimal {@link SpreadingContext} that records
 * every action the protocol takes instead of running a real relay engine.
 */
public final class ScriptedNode implements SpreadingRuntime, SpreadingContext {
  /** One action of the protocol: what, to whom, when. */
  public record Action(String kind, Peer to, Hash id, long at) {
    @Override
    public String toString() {
      return kind + " " + id.toHex().substring(0, 8) + " to " + to.id().toHex().substring(56) + " at " + at;
    }
  }

  /** A peer of the scripted node. */
  public record ScriptedPeer(NodeId id, Direction direction) implements Peer {}

  final List<Peer> peers = new ArrayList<>();
  final List<Action> actions = new ArrayList<>();
  final Set<Hash> publicIds = new HashSet<>();
  private final TreeMap<Long, Runnable> timers = new TreeMap<>();
  private final SplittableRandom random;
  private long now;
  private long seq;
  private long timersRun;

  public ScriptedNode(long seed, int inbound, int outbound) {
    this.random = new SplittableRandom(seed);
    for (int i = 0; i < inbound + outbound; i++) {
      byte[] key = new byte[NodeId.BYTES];
      key[31] = (byte) (i + 1);
      peers.add(new ScriptedPeer(new NodeId(key), i < inbound ? Peer.Direction.INBOUND : Peer.Direction.OUTBOUND));
    }
  }

  /** Runs due timers in order until none is left or {@code maxTimers} have run; true if none is left. */
  public boolean drain(long maxTimers) {
    long ran = 0;
    while (!timers.isEmpty() && ran < maxTimers) {
      var e = timers.pollFirstEntry();
      now = Math.max(now, e.getKey() >> 20);
      e.getValue().run();
      ran++;
      timersRun++;
    }
    return timers.isEmpty();
  }

  public List<Action> actions() {
    return List.copyOf(actions);
  }

  public List<Peer> peerList() {
    return List.copyOf(peers);
  }

  public long timersRun() {
    return timersRun;
  }

  @Override
  public NodeId self() {
    return new NodeId(new byte[NodeId.BYTES]);
  }

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public Cancellable schedule(long delayNanos, Runnable task) {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("negative delay " + delayNanos);
    }
    // Key: due time in the high bits, scheduling order in the low 20 (ties run first-scheduled-first).
    long key = ((now + delayNanos) << 20) | (seq++ & 0xFFFFF);
    timers.put(key, task);
    return () -> timers.remove(key);
  }

  @Override
  public List<Peer> peers() {
    return peers;
  }

  @Override
  public RandomGenerator random() {
    return random;
  }

  @Override
  public void send(Peer peer, SpreadFrame frame) {
    throw new UnsupportedOperationException("a protocol sends through its context, not the runtime");
  }

  @Override
  public SpreadingRuntime runtime() {
    return this;
  }

  private void record(String kind, Peer to, Gossip g) {
    actions.add(new Action(kind, to, g.id(), now));
  }

  @Override
  public void push(Peer peer, Gossip gossip) {
    publicIds.add(gossip.id());
    record("push", peer, gossip);
  }

  @Override
  public void announce(Peer peer, Gossip gossip) {
    publicIds.add(gossip.id());
    record("announce", peer, gossip);
  }

  @Override
  public void stem(Peer peer, Gossip gossip) {
    record("stem", peer, gossip);
  }

  @Override
  public boolean makePublic(Gossip gossip) {
    return publicIds.add(gossip.id());
  }

  @Override
  public boolean isPublic(Hash id) {
    return publicIds.contains(id);
  }
}
