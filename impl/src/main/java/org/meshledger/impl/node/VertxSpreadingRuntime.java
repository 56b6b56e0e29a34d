package org.meshledger.impl.node;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.meshledger.chain.NodeId;
import org.meshledger.spi.Cancellable;
import org.meshledger.spi.Peer;
import org.meshledger.spi.SpreadFrame;
import org.meshledger.spi.SpreadingRuntime;

/**
 * The spreading runtime on real sockets: the node's Vert.x context is its thread, Vert.x timers its
 * schedule, the network its way to send. The protocol code is the same that runs in the simulator.
 *
 * <p>Vert.x timers have millisecond resolution, so a delay is rounded up to whole milliseconds; a zero delay
 * runs on the context's next turn. Every call must come from the node's context.
 */
final class VertxSpreadingRuntime implements SpreadingRuntime {
  private final NodeId self;
  private final Context context;
  private final RandomGenerator random;
  private final Supplier<List<Peer>> peers;
  private final BiConsumer<Peer, SpreadFrame> sender;
  private boolean stopped;

  VertxSpreadingRuntime(NodeId self, Context context, RandomGenerator random, Supplier<List<Peer>> peers,
      BiConsumer<Peer, SpreadFrame> sender) {
    this.self = Objects.requireNonNull(self, "self");
    this.context = Objects.requireNonNull(context, "context");
    this.random = Objects.requireNonNull(random, "random");
    this.peers = Objects.requireNonNull(peers, "peers");
    this.sender = Objects.requireNonNull(sender, "sender");
  }

  /** After this, scheduled tasks no longer run and sends are dropped. */
  void stop() {
    stopped = true;
  }

  @Override
  public NodeId self() {
    return self;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Cancellable schedule(long delayNanos, Runnable task) {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("delay cannot be negative: " + delayNanos);
    }
    Objects.requireNonNull(task, "task");
    long millis = TimeUnit.NANOSECONDS.toMillis(delayNanos + 999_999);
    boolean[] cancelled = {false};
    Runnable guarded = () -> {
      if (!cancelled[0] && !stopped) {
        task.run();
      }
    };
    if (millis == 0) {
      context.runOnContext(v -> guarded.run());
      return () -> cancelled[0] = true;
    }
    // A timer set on this context fires on it; from anywhere else, hop onto it.
    long timer = Vertx.currentContext() == context
        ? context.owner().setTimer(millis, id -> guarded.run())
        : context.owner().setTimer(millis, id -> context.runOnContext(v -> guarded.run()));
    return () -> {
      cancelled[0] = true;
      context.owner().cancelTimer(timer);
    };
  }

  @Override
  public List<Peer> peers() {
    return peers.get();
  }

  @Override
  public RandomGenerator random() {
    return random;
  }

  @Override
  public void send(Peer peer, SpreadFrame frame) {
    if (!stopped) {
      sender.accept(peer, frame);
    }
  }
}
