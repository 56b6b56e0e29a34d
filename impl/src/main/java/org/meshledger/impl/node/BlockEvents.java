package org.meshledger.impl.node;

import io.vertx.core.Context;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.BooleanSupplier;
import org.meshledger.Block;
import org.meshledger.CommittedBlock;
import org.meshledger.Ledger;
import org.meshledger.TransactionResult;
import org.meshledger.spi.BlockStore;

/**
 * The block events of a node's ledger: every subscriber gets every stored block from the height it asked for,
 * once and in order. Recent blocks come from memory; a subscriber further behind is fed from the store in
 * batches read off the event loop, then joins the live stream. On the node's context.
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
  private final TreeMap<Long, CommittedBlock> recent = new TreeMap<>();
  private final List<Sub> subscriptions = new ArrayList<>();
  private long storedHeight;

  BlockEvents(Context context, BlockStore store, BooleanSupplier running) {
    this.context = context;
    this.store = store;
    this.running = running;
  }

  /** The store holds blocks up to {@code height}. */
  void start(long height) {
    storedHeight = height;
  }

  /** Ends every subscription: the node stops. */
  void stop() {
    subscriptions.forEach(s -> s.closed = true);
    subscriptions.clear();
  }

  Ledger.Subscription subscribe(long fromHeight, Consumer<CommittedBlock> handler) {
    if (fromHeight < 1) {
      throw new IllegalArgumentException("heights start at 1, got " + fromHeight);
    }
    Sub s = new Sub(fromHeight, Objects.requireNonNull(handler, "handler"));
    try {
      context.runOnContext(v -> {
        if (!s.closed && running.getAsBoolean()) {
          subscriptions.add(s);
          pump(s);
        }
      });
    } catch (RejectedExecutionException e) { // the node's own Vert.x closed: it stopped, and nothing will come
      s.closed = true;
    }
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
    while (!s.closed && !s.reading && s.next <= storedHeight) {
      CommittedBlock b = recent.get(s.next);
      if (b == null) {
        readFor(s);
        return;
      }
      s.deliver(b);
    }
  }

  private void readFor(Sub s) {
    s.reading = true;
    long from = s.next;
    long to = Math.min(storedHeight, from + READ_BATCH - 1);
    context.<List<CommittedBlock>>executeBlocking(() -> {
      List<CommittedBlock> out = new ArrayList<>();
      for (long h = from; h <= to; h++) {
        Block b = store.block(h).orElseThrow(() -> new IllegalStateException("the store lost block " + from));
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
        s.close();
        return;
      }
      for (CommittedBlock b : ar.result()) {
        if (b.height() == s.next) {
          s.deliver(b);
        }
      }
      pump(s);
    });
  }

  private final class Sub implements Ledger.Subscription {
    private final Consumer<CommittedBlock> handler;
    private volatile long next;
    private volatile boolean closed;
    private boolean reading;

    Sub(long next, Consumer<CommittedBlock> handler) {
      this.next = next;
      this.handler = handler;
    }

    void deliver(CommittedBlock b) {
      if (closed) {
        return;
      }
      next = b.height() + 1;
      try {
        handler.accept(b);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a block handler failed at height " + b.height() + " (the subscription goes on): " + e, e);
      }
    }

    @Override
    public long nextHeight() {
      return next;
    }

    @Override
    public void close() {
      closed = true;
      try {
        context.runOnContext(v -> subscriptions.remove(this));
      } catch (RejectedExecutionException e) {
        // the node's own Vert.x closed: the node stopped and ended every subscription
      }
    }
  }
}
