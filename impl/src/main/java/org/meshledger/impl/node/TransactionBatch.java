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
 * node's outgoing batch, on its context: {@link #add} collects, a timer or the size bound publishes.
 */
final class TransactionBatch {
  /** The spreading topic of transactions: reserved, hosts cannot publish on it ({@link org.meshledger.Propagator#RESERVED_PREFIX}). */
  static final String TOPIC = org.meshledger.Propagator.RESERVED_PREFIX + "transactions";
  static final int VERSION = 1;
  /** A batch stays below the gossip body bound with room for its header. */
  static final int MAX_BYTES = Gossip.MAX_BODY_BYTES - 16;
  private static final int MIN_TRANSACTION_BYTES = 64;

  /** How long submitted transactions wait to share a spreading message. */
  private static final long BATCH_MILLIS = 5;

  private final Context context;
  private final RelayPropagator propagator;
  private final BooleanSupplier running;
  private final List<Transaction> outgoing = new ArrayList<>();
  private int outgoingBytes;
  private boolean flushScheduled;

  TransactionBatch(Context context, RelayPropagator propagator, BooleanSupplier running) {
    this.context = context;
    this.propagator = propagator;
    this.running = running;
  }

  /** Adds {@code tx} to the outgoing batch, published within {@link #BATCH_MILLIS} or once it is full. */
  void add(Transaction tx) {
    int size = tx.encodedSize();
    if (outgoingBytes + size > MAX_BYTES) {
      flush();
    }
    outgoing.add(tx);
    outgoingBytes += size;
    if (!flushScheduled) {
      flushScheduled = true;
      context.owner().setTimer(BATCH_MILLIS, id -> {
        flushScheduled = false;
        flush();
      });
    }
  }

  private void flush() {
    if (outgoing.isEmpty() || !running.getAsBoolean()) {
      outgoing.clear();
      outgoingBytes = 0;
      return;
    }
    byte[] body = encode(outgoing);
    outgoing.clear();
    outgoingBytes = 0;
    propagator.publishReserved(TOPIC, body);
  }

  static byte[] encode(List<Transaction> txs) {
    CanonicalWriter w = new CanonicalWriter(16 + txs.size() * 200);
    w.u8(VERSION).count(txs.size());
    txs.forEach(t -> t.writeTo(w));
    return w.toByteArray();
  }

  /** The transactions of a batch; a malformed batch fails whole with a {@link DecodeException}. */
  static List<Transaction> decode(byte[] body) {
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
