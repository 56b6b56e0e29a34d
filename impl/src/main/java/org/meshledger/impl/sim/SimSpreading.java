package org.meshledger.impl.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.meshledger.Gossip;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.Transaction;
import org.meshledger.impl.node.TransactionBatch;
import org.meshledger.impl.spreading.Relay;
import org.meshledger.spi.Cancellable;
import org.meshledger.spi.Peer;
import org.meshledger.spi.SpreadFrame;
import org.meshledger.spi.SpreadingRuntime;

/**
 * A node's spreading in a schedule, for one incarnation: the {@link Relay} and protocol a node runs, and the
 * {@link TransactionBatch} its submits go out in, over the schedule's network (each frame delayed, lost, duplicated
 * or cut by a partition like any message) and on the node's own clock. Its peers are the other nodes that run; a
 * crash or restart is a lost or new connection to each of them. A node hears a batch once it is public here.
 */
final class SimSpreading implements SpreadingRuntime {
  private final Schedule sim;
  private final SimNode node;
  private final int incarnation;
  private final Random random;
  final Relay relay;
  final TransactionBatch batch;

  SimSpreading(Schedule sim, SimNode node, int incarnation, Random random) {
    this.sim = sim;
    this.node = node;
    this.incarnation = incarnation;
    this.random = random;
    this.relay = new Relay(this, sim.spreadingProvider().create(sim.spreading().parameters()), Relay.Settings.DEFAULT, this::delivered);
    this.batch = new TransactionBatch(new TransactionBatch.Host() {
      @Override
      public void later(long millis, Runnable task) {
        sim.net.after(node.realDelay(millis), () -> {
          if (current()) {
            task.run();
          }
        });
      }

      @Override
      public boolean running() {
        return current();
      }

      @Override
      public void publish(byte[] body) {
        relay.publish(Gossip.of(TransactionBatch.TOPIC, body));
      }
    });
  }

  private boolean current() {
    return node.up() && node.incarnation() == incarnation;
  }

  /** A batch that became public here: its transactions go to the node's mempool, as a node admits a peer's batch. */
  private void delivered(Gossip gossip) {
    if (!current() || !gossip.topic().equals(TransactionBatch.TOPIC)) {
      return;
    }
    List<Transaction> txs = TransactionBatch.decode(gossip.body()); // only honest code publishes here: a failure is a bug
    node.admitFromPeer(txs);
  }

  @Override
  public NodeId self() {
    return node.id();
  }

  @Override
  public long nanoTime() {
    return node.localNow() * 1_000_000L;
  }

  @Override
  public Cancellable schedule(long delayNanos, Runnable task) {
    boolean[] cancelled = {false};
    sim.net.after(node.realDelay((delayNanos + 999_999) / 1_000_000), () -> {
      if (!cancelled[0] && current()) {
        task.run();
      }
    });
    return () -> cancelled[0] = true;
  }

  @Override
  public List<Peer> peers() {
    List<Peer> up = new ArrayList<>();
    for (SimNode other : sim.nodes) {
      if (other != node && other.up()) {
        up.add(sim.link(node.index, other.index));
      }
    }
    return up;
  }

  @Override
  public RandomGenerator random() {
    return random;
  }

  @Override
  public void send(Peer peer, SpreadFrame frame) {
    SimNode to = sim.node(peer.id());
    if (to == null) {
      return;
    }
    Peer back = sim.link(to.index, node.index);
    sim.net.send(node.index, to.index, () -> {
      SimSpreading s = to.spreading;
      if (s != null) {
        s.relay.onFrame(back, frame);
      }
    });
  }
}
