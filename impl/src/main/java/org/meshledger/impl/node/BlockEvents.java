package org.meshledger.impl.node;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.lang.System.Logger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.meshledger.Ledger;
import org.meshledger.chain.Block;
import org.meshledger.chain.CommittedBlock;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.TransactionResult;
import org.meshledger.impl.host.HostCallbacks.Kind;
import org.meshledger.impl.host.HostCallbacks;
import org.meshledger.spi.BlockStore;

/**
 * The block events of a node's ledger: every subscriber gets every stored block from the height it asked for,
 * once and in order. Recent blocks come from memory; a subscriber further behind (one that joined late, or an
 * asynchronous one whose host is slow) is fed from the store in batches read off the event loop, then joins the
 * live stream, so a slow subscriber holds at most one batch. On the node's context.
 *
 * <p>Handlers are host code and run through {@link HostCallbacks}: a synchronous handler that throws is logged
 * and counted and its subscription goes on; an asynchronous one that throws or whose future fails ends its
 * subscription, which {@link Ledger.Subscription#ended()} reports, at the height it failed on.
 */
final class BlockEvents {
  private static final Logger LOG = System.getLogger("org.meshledger.ledger");
  /** Stored blocks kept for subscribers that are nearly caught up. */
  private static final int RECENT_BLOCKS = 64;
  /** Blocks read per trip to the store for a subscriber that is behind. */
  private static final int READ_BATCH = 32;

  private final Context context;
  private final BlockStore store;
  private final BooleanSupplier running;
  private final HostCallbacks callbacks;
  private final TreeMap<Long, CommittedBlock> recent = new TreeMap<>();
  private final List<Sub> subscriptions = new ArrayList<>();
  private long storedHeight;

  BlockEvents(Context context, BlockStore store, BooleanSupplier running, HostCallbacks callbacks) {
    this.context = context;
    this.store = store;
    this.running = running;
    this.callbacks = callbacks;
  }

  /** The store holds blocks up to {@code height}. */
  void start(long height) {
    storedHeight = height;
  }

  /** Ends every subscription: the node stops. */
  void stop() {
    for (Sub s : List.copyOf(subscriptions)) {
      s.end(new IllegalStateException("the node stopped; subscribe again from height " + s.next + " once it runs"));
    }
    subscriptions.clear();
  }

  Ledger.Subscription subscribe(long fromHeight, Consumer<CommittedBlock> handler) {
    Objects.requireNonNull(handler, "handler");
    return add(new Sub(checked(fromHeight)) {
      @Override
      boolean deliver(CommittedBlock b) {
        next = b.height() + 1;
        callbacks.run(Kind.BLOCK, () -> "block " + b.height(), "the subscription goes on with the next block",
            () -> handler.accept(b));
        return true;
      }
    });
  }

  Ledger.Subscription subscribeReceipts(long fromHeight, Consumer<Receipt> handler) {
    Objects.requireNonNull(handler, "handler");
    return add(new Sub(checked(fromHeight)) {
      @Override
      boolean deliver(CommittedBlock b) {
        next = b.height() + 1;
        for (Receipt r : b.receipts()) {
          if (closed) {
            break;
          }
          callbacks.run(Kind.TRANSACTION, () -> "transaction " + r.transactionId() + " in block " + r.height(),
              "the subscription goes on with the next transaction", () -> handler.accept(r));
        }
        return true;
      }
    });
  }

  Ledger.Subscription subscribeAsync(long fromHeight, Function<CommittedBlock, Future<Void>> handler) {
    Objects.requireNonNull(handler, "handler");
    return add(new Sub(checked(fromHeight)) {
      /** Hands {@code b} over; true if the handler is already done with it (its future was complete at once). */
      @Override
      boolean deliver(CommittedBlock b) {
        String ends = "the subscription ends at block " + b.height() + ": subscribe again from there";
        Throwable[] thrown = new Throwable[1];
        Future<Void> f = callbacks.call(Kind.BLOCK, () -> "block " + b.height(), ends, () -> handler.apply(b), e -> {
          thrown[0] = e;
          return null;
        });
        if (thrown[0] != null) {
          end(thrown[0]);
          return false;
        }
        if (f == null) {
          NullPointerException e = new NullPointerException("the onBlockAsync handler returned null for block " + b.height()
              + "; return a future that completes when the block is handled (Future.succeededFuture() if it already is)");
          callbacks.failed(Kind.BLOCK, "block " + b.height(), ends, e);
          end(e);
          return false;
        }
        if (f.isComplete()) {
          return settled(b, f, ends);
        }
        waiting = true;
        f.onComplete(ar -> onContext(() -> {
          waiting = false;
          if (settled(b, ar, ends)) {
            pump(this);
          }
        }));
        return false;
      }

      private boolean settled(CommittedBlock b, AsyncResult<Void> ar, String ends) {
        if (closed) {
          return false;
        }
        if (ar.failed()) {
          callbacks.failed(Kind.BLOCK, "block " + b.height() + ", its future failed", ends, ar.cause());
          end(ar.cause());
          return false;
        }
        next = b.height() + 1;
        return true;
      }
    });
  }

