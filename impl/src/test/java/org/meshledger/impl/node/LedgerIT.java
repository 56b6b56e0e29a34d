package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.spi.testsupport.Await;
import org.meshledger.spi.testsupport.TestGenesis;

/**
 * The integration test: 4 validators and 2 followers on loopback (TLS, H2) agree on 1,000 transactions
 * submitted at random nodes; one validator stops and commits go on; it restarts from its data directory and
 * catches up. The transactions are transfers and DATA writes from 20 senders, drawn from a seed
 * ({@code -Dmeshledger.ledger.seed=N} replays one; a failure prints it). The {@code ledger-soak} profile runs it
 * longer: more transactions, and each validator in turn stopped and rejoined.
 */
class LedgerIT {
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final ConsensusParameters FAST = new ConsensusParameters(Duration.ofMillis(400), Duration.ofMillis(200),
      Duration.ofMillis(100), Duration.ofMillis(50), Duration.ofMillis(300), 2000);
  static final String CHAIN = "ledger-it";
  static final int NODES = 6;
  static final int VALIDATORS = 4;
  static final int SENDERS = 20;
  /** 1,000 per build; the {@code ledger-soak} profile raises it ({@code -Dmeshledger.ledger.transactions}). */
  static final int TRANSACTIONS = Integer.getInteger("meshledger.ledger.transactions", 1000);
  /** Validator stops and rejoins: one per build; more under {@code ledger-soak} ({@code -Dmeshledger.ledger.rounds}). */
  static final int ROUNDS = Integer.getInteger("meshledger.ledger.rounds", 1);
  /** Submitted at a time, so no sender has more pending than the mempool's nonce window admits. */
  static final int WINDOW = 500;
  static final long FUNDS = 1_000_000;

  private final Vertx vertx = Vertx.vertx();
  private final List<Node> nodes = new ArrayList<>();

  @AfterEach
  void tearDown() {
    nodes.stream().filter(n -> n != null).forEach(n -> n.stop().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join());
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  @Test
  void sixNodesAgreeOnAThousandTransactionsThroughAValidatorStopAndRejoin(@TempDir Path dir) throws Exception {
    long seed = Long.getLong("meshledger.ledger.seed", System.nanoTime());
    try {
      run(dir, seed);
    } catch (AssertionError | Exception e) {
      throw new AssertionError("LedgerIT failed with seed " + seed + " (replay: -Dmeshledger.ledger.seed=" + seed + "): " + e.getMessage(), e);
    }
  }

  private void run(Path dir, long seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    List<KeyPair> senders = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      senders.add(KeyPair.generate());
    }
    KeyPair treasury = KeyPair.generate();
    TestGenesis net = TestGenesis.chain(CHAIN).validators(VALIDATORS).observers(NODES - VALIDATORS)
        .fund(FUNDS, senders.toArray(KeyPair[]::new)).treasury(treasury.accountId()).consensus(FAST).build();
    List<KeyPair> keys = net.keys();
    Genesis genesis = net.genesis();
    for (int i = 0; i < NODES; i++) {
      nodes.add(start(genesis, keys.get(i), dir.resolve("node-" + i), i));
    }
    await("every node connected", () -> nodes.stream().allMatch(n -> n.status().peers().size() >= 2));

    // What the transactions should leave: each sender's balance and the last value of each key.
    Map<AccountId, Long> expected = new HashMap<>();
    senders.forEach(s -> expected.put(s.accountId(), FUNDS));
    expected.put(treasury.accountId(), 0L);
    long[] nonces = new long[SENDERS];
    List<Transaction> txs = new ArrayList<>();
    for (int i = 0; i < TRANSACTIONS; i++) {
      int from = random.nextInt(SENDERS);
      KeyPair sender = senders.get(from);
      Payload payload;
      if (random.nextBoolean()) {
        AccountId to = senders.get(random.nextInt(SENDERS)).accountId();
        long amount = 1 + random.nextInt(100);
        payload = new Payload.Transfer(to, Amount.of(amount));
        expected.merge(sender.accountId(), -amount, Long::sum);
        expected.merge(to, amount, Long::sum);
      } else {
        payload = Payload.DataWrite.of("shipment/" + random.nextInt(50), ("event " + i).getBytes(StandardCharsets.UTF_8));
      }
      expected.merge(sender.accountId(), -1L, Long::sum);
      expected.merge(treasury.accountId(), 1L, Long::sum);
      txs.add(Transaction.sign(CHAIN, sender, nonces[from]++, Amount.of(1), payload));
    }

    // A share at random nodes first, in per-sender nonce order as a client would send them; then, each round, a
    // validator stops, three of four still commit the next share (submitted to the running nodes), and the
    // validator restarts from its data directory and catches up before the next round.
    int share = TRANSACTIONS / (ROUNDS + 1);
    List<Receipt> receipts = new ArrayList<>(submit(txs.subList(0, share), random, -1));
    for (int round = 0; round < ROUNDS; round++) {
      int stopped = VALIDATORS - 1 - round % VALIDATORS;
      nodes.get(stopped).close();
      nodes.set(stopped, null);
      int to = round == ROUNDS - 1 ? TRANSACTIONS : share * (round + 2);
      receipts.addAll(submit(txs.subList(share * (round + 1), to), random, stopped));
      long withoutIt = nodes.get((stopped + 1) % VALIDATORS).ledger().height();

      Node back = start(genesis, keys.get(stopped), dir.resolve("node-" + stopped), stopped);
      nodes.set(stopped, back);
      await("validator " + stopped + " caught up to " + withoutIt + " in round " + round, () -> back.ledger().height() >= withoutIt);
    }
    long top = nodes.stream().mapToLong(n -> n.ledger().height()).max().orElseThrow();
    await("every node at " + top, () -> nodes.stream().allMatch(n -> n.ledger().height() >= top));

    assertThat(receipts).hasSize(TRANSACTIONS).allMatch(Receipt::accepted);
    // One chain: every node holds the same blocks, every block carries a valid certificate.
    for (long h = 1; h <= top; h++) {
      Block reference = LedgerNodeTest.get(nodes.get(0).ledger().block(h)).orElseThrow();
      assertThat(reference.verify(genesis.validators()).valid()).as("block %d verifies", h).isTrue();
      for (int i = 1; i < NODES; i++) {
        assertThat(LedgerNodeTest.get(nodes.get(i).ledger().block(h)).orElseThrow().hash()).as("node %d block %d", i, h)
            .isEqualTo(reference.hash());
      }
    }
    // Every receipt verifies against the header another node holds.
    for (Receipt r : receipts) {
      Block b = LedgerNodeTest.get(nodes.get(NODES - 1).ledger().block(r.height())).orElseThrow();
      assertThat(r.verify(b.header()).valid()).as("receipt of %s", r.transactionId()).isTrue();
    }
    // The same state everywhere, and the one the transactions imply.
    for (Node n : nodes) {
      for (Map.Entry<AccountId, Long> e : expected.entrySet()) {
        assertThat(LedgerNodeTest.get(n.ledger().account(e.getKey())).balance().units()).as("balance on %s", n.id()).isEqualTo(e.getValue());
      }
    }
  }

