package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.Ledger;
import org.meshledger.MeshledgerException;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.NodeStatus.State;
import org.meshledger.PropagationStats;
import org.meshledger.Propagator;
import org.meshledger.StorageException;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.spi.testsupport.TestGenesis;

/**
 * What a node answers outside RUNNING, and how it closes: every public call of {@code Node}, {@code Propagator}
 * and {@code Ledger} before start and after stop has the answer its javadoc gives (never a NullPointerException
 * or Vert.x's RejectedExecutionException); a stop while starting fails the start and releases what it opened;
 * {@code close()} refuses an event loop and reports the real cause of a failed stop.
 */
class NodeOutsideRunningIT {
  private final KeyPair key = KeyPair.generate();
  private final Genesis genesis = TestGenesis.chain("outside-running").keys(key).build().genesis();

  @BeforeEach
  @AfterEach
  void resetHooks() {
    HookedStores.reset();
  }

  private NodeOptions options(Path dir) {
    return new NodeOptions().setDataDir(dir).setListenHost("127.0.0.1").setListenPort(0);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static Throwable failure(Future<?> f) throws Exception {
    try {
      await(f);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the future succeeded");
  }

  @Test
  void beforeStartEveryCallHasItsDocumentedAnswer(@TempDir Path dir) throws Exception {
    Node node = Node.builder().options(options(dir)).genesis(genesis).identity(key).build();
    assertThat(node.status().state()).isEqualTo(State.NEW);
    assertThat(node.status().port()).isZero();
    Propagator p = node.propagator();
    assertThat(p.stats()).as("no NullPointerException: nothing counted yet").isEqualTo(PropagationStats.EMPTY);
    assertThat(p.spreading().protocol()).isEqualTo("flooding");
    assertThatThrownBy(() -> p.publish("quotes", bytes("612")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot publish").hasMessageContaining(" is NEW")
        .hasMessageContaining("call start()");
    assertThatThrownBy(() -> p.publish("meshledger/x", bytes("612"))).as("a bad argument is still named first")
        .isInstanceOf(IllegalArgumentException.class);
    p.subscribe("quotes", g -> { }).close(); // allowed before start
    node.onSyncProgress(s -> { }).close();
    assertThatThrownBy(node::ledger).isInstanceOf(IllegalStateException.class).hasMessageContaining(" is NEW")
        .hasMessageContaining("call start()");

    await(node.stop()); // stopping a node that never started: nothing to release
    assertThat(node.status().state()).isEqualTo(State.STOPPED);
    assertThat(failure(node.start())).isInstanceOf(IllegalStateException.class).hasMessageContaining("starts once");
    assertThatThrownBy(() -> p.publish("quotes", bytes("612"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(" is STOPPED");
    node.close();
  }

  @Test
  void afterStopEveryCallHasItsDocumentedAnswer(@TempDir Path dir) throws Exception {
    // On the node's own Vert.x: after stop it is closed, which is where RejectedExecutionException came from.
    Node node = Node.builder().options(options(dir)).genesis(genesis).identity(key).build();
    await(node.start());
    Propagator p = node.propagator();
    p.publish("quotes", bytes("612"));
    Ledger ledger = node.ledger();
    Ledger.Subscription blocks = ledger.onBlock(1, b -> { });
    long height = ledger.height();
    await(node.stop());

    assertThat(node.status().state()).isEqualTo(State.STOPPED);
    assertThat(node.status().port()).as("not listening").isZero();
    assertThat(p.stats()).as("the figures as it stopped").isNotNull();
    assertThatThrownBy(() -> p.publish("quotes", bytes("613")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot publish").hasMessageContaining(" is STOPPED")
        .hasMessageContaining("build and start a new node");
    p.subscribe("quotes", g -> { }).close();
    assertThat(node.ledger()).as("the ledger stays reachable").isSameAs(ledger);
    assertThat(ledger.height()).as("the last stored height").isGreaterThanOrEqualTo(height);
    Transaction tx = Transaction.sign(genesis.chainId(), key, 0, Amount.of(1), Payload.DataWrite.of("k", bytes("v")));
    assertThat(failure(ledger.submit(tx))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot submit transactions").hasMessageContaining(" is STOPPED");
    for (Future<?> read : List.of(ledger.block(1), ledger.block(Hash.sha256(bytes("x"))), ledger.receipt(tx.id()),
        ledger.account(key.accountId()), ledger.current("k"), ledger.history("k", 0, 10))) {
      assertThat(failure(read)).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot read the ledger")
          .hasMessageContaining(" is STOPPED");
    }
    assertThatThrownBy(() -> ledger.onBlock(1, b -> { })).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(" is STOPPED");
    assertThatThrownBy(() -> ledger.onTransaction(1, r -> { })).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(" is STOPPED");
    blocks.close(); // no RejectedExecutionException from the closed Vert.x
    node.close();
  }

  @Test
  void closeOnAnEventLoopIsRefusedAtOnceAndStopsNothing(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Node node = Node.builder().options(options(dir)).genesis(genesis).identity(key).vertx(vertx).build();
      await(node.start());
      CompletableFuture<Throwable> refused = new CompletableFuture<>();
      vertx.runOnContext(v -> {
        try {
          node.close();
          refused.complete(null);
        } catch (RuntimeException e) {
          refused.complete(e);
        }
      });
      assertThat(refused.get(30, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("event loop").hasMessageContaining("call stop() and use its Future");
      assertThat(node.status().state()).isEqualTo(State.RUNNING);
      CompletableFuture<Void> stopped = new CompletableFuture<>();
      vertx.runOnContext(v -> node.stop().onComplete(ar -> stopped.complete(null))); // the way on an event loop
      stopped.get(30, TimeUnit.SECONDS);
      assertThat(node.status().state()).isEqualTo(State.STOPPED);
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void closeReportsTheRealCauseOfAFailedStopNotATimeout(@TempDir Path dir) throws Exception {
    Node node = Node.builder().options(options(dir).setStorage("hooked")).genesis(genesis).identity(key).build();
    await(node.start());
    HookedStores.closeFailure = new StorageException("disk gone while closing the store");
    assertThatThrownBy(node::close).isInstanceOf(MeshledgerException.class)
        .hasMessageContaining("disk gone while closing the store").hasMessageNotContaining("within")
        .hasRootCauseInstanceOf(StorageException.class);
    assertThat(node.status().state()).as("stopped all the same").isEqualTo(State.STOPPED);
    assertThat(failure(node.stop())).as("stop's future carries the cause").isInstanceOf(StorageException.class);
  }

  @Test
  void aStopWhileStartingFailsTheStartSayingSoAndReleasesWhatItOpened(@TempDir Path dir) throws Exception {
    HookedStores.gate = new java.util.concurrent.CountDownLatch(1);
    VertxNode node = (VertxNode) Node.builder().options(options(dir).setStorage("hooked")).genesis(genesis).identity(key).build();
    Future<Void> start = node.start();
    assertThat(HookedStores.opening.await(30, TimeUnit.SECONDS)).as("the start reached the store").isTrue();
    assertThat(node.status().state()).isEqualTo(State.STARTING);
    Future<Void> stop = node.stop();
    assertThat(node.status().state()).isEqualTo(State.STOPPING);
    assertThat(stop.isComplete()).as("stop waits for the start to let go").isFalse();
    HookedStores.gate.countDown();

    assertThat(failure(start)).isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped while starting");
    await(stop);
    assertThat(node.status().state()).isEqualTo(State.STOPPED);
    assertThat(HookedStores.closed.get()).as("the store it had opened is closed").isEqualTo(1);
    assertThat(node.history()).containsExactly(State.NEW, State.STARTING, State.STOPPING, State.STOPPED);
  }

  @Test
  void aHostClosingItsVertxStopsTheNodeAndReleasesItsStore(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    Node node = Node.builder().options(options(dir)).genesis(genesis).identity(key).vertx(vertx).build();
    await(node.start());
    await(vertx.close()); // undeploys every deployment, the node's included
    assertThat(node.status().state()).isEqualTo(State.STOPPED);
    await(node.stop()); // already stopped: the same completed future
    try (org.meshledger.spi.BlockStore store = org.meshledger.spi.BlockStores.open("h2",
        new org.meshledger.spi.StoreContext(dir, genesis.chainId(), genesis.hash()))) {
      assertThat(store.height()).as("the store was closed: it opens again").isGreaterThanOrEqualTo(0);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
