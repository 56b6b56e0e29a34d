package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.meshledger.impl.node.LedgerNodeTest.get;
import static org.meshledger.spi.testsupport.Await.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.Ledger;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.chain.CommittedBlock;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.spi.testsupport.TestGenesis;

/**
 * {@code Ledger.onBlockAsync} on a one-validator chain (H2, sockets) that commits an idle block every 10 ms: the
 * next block waits for the handler's future, so a host whose handling ends on a worker thread gets every block
 * once and in order while the chain runs far ahead; and a failure ends the subscription at the block that
 * failed, visibly, so the host resumes there without a gap.
 */
class BlockBackpressureTest {
  static final ConsensusParameters QUICK = new ConsensusParameters(Duration.ofMillis(300), Duration.ofMillis(200),
      Duration.ofMillis(100), Duration.ofMillis(10), Duration.ofMillis(10), 1000);

  private final KeyPair validator = KeyPair.generate();
  private final Genesis genesis = TestGenesis.chain("backpressure-test").keys(validator).consensus(QUICK).build().genesis();
  private final Vertx vertx = Vertx.vertx();
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final HostLog hostLog = new HostLog();
  private Node node;

  @AfterEach
  void tearDown() {
    hostLog.close();
    if (node != null) {
      node.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  private Ledger start(Path dir) throws Exception {
    node = Node.builder().genesis(genesis).identity(validator).vertx(vertx).plugin(registry)
        .options(new NodeOptions().setDataDir(dir).setListenHost("127.0.0.1").setListenPort(0)).build();
    get(node.start());
    return node.ledger();
  }

  @Test
  void aHandlerThatCompletesOnAWorkerGetsEveryBlockOnceAndInOrderWhileTheChainRunsAhead(@TempDir Path dir) throws Exception {
    Ledger ledger = start(dir);
    List<Long> handled = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    Promise<Void> firstHeld = Promise.promise();
    Ledger.Subscription sub = ledger.onBlockAsync(1, b -> {
      calls.incrementAndGet();
      threads.add(Thread.currentThread().getName());
      if (inFlight.incrementAndGet() > 1) {
        overlaps.incrementAndGet();
      }
      Future<Void> ready = b.height() == 1 ? firstHeld.future() : Future.succeededFuture();
      // The host's I/O: on a worker, as a database write would be, after which the block counts as handled.
      return ready.compose(v -> vertx.executeBlocking(() -> {
        handled.add(b.height());
        inFlight.decrementAndGet();
        return null;
      }, false));
    });

    await("the chain 200 blocks ahead of a handler still on block 1", () -> ledger.height() >= 200);
    assertThat(calls.get()).as("blocks offered while the first is not handled").isEqualTo(1);
    assertThat(sub.nextHeight()).isEqualTo(1);
    firstHeld.complete();

    long target = ledger.height() + 50;
    await("every block up to " + target + " handled", () -> handled.size() >= target);
    sub.close();
    get(sub.ended());
    List<Long> expected = new ArrayList<>();
    for (long h = 1; h <= handled.size(); h++) {
      expected.add(h);
    }
    assertThat(handled).as("each block once, in order").isEqualTo(expected);
    assertThat(overlaps.get()).as("a block offered before the previous one was handled").isZero();
    assertThat(threads).as("the handler runs on the node's event loop").allMatch(t -> t.startsWith("vert.x-eventloop-thread"));
  }

  @Test
  void aFailedFutureEndsTheSubscriptionAtThatBlockAndTheHostResumesThere(@TempDir Path dir) throws Exception {
    Ledger ledger = start(dir);
    List<Long> handled = new CopyOnWriteArrayList<>();
    IllegalStateException diskFull = new IllegalStateException("the host's database is full");
    Ledger.Subscription sub = ledger.onBlockAsync(1, onWorker(handled, h -> h == 5 ? diskFull : null));

    ExecutionException ended = catchEnd(sub);
    assertThat(ended.getCause()).isSameAs(diskFull);
    assertThat(sub.nextHeight()).as("where to resume").isEqualTo(5);
    assertThat(handled).containsExactly(1L, 2L, 3L, 4L);
    assertThat(failures()).isEqualTo(1);

    long later = ledger.height() + 20;
    await("20 more blocks", () -> ledger.height() >= later);
    assertThat(handled).as("nothing offered after the failure").containsExactly(1L, 2L, 3L, 4L);

    Ledger.Subscription resumed = ledger.onBlockAsync(sub.nextHeight(), onWorker(handled, h -> null));
    await("resumed up to " + later, () -> handled.size() >= later);
    resumed.close();
    assertThat(handled.subList(0, (int) later)).as("no gap, no duplicate").isEqualTo(heights(1, later));
  }

  @Test
  void aThrowOrANullFutureEndsTheSubscriptionToo(@TempDir Path dir) throws Exception {
    Ledger ledger = start(dir);
    List<Long> handled = new CopyOnWriteArrayList<>();
    Ledger.Subscription throwing = ledger.onBlockAsync(1, b -> {
      if (b.height() == 3) {
        throw new AssertionError("host bug at block 3");
      }
      handled.add(b.height());
      return Future.succeededFuture();
    });
    assertThat(catchEnd(throwing).getCause()).isInstanceOf(AssertionError.class).hasMessage("host bug at block 3");
    assertThat(throwing.nextHeight()).isEqualTo(3);
    assertThat(handled).containsExactly(1L, 2L);

    Ledger.Subscription nothing = ledger.onBlockAsync(7, b -> null);
    assertThat(catchEnd(nothing).getCause()).isInstanceOf(NullPointerException.class).hasMessageContaining("returned null for block 7");
    assertThat(nothing.nextHeight()).isEqualTo(7);
    assertThat(failures()).isEqualTo(2);
    assertThat(hostLog.lines()).hasSize(2).allSatisfy(l -> assertThat(l).contains("a block handler failed", "the subscription ends at block"));
  }

  @Test
  void stoppingTheNodeEndsTheSubscriptionWithTheHeightToResumeFrom(@TempDir Path dir) throws Exception {
    Ledger ledger = start(dir);
    List<Long> handled = new CopyOnWriteArrayList<>();
    Ledger.Subscription sub = ledger.onBlockAsync(1, onWorker(handled, h -> null));
    await("10 blocks handled", () -> handled.size() >= 10);
    get(node.stop());
    ExecutionException ended = catchEnd(sub);
    assertThat(ended.getCause()).isInstanceOf(IllegalStateException.class).hasMessageContaining("the node stopped");
    assertThat(sub.nextHeight()).isEqualTo(handled.size() + 1);
  }

  /** A handler that handles each block on a worker, failing with what {@code failure} gives for its height. */
  private Function<CommittedBlock, Future<Void>> onWorker(List<Long> handled, Function<Long, RuntimeException> failure) {
    return b -> vertx.executeBlocking(() -> {
      RuntimeException e = failure.apply(b.height());
      if (e != null) {
        throw e;
      }
      handled.add(b.height());
      return null;
    }, false);
  }

  private static ExecutionException catchEnd(Ledger.Subscription sub) throws Exception {
    try {
      get(sub.ended());
    } catch (ExecutionException e) {
      return e;
    }
    throw new AssertionError("the subscription ended without a failure");
  }

  private double failures() {
    return registry.get("meshledger.host.callback.failures").tags("node", validator.nodeId().toHex().substring(0, 16), "kind", "block")
        .functionCounter().count();
  }

  private static List<Long> heights(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long h = from; h <= to; h++) {
      out.add(h);
    }
    return out;
  }
}
