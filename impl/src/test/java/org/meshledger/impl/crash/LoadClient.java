package org.meshledger.impl.crash;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;

/**
 * An honest client under load: one lane (thread) per client account, each with one transaction in flight at
 * a time, so its nonces never leave a gap. A lane signs the transaction for its next nonce once and submits
 * that same transaction at random live nodes until a node reports it final; a submit that gets no answer
 * (node killed, stopped, timed out) is unknown and is retried elsewhere; a refusal (the nonce is used: an
 * earlier unknown submit committed) is resolved by looking the transaction up by id. Every final receipt
 * any node reports is recorded, for {@link ChainCheck}.
 */
final class LoadClient {
  static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(20);

  private final Gateway gateway;
  private final String chainId;
  private final List<KeyPair> clients;
  private final long seed;
  private final Queue<Submission.Final> receipts = new ConcurrentLinkedQueue<>();
  private final Map<Hash, Transaction> signed = new ConcurrentHashMap<>();
  private final Map<Hash, Boolean> acknowledged = new ConcurrentHashMap<>();
  private final AtomicLong submits = new AtomicLong();
  private final AtomicLong unknown = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final List<Thread> lanes = new ArrayList<>();
  private volatile boolean running = true;

  LoadClient(Gateway gateway, String chainId, List<KeyPair> clients, long seed) {
    this.gateway = gateway;
    this.chainId = chainId;
    this.clients = clients;
    this.seed = seed;
  }

  void start() {
    for (int i = 0; i < clients.size(); i++) {
      int lane = i;
      Thread t = new Thread(() -> lane(lane), "load-lane-" + i);
      t.setDaemon(true);
      lanes.add(t);
      t.start();
    }
  }

  /** Stops submitting new transactions and waits for the lanes' last answers (each bounded by the submit timeout). */
  void stop() throws InterruptedException {
    running = false;
    for (Thread t : lanes) {
      t.join(TimeUnit.SECONDS.toMillis(2 * SUBMIT_TIMEOUT.toSeconds() + 5));
    }
  }

  /** Every receipt a node reported final, duplicates (the same transaction reported by two nodes) included. */
  List<Submission.Final> receipts() {
    return List.copyOf(receipts);
  }

  /** Every transaction the client signed, by id: submitted at least once, final or not. */
  Map<Hash, Transaction> signed() {
    return Map.copyOf(signed);
  }

  /** Distinct transactions a node reported final to this client. */
  long acknowledged() {
    return acknowledged.size();
  }

  String summary() {
    return String.format("%d submits, %d transactions signed, %d acknowledged final, %d submits unknown (no answer), %d refused",
        submits.get(), signed.size(), acknowledged.size(), unknown.get(), refused.get());
  }

  private void lane(int lane) {
    SplittableRandom random = new SplittableRandom(seed + 7919L * lane);
    KeyPair key = clients.get(lane);
    long nonce = 0;
    while (running) {
      Transaction tx = Transaction.sign(chainId, key, nonce, Amount.of(1), payload(lane, nonce, random));
      signed.put(tx.id(), tx);
      if (!deliver(tx, random)) {
        return;
      }
      nonce++;
    }
  }

  /** Submits {@code tx} until it is final somewhere; false if the client stopped first. */
  private boolean deliver(Transaction tx, SplittableRandom random) {
    while (running) {
      List<Integer> live = gateway.live();
      if (live.isEmpty()) {
        Pause.millis(100); // back-off of the client while no node runs
        continue;
      }
      int node = live.get(random.nextInt(live.size()));
      submits.incrementAndGet();
      Submission s = gateway.submit(node, tx, SUBMIT_TIMEOUT).join();
      if (s instanceof Submission.Final f) {
        record(f);
        return true;
      }
      if (s instanceof Submission.Refused) {
        refused.incrementAndGet();
        Optional<Submission.Final> found = gateway.lookup(node, tx.id(), SUBMIT_TIMEOUT).join();
        if (found.isPresent()) {
          record(found.get());
          return true;
        }
      } else {
        unknown.incrementAndGet();
      }
      Pause.millis(50 + random.nextInt(200)); // back-off before the retry
    }
    return false;
  }

  private void record(Submission.Final f) {
    receipts.add(f);
    acknowledged.put(f.txId(), Boolean.TRUE);
  }

  private Payload payload(int lane, long nonce, SplittableRandom random) {
    if (random.nextBoolean()) {
      int to = random.nextInt(clients.size());
      return new Payload.Transfer(clients.get(to).accountId(), Amount.of(1 + random.nextInt(100)));
    }
    return Payload.DataWrite.of("lane-" + lane + "/key-" + random.nextInt(20),
        ("lane " + lane + " nonce " + nonce).getBytes(StandardCharsets.UTF_8));
  }
}