  /** Submits in order at random running nodes (never {@code avoid}) and waits for every receipt. */
  private List<Receipt> submit(List<Transaction> txs, SplittableRandom random, int avoid) throws Exception {
    List<Receipt> out = new ArrayList<>();
    for (int from = 0; from < txs.size(); from += WINDOW) {
      out.addAll(submitWindow(txs.subList(from, Math.min(txs.size(), from + WINDOW)), random, avoid));
    }
    return out;
  }

  private List<Receipt> submitWindow(List<Transaction> txs, SplittableRandom random, int avoid) throws Exception {
    List<Future<Receipt>> futures = new ArrayList<>();
    for (Transaction tx : txs) {
      int at;
      do {
        at = random.nextInt(NODES);
      } while (at == avoid);
      futures.add(nodes.get(at).ledger().submit(tx));
    }
    List<Receipt> out = new ArrayList<>();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    for (Future<Receipt> f : futures) {
      long left = Math.max(1, deadline - System.nanoTime());
      out.add(f.toCompletionStage().toCompletableFuture().get(left, TimeUnit.NANOSECONDS));
    }
    return out;
  }

  private Node start(Genesis genesis, KeyPair key, Path dataDir, int index) throws Exception {
    NodeOptions options = new NodeOptions().setDataDir(dataDir).setListenHost("127.0.0.1").setListenPort(0)
        .setKeepAliveInterval(Duration.ofMillis(500)).setIdleTimeout(Duration.ofSeconds(5))
        .setReconnectMin(Duration.ofMillis(50)).setReconnectMax(Duration.ofMillis(500));
    for (int i = 0; i < nodes.size(); i++) {
      if (i != index && nodes.get(i) != null && nodes.get(i).status().port() > 0) {
        options.addPeer("127.0.0.1:" + nodes.get(i).status().port());
      }
    }
    Node node = Node.builder().options(options).genesis(genesis).identity(key).vertx(vertx).build();
    node.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return node;
  }

  private void await(String what, BooleanSupplier condition) {
    Await.until(what, TIMEOUT, condition, () -> {
      StringBuilder s = new StringBuilder();
      nodes.stream().filter(n -> n != null).forEach(n -> s.append("\n  ").append(n.id()).append(" height ").append(n.status().height())
          .append(" peers ").append(n.status().peers().size()));
      return s;
    });
  }
}
