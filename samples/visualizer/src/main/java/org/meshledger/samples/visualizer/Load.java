package org.meshledger.samples.visualizer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.meshledger.Node;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;

/**
 * The demo's transactions: DATA writes signed by the genesis's funded account, one at a time or as a steady load,
 * each submitted through one running node (the entry) and counted when final. Nonces are the account's sequence: a
 * submission that fails (its node stopped, say) may leave a gap, so the next one asks the entry node for the
 * account's next nonce again. Any thread; submissions complete on the nodes' threads.
 */
final class Load {
  private final DemoNetwork net;
  private final Vertx vertx;
  private final AtomicLong submitted = new AtomicLong();
  private final AtomicLong committed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile Consumer<Receipt> onCommit = r -> {};
  private long nonce = -1; // guarded by this; -1: ask the entry node
  private Node entry; // guarded by this
  private long timer = -1; // guarded by this
  private volatile int perSecond;

  Load(DemoNetwork net, Vertx vertx) {
    this.net = net;
    this.vertx = vertx;
  }

  /** Called with every receipt, on a node's thread; must not block. */
  void onCommit(Consumer<Receipt> listener) {
    this.onCommit = Objects.requireNonNull(listener, "listener");
  }

  long submitted() {
    return submitted.get();
  }

  long committed() {
    return committed.get();
  }

  long failed() {
    return failed.get();
  }

  /** Transactions a second of the steady load, 0 when off. */
  int perSecond() {
    return perSecond;
  }

  /** Submits one transaction; its future completes with the receipt once final, or fails with the reason. */
  Future<Receipt> submitOne() {
    Node node;
    long n;
    synchronized (this) {
      if (entry == null || !net.members().stream().anyMatch(m -> m.running() && m.node == entry)) {
        entry = net.anyRunning().map(m -> m.node).orElse(null);
        nonce = -1;
      }
      if (entry == null) {
        return Future.failedFuture(new IllegalStateException("no node is running"));
      }
      node = entry;
      n = nonce < 0 ? -1 : nonce++;
    }
    Future<Long> next = n >= 0 ? Future.succeededFuture(n) : node.ledger().nextNonce(net.client().accountId()).map(x -> {
      synchronized (this) {
        nonce = Math.max(nonce, x + 1);
      }
      return x;
    });
    return next.compose(x -> {
      long k = submitted.incrementAndGet();
      Transaction tx = Transaction.sign(net.genesis().chainId(), net.client(), x, Amount.of(10),
          Payload.DataWrite.of("visualizer-" + (k % 64), ("transaction " + k).getBytes(StandardCharsets.UTF_8)));
      return node.ledger().submit(tx);
    }).onSuccess(r -> {
      committed.incrementAndGet();
      onCommit.accept(r);
    }).onFailure(e -> {
      failed.incrementAndGet();
      synchronized (this) {
        nonce = -1;
      }
    });
  }

  /** Submits {@code rate} transactions a second until {@link #stop}. */
  synchronized void start(int rate) {
    if (rate < 1 || rate > 200) {
      throw new IllegalArgumentException("load rate must be 1 to 200 transactions a second, got " + rate);
    }
    stopTimer();
    perSecond = rate;
    timer = vertx.setPeriodic(1000 / rate, t -> submitOne());
  }

  synchronized void stop() {
    stopTimer();
    perSecond = 0;
  }

  private void stopTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
