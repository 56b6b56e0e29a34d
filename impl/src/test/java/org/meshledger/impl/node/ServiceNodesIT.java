package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.IncentivePolicy;
import org.meshledger.IncentiveReport;
import org.meshledger.IncentiveReport.ServiceOutcome;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.chain.Amount;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Role;
import org.meshledger.spi.testsupport.Await;
import org.meshledger.spi.testsupport.TestGenesis;

/**
 * Service nodes on real nodes and sockets: two Secure Nodes answer their challenges by themselves and share their
 * tier's pool; one that is stopped for an epoch earns nothing for it, says why in its status, and earns again once
 * it is back. Every node reads the same payouts from its own store.
 */
class ServiceNodesIT {
  /** Epochs of 16 blocks in 4 windows of 4; a Secure Node must answer 3 of 4. */
  static final IncentivePolicy.ServiceRules RULES = new IncentivePolicy.ServiceRules(16, 4, 75, 100, Amount.of(42), Amount.of(500), 16,
      IncentivePolicy.ServiceShare.EQUAL, 4);
  static final long SUBSIDY = 1_000;
  static final Duration EPOCH_WAIT = Duration.ofSeconds(90);

  private final Vertx vertx = Vertx.vertx();
  private final List<Node> running = new ArrayList<>();
  private final KeyPair validatorKey = KeyPair.generate();
  private final KeyPair s1Key = KeyPair.generate();
  private final KeyPair s2Key = KeyPair.generate();
  private final KeyPair treasury = KeyPair.generate();

  @AfterEach
  void tearDown() {
    Future.join(running.stream().map(Node::stop).toList()).toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  private Genesis genesis() {
    IncentivePolicy policy = IncentivePolicy.builder().treasury(treasury.accountId())
        .era(IncentivePolicy.standard(treasury.accountId(), IncentivePolicy.Subsidy.constant(Amount.of(SUBSIDY))).eras().get(0))
        .service(RULES).build();
    // blocks every 250 ms when idle, so that windows pass without traffic
    ConsensusParameters consensus = new ConsensusParameters(Duration.ofMillis(1000), Duration.ofMillis(500), Duration.ofMillis(500),
        Duration.ofMillis(50), Duration.ofMillis(250), 5000);
    return TestGenesis.chain("service-nodes-it").members(2, Role.SECURE_NODE).keys(validatorKey, s1Key, s2Key).consensus(consensus)
        .incentives(policy).build().genesis();
  }

  private Node start(Genesis genesis, KeyPair key, Path dir, Node peer) throws Exception {
    NodeOptions options = new NodeOptions().setDataDir(dir).setListenHost("127.0.0.1").setListenPort(0);
    if (peer != null) {
      options.addPeer("127.0.0.1:" + peer.status().port());
    }
    Node n = Node.builder().options(options).genesis(genesis).identity(key).vertx(vertx).build();
    n.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    running.add(n);
    return n;
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** The first epoch that begins after the block {@code node} is at now: every node runs through all of it. */
  private static long nextWholeEpoch(Node node) {
    return RULES.epochOf(node.status().height() + 1) + 1;
  }

  private static IncentiveReport.EpochRewards closed(Node node, long epoch) {
    return Await.until("epoch " + epoch + " closed", EPOCH_WAIT, () -> {
      try {
        return get(node.ledger().rewards(epoch));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, Optional::isPresent).orElseThrow();
  }

  @Test
  void anOfflineSecureNodeEarnsNothingForTheEpochAndEarnsAgainWhenBack(@TempDir Path dir) throws Exception {
    Genesis genesis = genesis();
    Node validator = start(genesis, validatorKey, dir.resolve("validator"), null);
    Node s1 = start(genesis, s1Key, dir.resolve("s1"), validator);
    Node s2 = start(genesis, s2Key, dir.resolve("s2"), validator);
    long pool = RULES.epochLength() * SUBSIDY / 10; // the Secure Nodes' 10% of each block

    long both = nextWholeEpoch(validator);
    IncentiveReport.EpochRewards e = closed(validator, both);
    assertThat(e.service(s1Key.accountId()).orElseThrow().outcome()).as("%s", e).isEqualTo(ServiceOutcome.EARNED);
    assertThat(e.service(s2Key.accountId()).orElseThrow().outcome()).as("%s", e).isEqualTo(ServiceOutcome.EARNED);
    assertThat(e.rewards()).containsEntry(s1Key.accountId(), Amount.of(pool / 2)).containsEntry(s2Key.accountId(), Amount.of(pool / 2));
    assertThat(closed(s1, both)).as("s1 computed the same payouts from its own store").isEqualTo(e);
    assertThat(s1.status().service()).hasValueSatisfying(d -> assertThat(d.summary()).contains("secure-node: answered"));

    s2.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    running.remove(s2);
    long offline = nextWholeEpoch(validator);
    e = closed(validator, offline);
    assertThat(e.service(s2Key.accountId()).orElseThrow()).as("%s", e).satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(ServiceOutcome.BELOW_THRESHOLD);
      assertThat(r.answered()).isZero();
      assertThat(r.earned()).isEqualTo(Amount.ZERO);
    });
    assertThat(e.rewards()).as("s1 takes the whole pool").containsEntry(s1Key.accountId(), Amount.of(pool))
        .doesNotContainKey(s2Key.accountId());

    Node back = start(genesis, s2Key, dir.resolve("s2"), validator);
    Await.until("s2 caught up", EPOCH_WAIT, () -> back.status().height() >= validator.status().height() - 1);
    long returned = nextWholeEpoch(validator);
    e = closed(validator, returned);
    IncentiveReport.ServiceResult r = e.service(s2Key.accountId()).orElseThrow();
    assertThat(r.outcome()).as("back for a whole epoch: it earns (reduced while it carries penalty points) %s", e)
        .isIn(ServiceOutcome.EARNED, ServiceOutcome.PENALISED);
    assertThat(r.earned().units()).isPositive();
    assertThat(back.status().service()).hasValueSatisfying(d -> assertThat(d.standing()).isPresent());
    IncentiveReport report = get(validator.ledger().incentives());
    assertThat(report.minted().units()).as("a subsidy every block").isEqualTo(report.height() * SUBSIDY);
    assertThat(report.totalSupply()).isEqualTo(report.minted());
  }
}
