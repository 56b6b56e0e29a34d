package org.meshledger.impl.spreading;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.meshledger.chain.NodeId;
import org.meshledger.spi.Cancellable;
import org.meshledger.spi.Peer;
import org.meshledger.spi.SpreadFrame;
import org.meshledger.spi.SpreadingRuntime;

/** A runtime driven by hand: a clock the test advances, and the frames sent kept in a list. */
final class FakeRuntime implements SpreadingRuntime {
  record Sent(Peer to, SpreadFrame frame) {}

  record FakePeer(NodeId id, Direction direction) implements Peer {
    static FakePeer of(int n, Direction d) {
      byte[] key = new byte[NodeId.BYTES];
      key[31] = (byte) n;
      return new FakePeer(new NodeId(key), d);
    }
  }

  final List<Peer> peers = new ArrayList<>();
  final List<Sent> sent = new ArrayList<>();
  private final TreeMap<Long, Runnable> timers = new TreeMap<>();
  private long now;
  private long seq;

  @Override
  public NodeId self() {
    return FakePeer.of(0, Peer.Direction.OUTBOUND).id();
  }

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public Cancellable schedule(long delayNanos, Runnable task) {
    // Keys are time * 1024 + sequence, so tasks due together run in scheduling order.
    long key = (now + delayNanos) * 1024 + seq++;
    timers.put(key, task);
    return () -> timers.remove(key);
  }

  /** Runs every timer due within {@code nanos}, in order. */
  void advance(long nanos) {
    long end = now + nanos;
    while (!timers.isEmpty() && timers.firstKey() / 1024 <= end) {
      var e = timers.pollFirstEntry();
      now = e.getKey() / 1024;
      e.getValue().run();
    }
    now = end;
  }

  @Override
  public List<Peer> peers() {
    return peers;
  }

  @Override
  public RandomGenerator random() {
    return new SplittableRandom(1);
  }

  @Override
  public void send(Peer peer, SpreadFrame frame) {
    sent.add(new Sent(peer, frame));
  }

  List<Sent> drain() {
    List<Sent> out = List.copyOf(sent);
    sent.clear();
    return out;
  }
}
