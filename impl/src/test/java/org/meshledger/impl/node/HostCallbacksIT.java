package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.meshledger.spi.testsupport.Await.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.SyncProgress;
import org.meshledger.TransactionRejectedException;
import org.meshledger.TransactionValidator;
import org.meshledger.Verification;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.impl.net.Reason;
import org.meshledger.spi.testsupport.TestGenesis;

/**
 * A host's bug stays the host's, on real nodes (4 validators on loopback over TLS): for each kind of callback,
 * one that throws (a RuntimeException, and an Error such as a failed {@code assert}, in turn) leaves the peers
 * that delivered the input connected and unbanned, the chain committing, and the failure counted in
 * {@code meshledger.host.callback.failures}.
 */
class HostCallbacksIT {
  /** Idle blocks every 100 ms. */
  static final ConsensusParameters QUICK = new ConsensusParameters(Duration.ofMillis(400), Duration.ofMillis(200),
      Duration.ofMillis(100), Duration.ofMillis(20), Duration.ofMillis(100), 2000);
  static final String CHAIN = "callbacks-it";
  /** Connections that may end while a network forms: both sides dialled each other, or a node dialled itself. */
  static final Set<Reason> BENIGN = Set.of(Reason.DUPLICATE, Reason.SELF);

  private final Vertx vertx = Vertx.vertx();
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final List<VertxNode> nodes = new ArrayList<>();
  private final List<KeyPair> keys = new ArrayList<>();
  private final KeyPair sender = KeyPair.generate();
  private long nonce;
  private Genesis genesis;

  /** The host-callback log, kept out of the build's output and looked at by the tests. */
  private final HostLog hostLog = new HostLog();

  @AfterEach
  void tearDown() {
    hostLog.close();
    Future.join(nodes.stream().map(Node::stop).toList()).toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  @Test
  void aThrowingGossipSubscriberLosesTheMessageButNotThePeerThatDeliveredIt(@TempDir Path dir) throws Exception {
    network(dir, TransactionValidator.ACCEPT_ALL);
    Map<String, Set<String>> links = links();
    AtomicInteger thrown = new AtomicInteger();
    List<String> heard = new CopyOnWriteArrayList<>();
    nodes.get(0).propagator().subscribe("quotes", g -> {
      hostBug(thrown.incrementAndGet(), "no quote book for " + g.id());
    });
    nodes.get(0).propagator().subscribe("quotes", g -> heard.add(new String(g.body(), StandardCharsets.UTF_8)));

    int messages = 20;
    for (int i = 0; i < messages; i++) {
      nodes.get(1 + i % 3).propagator().publish("quotes", ("quote " + i).getBytes(StandardCharsets.UTF_8));
    }
    await("every quote at node 0, to both handlers", () -> heard.size() == messages && thrown.get() == messages);

    assertNoPeerBlamed(links);
    assertTheChainGoesOn();
    assertThat(failures(0, "gossip")).isEqualTo(messages);
    assertThat(hostLog.lines()).as("a few lines, not one per failure").hasSize(3)
        .allSatisfy(l -> assertThat(l).contains("a gossip subscriber failed (topic 'quotes'", "no quote book for"));
  }

  @Test
  void aThrowingBlockHandlerIsCountedAndItsSubscriptionGoesOn(@TempDir Path dir) throws Exception {
    network(dir, TransactionValidator.ACCEPT_ALL);
    Map<String, Set<String>> links = links();
    List<Long> seen = new CopyOnWriteArrayList<>();
    nodes.get(0).ledger().onBlock(1, b -> {
      seen.add(b.height());
      hostBug(seen.size(), "no shipment table for block " + b.height());
    });
    await("10 blocks handled", () -> seen.size() >= 10);

    assertTheChainGoesOn();
    assertNoPeerBlamed(links);
    int handled = seen.size();
    assertThat(seen).as("every block, in order, though each handling threw").containsExactlyElementsOf(range(1, handled));
    assertThat(failures(0, "block")).isEqualTo(handled);
  }

  @Test
  void aThrowingTransactionHandlerIsCountedPerReceiptAndGoesOn(@TempDir Path dir) throws Exception {
    network(dir, TransactionValidator.ACCEPT_ALL);
    Map<String, Set<String>> links = links();
    List<Receipt> seen = new CopyOnWriteArrayList<>();
    nodes.get(0).ledger().onTransaction(1, r -> {
      seen.add(r);
      hostBug(seen.size(), "cannot index " + r.transactionId());
    });
    List<Receipt> receipts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      receipts.add(submit(nodes.get(1 + i % 3), "shipment/" + i));
    }
    await("every receipt handled", () -> seen.size() >= receipts.size());

    assertNoPeerBlamed(links);
    assertTheChainGoesOn();
    assertThat(seen).extracting(Receipt::transactionId).startsWith(receipts.stream().map(Receipt::transactionId).toArray(org.meshledger.chain.Hash[]::new));
    assertThat(failures(0, "transaction")).isEqualTo(seen.size());
  }

