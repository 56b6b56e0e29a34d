package org.meshledger.impl.node;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.meshledger.Gossip;
import org.meshledger.chain.Transaction;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;
import org.meshledger.impl.spreading.RelayPropagator;

/**
 * Transactions travel between nodes in batches: one spreading message per few milliseconds of submissions
 * instead of one per transaction, so the per-message cost (ids, seen-cache, frames) is paid once per batch.
 * A batch is a gossip body on {@link #TOPIC}: {@code u8 version || count || transaction*}. An instance is a
 * node's outgoing batch: {@link #add} collects, a timer or the size bound publishes. It is sans-IO (its timer and
 * the spreading it publishes through are its {@link Host}'s), so the simulator runs the same batching as a node.
 */
public final class TransactionBatch {
  /** The spreading topic of transactions: reserved, hosts cannot publish on it ({@link org.meshledger.Propagator#RESERVED_PREFIX}). */
  public static final String TOPIC = org.meshledger.Propagator.RESERVED_PREFIX + "transactions";
  static final int VERSION = 1;
  /** A batch stays below the gossip body bound with room for its header. */
  static final int MAX_BYTES = Gossip.MAX_BODY_BYTES - 16;
  private static final int MIN_TRANSACTION_BYTES = 64;

  /** How long submitted transactions wait to share a spreading message. */
  public static final long BATCH_MILLIS = 5;

  /** What a batch needs of its node: one timer, whether the node still runs, and spreading on {@link #TOPIC}. */
  public interface Host {
    /** Runs {@code task} on the node's thread after {@code millis} ms. */
    void later(long millis, Runnable task);

    /** False once the node stops: a batch then publishes nothing. */
    boolean running();

    /** Publishes a batch's body on {@link #TOPIC}. */
    void publish(byte[] body);
  }

  private final Host host;
  private final List<Transaction> outgoing = new ArrayList<>();
  private int outgoingBytes;
  private boolean flushScheduled;

  public TransactionBatch(Host host) {
    this.host = host;
  }

  /** A node's batch on {@code context}, published through {@code propagator} while {@code running}. */
  static TransactionBatch on(Context context, RelayPropagator propagator, BooleanSupplier running) {
    return new TransactionBatch(new Host() {
      @Override
      public void later(long millis, Runnable task) {
        context.owner().setTimer(millis, id -> task.run());
      }

      @Override
      public boolean running() {
        return running.getAsBoolean();
      }

      @Override
      public void publish(byte[] body) {
        propagator.publishReserved(TOPIC, body);
      }
    });
  }

  /** Adds {@code tx} to the outgoing batch, published within {@link #BATCH_MILLIS} or once it is full. */
  public void add(Transaction tx) {
    int size = tx.encodedSize();
    if (outgoingBytes + size > MAX_BYTES) {
      flush();
    }
    outgoing.add(tx);
    outgoingBytes += size;
    if (!flushScheduled) {
      flushScheduled = true;
      host.later(BATCH_MILLIS, () -> {
        flushScheduled = false;
        flush();
      });
    }
  }

  private void flush() {
    if (outgoing.isEmpty() || !host.running()) {
      outgoing.clear();
      outgoingBytes = 0;
      return;
    }
    byte[] body = encode(outgoing);
    outgoing.clear();
    outgoingBytes = 0;
    host.publish(body);
  }

  static byte[] encode(List<Transaction> txs) {
    CanonicalWriter w = new CanonicalWriter(16 + txs.size() * 200);
    w.u8(VERSION).count(txs.size());
    txs.forEach(t -> t.writeTo(w));
    return w.toByteArray();
  }

  /** The transactions of a batch; a malformed batch fails whole with a {@link DecodeException}. */
  public static List<Transaction> decode(byte[] body) {
    CanonicalReader r = new CanonicalReader(body);
    r.version(VERSION, "transaction batch");
    int n = r.count(MAX_BYTES / MIN_TRANSACTION_BYTES, MIN_TRANSACTION_BYTES, "transaction batch");
    List<Transaction> txs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      txs.add(Transaction.readFrom(r));
    }
    r.end("transaction batch");
    return txs;
  }
}
