package org.meshledger.samples.rewardrule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.ConfigurationException;
import org.meshledger.IncentivePolicy;
import org.meshledger.IncentiveReport;
import org.meshledger.Ledger;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.chain.AccountId;
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
 * A real one-validator node whose genesis names {@code validators-only}: the node finds the rule through
 * {@link java.util.ServiceLoader} (no plug-in given), and the validator ends up with everything minted plus the fees,
 * while the treasury the policy names, and its 20% share, get nothing.
 */
class ValidatorsOnlyNodeTest {
  private static final String CHAIN = "validators-only-test";
  private static final long SUBSIDY = 1_000;
  private static final long FUNDS = 1_000_000;
  private static final long FEE = 7;
  private static final long SENT = 250;

  private final KeyPair validator = KeyPair.generate();
  private final KeyPair alice = KeyPair.generate();
  private final AccountId bob = KeyPair.generate().accountId();
  private final AccountId treasury = KeyPair.generate().accountId();
  private Node node;

  @AfterEach
  void tearDown() {
    if (node != null) {
      node.close();
    }
  }

  /** The product's split (producers 60%, tiers 10% each, treasury 20%) under the given rule. */
  private Genesis genesis(String rule) {
    IncentivePolicy.Era era = new IncentivePolicy.Era(1, IncentivePolicy.Subsidy.constant(Amount.of(SUBSIDY)),
        new TreeMap<>(Map.of(IncentivePolicy.PRODUCERS, 600L, IncentivePolicy.SECURE_NODES, 100L, IncentivePolicy.SUPER_NODES, 100L,
            IncentivePolicy.TREASURY, 200L)), 1_000, IncentivePolicy.FeeRule.SHARED);
    IncentivePolicy policy = IncentivePolicy.builder().rule(rule).treasury(treasury).era(era).build();
    return Genesis.builder(CHAIN).member("validator", validator.nodeId(), Role.VALIDATOR).consensus(TestGenesis.FAST).incentives(policy)
        .balance(alice.accountId(), Amount.of(FUNDS)).build();
  }

  private NodeOptions options(Path dir) {
    return new NodeOptions().setDataDir(dir).setListenHost("127.0.0.1").setListenPort(0);
  }

  /** Reads that saw the same height: a block appended between the two reports makes the probe try again. */
  private record Reading(IncentiveReport before, IncentiveReport after, Amount validator, Amount treasury, Amount alice, Amount bob) {
    boolean consistent() {
      return before.height() == after.height();
    }
  }

  private Reading read(Ledger ledger) {
    IncentiveReport before = get(ledger.incentives());
    Amount v = get(ledger.account(validator.accountId())).balance();
    Amount t = get(ledger.account(treasury)).balance();
    Amount a = get(ledger.account(alice.accountId())).balance();
    Amount b = get(ledger.account(bob)).balance();
    return new Reading(before, get(ledger.incentives()), v, t, a, b);
  }

  @Test
  void theValidatorHoldsEverythingMintedPlusTheFeeAndTheTreasuryNothing(@TempDir Path dir) throws Exception {
    node = Node.builder().genesis(genesis(ValidatorsOnlyRule.NAME)).identity(validator).options(options(dir)).build();
    node.start().await(60, TimeUnit.SECONDS);
    Ledger ledger = node.ledger();

    Receipt r = ledger.submit(Transaction.sign(CHAIN, alice, 0, Amount.of(FEE), new Payload.Transfer(bob, Amount.of(SENT))))
        .await(60, TimeUnit.SECONDS);
    assertThat(r.accepted()).isTrue();

    // An idle chain keeps making blocks, each minting: read until the reports before and after agree on the height.
    Reading seen = Await.until("a reading of the balances between two reports of the same height", Duration.ofSeconds(60),
        () -> read(ledger), Reading::consistent);
    IncentiveReport report = seen.after();
    long height = report.height();
    assertThat(height).isGreaterThanOrEqualTo(r.height());
    assertThat(report.minted()).as("a constant subsidy at each of %d blocks", height).isEqualTo(Amount.of(SUBSIDY * height));
    assertThat(report.burnt()).isEqualTo(Amount.ZERO);
    assertThat(report.totalSupply()).isEqualTo(Amount.of(FUNDS + SUBSIDY * height));
    assertThat(seen.validator()).as("everything minted plus the fee").isEqualTo(Amount.of(SUBSIDY * height + FEE));
    assertThat(seen.treasury()).as("the treasury, despite its 20% share in the era").isEqualTo(Amount.ZERO);
    assertThat(seen.alice()).isEqualTo(Amount.of(FUNDS - SENT - FEE));
    assertThat(seen.bob()).isEqualTo(Amount.of(SENT));
    assertThat(seen.validator().plus(seen.alice()).plus(seen.bob())).as("the whole supply: nothing accrued to a tier pool")
        .isEqualTo(report.totalSupply());
    assertThat(report.epochRewards()).as("this epoch's rewards").containsOnlyKeys(validator.accountId());
  }

  @Test
  void aGenesisNamingARuleNobodyProvidesIsRefusedNamingItAndTheRulesThereAre(@TempDir Path dir) {
    Genesis unknown = genesis("validators-first");
    assertThatThrownBy(() -> {
      node = Node.builder().genesis(unknown).identity(validator).options(options(dir)).build();
      node.start().await(60, TimeUnit.SECONDS);
    }).isInstanceOf(ConfigurationException.class).hasMessageContaining("'validators-first'")
        .hasMessageContaining(ValidatorsOnlyRule.NAME).hasMessageContaining(IncentivePolicy.DEFAULT_RULE);
  }

  private static <T> T get(io.vertx.core.Future<T> future) {
    try {
      return future.await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer from the ledger in 30 s", e);
    }
  }
}