  @Test
  void aThrowingValidatorRejectsTheTransactionNamingTheExceptionAndConsensusGoesOn(@TempDir Path dir) throws Exception {
    AtomicInteger calls = new AtomicInteger();
    network(dir, (tx, state) -> {
      String key = ((Payload.DataWrite) tx.payload()).key();
      calls.incrementAndGet();
      if (key.startsWith("boom/")) {
        throw new IllegalStateException("no order for " + key);
      }
      if (key.startsWith("assert/")) {
        throw new AssertionError("unreachable for " + key);
      }
      return Verification.ok();
    });
    Map<String, Set<String>> links = links();

    TransactionRejectedException boom = rejected(nodes.get(1), "boom/1");
    assertThat(boom.reason()).isEqualTo("rejected by the host validator: it threw java.lang.IllegalStateException: no order for boom/1");
    assertThat(boom.receipt()).isPresent();
    TransactionRejectedException assertion = rejected(nodes.get(2), "assert/1");
    assertThat(assertion.reason()).isEqualTo("rejected by the host validator: it threw java.lang.AssertionError: unreachable for assert/1");

    Receipt after = submit(nodes.get(3), "shipment/1");
    assertThat(after.accepted()).isTrue();
    assertNoPeerBlamed(links);
    assertTheChainGoesOn();
    for (int i = 0; i < nodes.size(); i++) {
      assertThat(failures(i, "validator")).as("node %d executed both failing writes", i).isEqualTo(2);
    }
  }

  @Test
  void aThrowingSyncProgressListenerDoesNotStopTheNodeCatchingUp(@TempDir Path dir) throws Exception {
    network(dir, TransactionValidator.ACCEPT_ALL);
    await("30 blocks", () -> nodes.get(0).ledger().height() >= 30);

    List<SyncProgress> seen = new CopyOnWriteArrayList<>();
    VertxNode late = build(dir, 4, TransactionValidator.ACCEPT_ALL);
    late.onSyncProgress(p -> {
      seen.add(p);
      hostBug(seen.size(), "no dashboard for " + p);
    });
    late.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    nodes.add(late);

    long target = nodes.get(0).ledger().height();
    await("the late node caught up to " + target, () -> late.ledger().height() >= target);
    await("the end of catching up reported", () -> !seen.isEmpty() && !seen.get(seen.size() - 1).catchingUp());
    assertThat(seen.get(0).catchingUp()).isTrue();
    assertNoPeerBlamed(Map.of());
    assertTheChainGoesOn();
    assertThat(failures(4, "sync-progress")).isEqualTo(seen.size());
  }

  // ---- the network

