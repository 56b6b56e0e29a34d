package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.IncentivePolicy;
import org.meshledger.IncentiveReport;
import org.meshledger.Ledger;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Role;
import org.meshledger.spi.testsupport.Await;
import org.meshledger.spi.testsupport.TestGenesis;

/**
 * The incentive gauges of a one-validator node whose genesis mints a constant subsidy show what
 * {@link Ledger#incentives()} reports at the same height, from memory: also right after a restart, before any new
 * block; a node that is a service node (here: from the block that registers it) also shows the windows it answered this
 * epoch.
 */
class IncentiveMetersTest {
  private static final String CHAIN = "incentive-meters";
  private static final long SUBSIDY = 1_000;
  private static final long FUNDS = 1_000_000;
  /** Epochs of 8 blocks in windows of 2, so that a service node answers within a second of blocks. */
  private static final IncentivePolicy.ServiceRules SHORT = new IncentivePolicy.ServiceRules(8, 2, 50, 50, Amount.of(42), Amount.of(500), 8,
      IncentivePolicy.ServiceShare.EQUAL, 4);

  private final KeyPair validator = KeyPair.generate();
  private final KeyPair treasury = KeyPair.generate();
  private final String tag = validator.nodeId().toHex().substring(0, 16);
  private Node node;

  @AfterEach
  void tearDown() {
    if (node != null) {
      node.close();
    }
  }

  /** Producers 60%, the tiers 10% each, treasury 20% of a constant subsidy; the validator also a Secure Node if asked. */
  private Genesis genesis(Role... roles) {
    TreeMap<String, Long> shares = new TreeMap<>(Map.of(IncentivePolicy.PRODUCERS, 600L, IncentivePolicy.SECURE_NODES, 100L,
        IncentivePolicy.SUPER_NODES, 100L, IncentivePolicy.TREASURY, 200L));
    IncentivePolicy policy = IncentivePolicy.builder().treasury(treasury.accountId()).service(SHORT)
        .era(new IncentivePolicy.Era(1, IncentivePolicy.Subsidy.constant(Amount.of(SUBSIDY)), shares, 1_000, IncentivePolicy.FeeRule.SHARED))
        .build();
    return Genesis.builder(CHAIN).genesisTime(TestGenesis.TIME).member("solo", validator.nodeId(), roles).consensus(TestGenesis.FAST)
        .incentives(policy).balance(validator.accountId(), Amount.of(FUNDS)).build();
  }

  private Ledger start(Path dir, Genesis genesis, SimpleMeterRegistry registry) throws Exception {
    node = Node.builder().genesis(genesis).identity(validator).plugin(registry)
        .options(new NodeOptions().setDataDir(dir).setListenHost("127.0.0.1").setListenPort(0)).build();
    node.start().await(60, TimeUnit.SECONDS);
    return node.ledger();
  }

  private double gauge(SimpleMeterRegistry registry, String name) {
    return registry.get(name).tags("node", tag).gauge().value();
  }

  /** The gauges read between two reports of the same height: then they must say what the report says. */
  private record Reading(IncentiveReport before, IncentiveReport after, Map<String, Double> gauges) {
    boolean sameHeight() {
      return before.height() == after.height();
    }

    boolean agrees() {
      return sameHeight() && gauges.get("supply") == after.totalSupply().units() && gauges.get("minted") == after.minted().units()
          && gauges.get("burnt") == after.burnt().units() && gauges.get("era") == after.era() && gauges.get("epoch") == after.epoch()
          && gauges.get("service.nodes") == after.serviceNodes().size();
    }
  }

  private Reading read(Ledger ledger, SimpleMeterRegistry registry, String... names) {
    IncentiveReport before = get(ledger.incentives());
    Map<String, Double> gauges = new TreeMap<>();
    for (String name : names) {
      gauges.put(name, gauge(registry, "meshledger.incentives." + name));
    }
    return new Reading(before, get(ledger.incentives()), gauges);
  }

  private static final String[] ALL = {"supply", "minted", "burnt", "era", "epoch", "service.nodes"};

  @Test
  void theGaugesShowWhatTheLedgerReportsAlsoRightAfterARestart(@TempDir Path dir) throws Exception {
    Genesis genesis = genesis(Role.VALIDATOR);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Ledger ledger = start(dir, genesis, registry);
    Await.await("a few blocks", () -> ledger.height() >= 5);

    Reading seen = Await.until("gauges equal to the ledger's report at the same height", Duration.ofSeconds(60),
        () -> read(ledger, registry, ALL), Reading::agrees);
    long height = seen.after().height();
    assertThat(seen.gauges().get("minted")).as("a constant subsidy at each of %d blocks", height).isEqualTo((double) SUBSIDY * height);
    assertThat(seen.gauges().get("supply")).isEqualTo((double) FUNDS + SUBSIDY * height);
    assertThat(registry.find("meshledger.incentives.service.answered").gauge()).as("not a service node: no answered gauge").isNull();
    double mintedBeforeStop = gauge(registry, "meshledger.incentives.minted");
    node.close();
    assertThat(registry.find("meshledger.incentives.minted").gauge()).as("removed when the node stops").isNull();

    // Read from the store at start: right when start() completes, not after the next block.
    SimpleMeterRegistry again = new SimpleMeterRegistry();
    Ledger resumed = start(dir, genesis, again);
    assertThat(gauge(again, "meshledger.incentives.minted")).as("minted after the restart, before a new block could reset it")
        .isGreaterThanOrEqualTo(mintedBeforeStop);
    Await.until("gauges equal to the ledger's report after the restart", Duration.ofSeconds(60), () -> read(resumed, again, ALL),
        Reading::agrees);
  }

  @Test
  void aNodeThatRegistersAsAServiceNodeGainsTheGaugeOfTheWindowsItAnsweredThisEpoch(@TempDir Path dir) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Ledger ledger = start(dir, genesis(Role.VALIDATOR), registry);
    assertThat(registry.find("meshledger.incentives.service.answered").gauge()).as("not a service node yet").isNull();

    Receipt registered = get(ledger.submit(Transaction.sign(CHAIN, validator, 0, Amount.ZERO, new Payload.ServiceRegistration(Role.SECURE_NODE))));
    assertThat(registered.accepted()).isTrue();
    Reading seen = Await.until("an answered window in the gauge and the report at the same height", Duration.ofSeconds(60), () -> {
      Reading r = read(ledger, registry, "service.nodes");
      Gauge answered = registry.find("meshledger.incentives.service.answered").tags("node", tag).gauge();
      r.gauges().put("answered", answered == null ? -1 : answered.value());
      return r;
    }, r -> r.sameHeight() && r.gauges().get("answered") >= 1
        && r.gauges().get("answered") == r.after().standing(validator.accountId()).orElseThrow().answered());
    assertThat(seen.gauges().get("service.nodes")).isEqualTo(1.0);
  }

  private static <T> T get(Future<T> future) {
    try {
      return future.await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer from the ledger in 30 s", e);
    }
  }
}