  private static long checked(long fromHeight) {
    if (fromHeight < 1) {
      throw new IllegalArgumentException("heights start at 1, got " + fromHeight);
    }
    return fromHeight;
  }

  /** Starts {@code s} on the context's next turn (never inside the caller, which may be another handler). */
  private Ledger.Subscription add(Sub s) {
    later(() -> {
      if (s.closed) {
        return;
      }
      if (!running.getAsBoolean()) {
        s.end(new IllegalStateException("the node is not running: subscribe once it runs"));
        return;
      }
      subscriptions.add(s);
      pump(s);
    });
    return s;
  }

  /** {@code block} is durable: the next height for every subscriber that has seen all before it. */
  void stored(CommittedBlock block) {
    storedHeight = block.height();
    recent.put(block.height(), block);
    while (recent.size() > RECENT_BLOCKS) {
      recent.pollFirstEntry();
    }
    for (Sub s : List.copyOf(subscriptions)) {
      pump(s);
    }
  }

  /** Delivers to {@code s} what it has not seen: from memory if recent, else in batches read off the loop. */
  private void pump(Sub s) {
    while (!s.closed && !s.reading && !s.waiting && s.next <= storedHeight) {
      CommittedBlock b = s.fromBatch(s.next);
      if (b == null) {
        b = recent.get(s.next);
      }
      if (b == null) {
        readFor(s);
        return;
      }
      if (!s.deliver(b)) {
        return;
      }
    }
  }

  private void readFor(Sub s) {
    s.reading = true;
    long from = s.next;
    long to = Math.min(storedHeight, from + READ_BATCH - 1);
    context.<List<CommittedBlock>>executeBlocking(() -> {
      List<CommittedBlock> out = new ArrayList<>();
      for (long h = from; h <= to; h++) {
        long height = h;
        Block b = store.block(h).orElseThrow(() -> new IllegalStateException("the store lost block " + height));
        SortedMap<Integer, TransactionResult> rejected = store.rejected(h);
        List<TransactionResult> results = new ArrayList<>(b.transactions().size());
        for (int i = 0; i < b.transactions().size(); i++) {
          results.add(rejected.getOrDefault(i, TransactionResult.accepted()));
        }
        out.add(new CommittedBlock(b, results));
      }
      return out;
    }, false).onComplete(ar -> {
      s.reading = false;
      if (ar.failed()) {
        LOG.log(Level.ERROR, "a block subscription from height " + from + " ends: reading the store failed: " + ar.cause().getMessage());
        s.end(ar.cause());
        return;
      }
      s.batch.addAll(ar.result());
      pump(s);
    });
  }

  /** Runs {@code task} on the node's context: at once if already there. */
  private void onContext(Runnable task) {
    if (Vertx.currentContext() == context) {
      task.run();
    } else {
      later(task);
    }
  }

  /** Runs {@code task} on the node's context's next turn. */
  private void later(Runnable task) {
    try {
      context.runOnContext(v -> task.run());
    } catch (RejectedExecutionException e) {
      task.run(); // the node's Vert.x is closed: nothing else runs on the context any more
    }
  }

  /** One subscription; {@link #deliver} is the handler's form. */
  private abstract class Sub implements Ledger.Subscription {
    private final Promise<Void> ended = Promise.promise();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Blocks read from the store for this subscriber and not delivered yet. */
    final ArrayDeque<CommittedBlock> batch = new ArrayDeque<>();
    volatile long next;
    volatile boolean closed;
    boolean reading;
    /** An asynchronous handler has not finished with block {@link #next} yet. */
    boolean waiting;

    Sub(long next) {
      this.next = next;
    }

    /** Hands {@code b} (block {@link #next}) to the handler; true if the next block may follow at once. */
    abstract boolean deliver(CommittedBlock b);

    /** Block {@code height} from this subscriber's batch, or null. */
    CommittedBlock fromBatch(long height) {
      while (!batch.isEmpty() && batch.peekFirst().height() < height) {
        batch.pollFirst();
      }
      return !batch.isEmpty() && batch.peekFirst().height() == height ? batch.pollFirst() : null;
    }

    /** Ends the subscription on the context: {@link #ended} completes, or fails with {@code cause}. */
    void end(Throwable cause) {
      closed = true;
      batch.clear();
      subscriptions.remove(this);
      if (cause == null) {
        ended.tryComplete();
      } else {
        ended.tryFail(cause);
      }
    }

    @Override
    public long nextHeight() {
      return next;
    }

    @Override
    public Future<Void> ended() {
      return ended.future();
    }

    @Override
    public void close() {
      if (!closing.compareAndSet(false, true)) {
        return;
      }
      closed = true;
      onContext(() -> end(null));
    }
  }
}