  private void network(Path dir, TransactionValidator validator) throws Exception {
    TestGenesis net = TestGenesis.chain(CHAIN).validators(4).observers(1).fund(1_000_000, sender).consensus(QUICK)
        .treasury(KeyPair.generate().accountId()).build();
    keys.addAll(net.keys());
    genesis = net.genesis();
    for (int i = 0; i < 4; i++) {
      VertxNode n = build(dir, i, validator);
      n.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      nodes.add(n);
    }
    await("a full mesh of 4 validators and a few blocks", () -> nodes.stream().allMatch(n -> n.status().peers().size() == 3)
        && nodes.stream().allMatch(n -> n.ledger().height() >= 3));
  }

  private VertxNode build(Path dir, int index, TransactionValidator validator) {
    NodeOptions options = new NodeOptions().setDataDir(dir.resolve("node-" + index)).setListenHost("127.0.0.1").setListenPort(0)
        .setStorage("memory").setKeepAliveInterval(Duration.ofMillis(500)).setIdleTimeout(Duration.ofSeconds(5))
        .setReconnectMin(Duration.ofMillis(50)).setReconnectMax(Duration.ofMillis(500));
    nodes.forEach(n -> options.addPeer("127.0.0.1:" + n.status().port()));
    return (VertxNode) Node.builder().options(options).genesis(genesis).identity(keys.get(index)).validator(validator).vertx(vertx)
        .plugin(registry).build();
  }

  /** Throws as buggy host code does: a RuntimeException on odd calls, an Error (a failed assert) on even ones. */
  private static void hostBug(int call, String text) {
    if (call % 2 == 0) {
      throw new AssertionError(text);
    }
    throw new IllegalStateException(text);
  }

  private double failures(int node, String kind) {
    return registry.get("meshledger.host.callback.failures").tags("node", nodes.get(node).id().toHex().substring(0, 16), "kind", kind)
        .functionCounter().count();
  }

  private Receipt submit(Node at, String key) throws Exception {
    Transaction tx = Transaction.sign(CHAIN, sender, nonce++, Amount.of(1), Payload.DataWrite.of(key, "v".getBytes(StandardCharsets.UTF_8)));
    return at.ledger().submit(tx).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private TransactionRejectedException rejected(Node at, String key) throws Exception {
    try {
      Receipt r = submit(at, key);
      throw new AssertionError("expected a rejection of " + key + ", got " + r);
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(TransactionRejectedException.class);
      return (TransactionRejectedException) e.getCause();
    }
  }

  // ---- what must hold after a host's callback failed

  /** Each node's connections as "peer id @ remote address": a connection closed and dialled again shows a new port. */
  private Map<String, Set<String>> links() {
    Map<String, Set<String>> out = new HashMap<>();
    for (VertxNode n : nodes) {
      out.put(n.id().toHex(), n.status().peers().stream().map(p -> p.id().toHex() + "@" + p.address()).collect(Collectors.toSet()));
    }
    return out;
  }

  private void assertNoPeerBlamed(Map<String, Set<String>> before) {
    Map<String, Set<String>> now = links();
    before.forEach((node, peers) -> assertThat(now.get(node)).as("connections of %s, still the same ones", node).containsAll(peers));
    for (VertxNode n : nodes) {
      var stats = n.networkSnapshot();
      assertThat(stats.bans()).as("bans by %s", n.id()).isZero();
      assertThat(stats.closed().keySet()).as("connections %s closed, by reason", n.id()).isSubsetOf(BENIGN);
    }
  }

  /** A new transaction commits, and every node stores and announces (in its status, to its peers) 5 more blocks. */
  private void assertTheChainGoesOn() throws Exception {
    long from = nodes.get(0).ledger().height();
    Receipt r = submit(nodes.get(0), "after/" + from);
    assertThat(r.accepted()).isTrue();
    assertThat(r.height()).isGreaterThan(from);
    await("5 more blocks stored and announced by every node", () -> nodes.stream()
        .allMatch(n -> n.ledger().height() >= from + 5 && n.status().height() >= from + 5));
  }

  private static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long h = from; h <= to; h++) {
      out.add(h);
    }
    return out;
  }
}
