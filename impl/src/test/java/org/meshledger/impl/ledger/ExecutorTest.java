package org.meshledger.impl.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.meshledger.impl.ledger.LedgerFixture.pay;
import static org.meshledger.impl.ledger.LedgerFixture.tx;
import static org.meshledger.impl.ledger.LedgerFixture.write;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshledger.TransactionValidator;
import org.meshledger.Verification;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Signature;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.TransactionResult.Outcome;
import org.meshledger.chain.TransactionResult;
import org.meshledger.crypto.KeyPair;
import org.meshledger.spi.StateChanges;
import org.meshledger.spi.contract.TestChain;

class ExecutorTest {
  @TempDir
  Path dir;

  private LedgerFixture memory() {
    return new LedgerFixture("memory", dir, 1, TransactionValidator.ACCEPT_ALL);
  }

  @Test
  void transfersConserveTheTotalSupplyExactly() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    try (LedgerFixture f = new LedgerFixture("memory", dir, seed, TransactionValidator.ACCEPT_ALL)) {
      long supply = TestChain.INITIAL_BALANCE * f.users.size();
      long[] nonces = new long[f.users.size()];
      for (int block = 0; block < 5; block++) {
        List<Transaction> txs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          int from = random.nextInt(f.users.size());
          long amount = 1 + (random.nextInt(4) == 0 ? random.nextInt(2_000_000) : random.nextInt(50_000)); // some overdraw
          long fee = random.nextInt(5);
          txs.add(Transaction.sign(LedgerFixture.CHAIN, f.user(from), nonces[from]++, Amount.of(fee), pay(f.user(random.nextInt(f.users.size())), amount)));
        }
        BlockExecution e = f.commit(txs);
        long total = f.state.account(LedgerFixture.TREASURY).balance().units();
        for (KeyPair u : f.users) {
          total += f.balance(u);
        }
        assertThat(total).as("total supply after block %d, seed %d", block + 1, seed).isEqualTo(supply);
        assertThat(e.results()).as("seed %d", seed).hasSize(txs.size()).noneMatch(r -> r.outcome() == Outcome.INVALID);
      }
    }
  }

  @Test
  void aStaleExpectedVersionIsRejectedWithThatReasonAndPaysItsFee() {
    try (LedgerFixture f = memory()) {
      KeyPair a = f.user(0);
      f.commit(List.of(tx(a, 0, Payload.DataWrite.ifVersion("k", new byte[] {1}, 0))));
      assertThat(f.last.results()).containsExactly(TransactionResult.accepted());
      assertThat(f.store.current("k")).get().extracting(d -> d.version()).isEqualTo(1L);

      BlockExecution e = f.commit(List.of(tx(a, 1, Payload.DataWrite.ifVersion("k", new byte[] {2}, 0)),
          tx(a, 2, Payload.DataWrite.ifVersion("k", new byte[] {3}, 1))));
      assertThat(e.results().get(0).outcome()).isEqualTo(Outcome.FAILED);
      assertThat(e.results().get(0).reason()).contains("stale write").contains("'k' is at version 1").contains("expected version 0");
      assertThat(e.results().get(1)).isEqualTo(TransactionResult.accepted());
      assertThat(e.changes().writes()).singleElement().satisfies(w -> {
        assertThat(w.version()).isEqualTo(2);
        assertThat(w.index()).isEqualTo(1);
      });
      assertThat(f.balance(a)).isEqualTo(TestChain.INITIAL_BALANCE - 3);
      assertThat(f.nonce(a)).isEqualTo(3);
    }
  }

  @Test
  void laterWritesInABlockSeeEarlierOnes() {
    try (LedgerFixture f = memory()) {
      BlockExecution e = f.commit(List.of(tx(f.user(0), 0, Payload.DataWrite.ifVersion("k", new byte[] {1}, 0)),
          tx(f.user(1), 0, Payload.DataWrite.ifVersion("k", new byte[] {2}, 1)),
          tx(f.user(2), 0, Payload.DataWrite.ifVersion("k", new byte[] {3}, 1))));
      assertThat(e.results()).extracting(TransactionResult::outcome).containsExactly(Outcome.ACCEPTED, Outcome.ACCEPTED, Outcome.FAILED);
      assertThat(f.store.current("k")).get().extracting(d -> d.version()).isEqualTo(2L);
    }
  }

  @Test
  void nonceGapsAndReplaysAreInvalidAndChangeNothing() {
    try (LedgerFixture f = memory()) {
      KeyPair a = f.user(0);
      Transaction first = tx(a, 0, write("k", "v"));
      BlockExecution e = f.commit(List.of(tx(a, 1, write("gap", "v")), first, first));
      assertThat(e.results().get(0).outcome()).isEqualTo(Outcome.INVALID);
      assertThat(e.results().get(0).reason()).contains("nonce 1 leaves a gap").contains("next nonce is 0");
      assertThat(e.results().get(1)).isEqualTo(TransactionResult.accepted());
      assertThat(e.results().get(2).reason()).contains("nonce 0 was already used").contains("next nonce is 1");

      BlockExecution replay = f.commit(List.of(first));
      assertThat(replay.results().get(0).outcome()).isEqualTo(Outcome.INVALID);
      assertThat(replay.changes().writes()).isEmpty();
      assertThat(replay.changes().accounts()).as("an invalid transaction touches no account").isEmpty();
      assertThat(replay.changes().rejected()).as("but its result is kept with the block").containsOnlyKeys(0);
      assertThat(replay.changes().stateDigest()).isEqualTo(replay.stateDigest());
      assertThat(f.nonce(a)).isEqualTo(1);
      assertThat(f.balance(a)).isEqualTo(TestChain.INITIAL_BALANCE - 1);
    }
  }

  @Test
  void anOverdraftFailsButPaysItsFeeAndAnUnpayableFeeIsInvalid() {
    try (LedgerFixture f = memory()) {
      KeyPair a = f.user(0);
      KeyPair b = f.user(1);
      BlockExecution e = f.commit(List.of(tx(a, 0, pay(b, TestChain.INITIAL_BALANCE)),
          Transaction.sign(LedgerFixture.CHAIN, a, 1, Amount.of(TestChain.INITIAL_BALANCE), pay(b, 1)),
          tx(a, 1, pay(b, TestChain.INITIAL_BALANCE - 2))));
      assertThat(e.results().get(0).outcome()).isEqualTo(Outcome.FAILED);
      assertThat(e.results().get(0).reason()).contains("overdraft").contains("balance 999999").contains("transfer of 1000000");
      assertThat(e.results().get(1).outcome()).isEqualTo(Outcome.INVALID);
      assertThat(e.results().get(1).reason()).contains("cannot pay the fee of 1000000");
      assertThat(e.results().get(2)).isEqualTo(TransactionResult.accepted());
      assertThat(f.balance(a)).isZero();
      assertThat(f.balance(b)).isEqualTo(2 * TestChain.INITIAL_BALANCE - 2);
      assertThat(f.state.account(LedgerFixture.TREASURY).balance().units()).isEqualTo(2);
    }
  }

  @Test
  void wrongChainBadSignatureAndLowFeeAreInvalid() {
    try (LedgerFixture f = memory()) {
      KeyPair a = f.user(0);
      Transaction good = tx(a, 0, write("k", "v"));
      Transaction forged = Transaction.of(LedgerFixture.CHAIN, a.accountId(), 0, Amount.of(1), write("k", "w"), new Signature(new byte[64]));
      Transaction otherChain = Transaction.sign("other", a, 0, Amount.of(1), write("k", "v"));
      BlockExecution e = f.commit(List.of(forged, otherChain, good));
      assertThat(e.results().get(0).reason()).contains("signature does not verify");
      assertThat(e.results().get(1).reason()).contains("chain id 'other'");
      assertThat(e.results().get(2)).isEqualTo(TransactionResult.accepted());

      Executor strict = new Executor(LedgerFixture.incentives(f.chain), Amount.of(5), TransactionValidator.ACCEPT_ALL, false);
      BlockExecution low = f.execute(strict, 2, List.of(tx(a, 1, write("k", "x"))), f.digest);
      assertThat(low.results().get(0).outcome()).isEqualTo(Outcome.INVALID);
      assertThat(low.results().get(0).reason()).contains("fee 1 is below the chain minimum of 5");
    }
  }

  @Test
  void theHostValidatorRejectsDataWithItsReasonAndSeesEarlierTransactionsOfTheBlock() {
    TransactionValidator rules = (tx, state) -> {
      Payload.DataWrite w = (Payload.DataWrite) tx.payload();
      if (w.key().startsWith("forbidden/")) {
        return Verification.failed("keys under forbidden/ are read-only");
      }
      if (w.key().startsWith("shipment/") && state.version("order/" + w.key().substring(9)) == 0) {
        return Verification.failed("no order for " + w.key());
      }
      if (w.key().equals("boom")) {
        throw new IllegalStateException("bug");
      }
      return Verification.ok();
    };
    try (LedgerFixture f = new LedgerFixture("memory", dir, 2, rules)) {
      KeyPair a = f.user(0);
      BlockExecution e = f.commit(List.of(tx(a, 0, write("forbidden/x", "v")), tx(a, 1, write("shipment/1", "v")),
          tx(a, 2, write("order/1", "v")), tx(a, 3, write("shipment/1", "v")), tx(a, 4, write("boom", "v"))));
      assertThat(e.results()).extracting(TransactionResult::outcome)
          .containsExactly(Outcome.FAILED, Outcome.FAILED, Outcome.ACCEPTED, Outcome.ACCEPTED, Outcome.FAILED);
      assertThat(e.results().get(0).reason()).isEqualTo("rejected by the host validator: keys under forbidden/ are read-only");
      assertThat(e.results().get(1).reason()).isEqualTo("rejected by the host validator: no order for shipment/1");
      assertThat(e.results().get(4).reason()).contains("IllegalStateException");
      assertThat(e.changes().writes()).extracting(w -> w.key()).containsExactly("order/1", "shipment/1");
      assertThat(f.nonce(a)).isEqualTo(5);
    }
  }

  @Test
  void genesisBalancesShowUntilABlockTouchesTheAccount() {
    try (LedgerFixture f = memory()) {
      KeyPair a = f.user(0);
      assertThat(f.store.account(a.accountId()).balance()).isEqualTo(Amount.ZERO);
      assertThat(f.balance(a)).isEqualTo(TestChain.INITIAL_BALANCE);
      f.commit(List.of(tx(a, 0, pay(f.user(1), 10))));
      assertThat(f.store.account(a.accountId()).balance().units()).isEqualTo(TestChain.INITIAL_BALANCE - 11);
      assertThat(f.balance(f.user(2))).isEqualTo(TestChain.INITIAL_BALANCE);
    }
  }

  @Test
  void twoExecutorsOverTheSameInputsAgreeOnChangesAndDigest(@TempDir Path other) {
    long seed = System.nanoTime();
    try (LedgerFixture one = new LedgerFixture("memory", dir, seed, TransactionValidator.ACCEPT_ALL);
        LedgerFixture two = new LedgerFixture("h2", other, seed, TransactionValidator.ACCEPT_ALL)) {
      Random random = new Random(seed);
      for (int b = 0; b < 4; b++) {
        List<Transaction> txs = randomBlock(one, random, 30);
        BlockExecution x = one.commit(txs);
        BlockExecution y = two.commit(txs);
        assertThat(y.changes()).as("seed %d", seed).isEqualTo(x.changes());
        assertThat(y.results()).as("seed %d", seed).isEqualTo(x.results());
        assertThat(y.stateDigest()).as("seed %d", seed).isEqualTo(x.stateDigest());
      }
    }
  }

  @Test
  void theDigestChainsThePreviousDigestAndCoversEveryChange() {
    try (LedgerFixture f = memory()) {
      List<Transaction> txs = List.of(tx(f.user(0), 0, write("k", "v")));
      BlockExecution e = f.execute(f.executor, 1, txs, f.digest);
      assertThat(f.execute(f.executor, 1, txs, f.digest).stateDigest()).isEqualTo(e.stateDigest());
      assertThat(f.execute(f.executor, 1, txs, e.stateDigest()).stateDigest()).isNotEqualTo(e.stateDigest());
      assertThat(f.execute(f.executor, 2, txs, f.digest).stateDigest()).isNotEqualTo(e.stateDigest());
      assertThat(f.execute(f.executor, 1, List.of(tx(f.user(0), 0, write("k", "w"))), f.digest).stateDigest())
          .isNotEqualTo(e.stateDigest());
      // an empty block still moves the digest on: 1 version byte, 32 previous, 8 height, three zero counts
      assertThat(StateDigest.encode(f.digest, 1, StateChanges.NONE)).hasSize(1 + 32 + 8 + 4 + 4 + 4);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "h2"})
  void everyStoreAcceptsTheChangesOfRandomBlocks(String storeName) {
    long seed = System.nanoTime();
    try (LedgerFixture f = new LedgerFixture(storeName, dir, seed, TransactionValidator.ACCEPT_ALL)) {
      Random random = new Random(seed);
      for (int b = 0; b < 6; b++) {
        f.commit(randomBlock(f, random, 25)); // append throws if the changes do not belong to the block
      }
      assertThat(f.store.height()).as("seed %d", seed).isEqualTo(6);
    }
  }

  /** Writes (some conditional and stale), transfers (some overdrawn), and a few with a wrong nonce. */
  static List<Transaction> randomBlock(LedgerFixture f, Random random, int count) {
    long[] nonces = new long[f.users.size()];
    for (int i = 0; i < nonces.length; i++) {
      nonces[i] = f.nonce(f.user(i));
    }
    List<Transaction> txs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int u = random.nextInt(f.users.size());
      long nonce = random.nextInt(10) == 0 ? nonces[u] + 3 : nonces[u]++;
      int kind = random.nextInt(10);
      Payload p;
      if (kind < 4) {
        p = write("key-" + random.nextInt(5), "v" + random.nextInt());
      } else if (kind < 6) {
        String key = "key-" + random.nextInt(5);
        p = Payload.DataWrite.ifVersion(key, ("c" + i).getBytes(StandardCharsets.UTF_8), Math.max(0, f.state.version(key) - random.nextInt(2)));
      } else {
        AccountId to = random.nextInt(5) == 0 ? LedgerFixture.TREASURY : f.user(random.nextInt(f.users.size())).accountId();
        p = new Payload.Transfer(to, Amount.of(1 + random.nextInt(random.nextBoolean() ? 100 : 2_000_000)));
      }
      txs.add(Transaction.sign(LedgerFixture.CHAIN, f.user(u), nonce, Amount.of(random.nextInt(3)), p));
    }
    return txs;
  }

  @Test
  void aTransferIntoTheBondEscrowFailsAndKeepsTheFee() {
    try (LedgerFixture f = memory()) {
      long before = f.balance(f.user(0));
      BlockExecution e = f.commit(List.of(Transaction.sign(LedgerFixture.CHAIN, f.user(0), 0, Amount.of(1),
          new Payload.Transfer(org.meshledger.impl.incentives.Incentives.ESCROW, Amount.of(10)))));
      assertThat(e.results().get(0).outcome()).isEqualTo(Outcome.FAILED);
      assertThat(e.results().get(0).reason()).contains("takes bonds only");
      assertThat(f.balance(f.user(0))).as("the fee only").isEqualTo(before - 1);
      assertThat(f.state.account(org.meshledger.impl.incentives.Incentives.ESCROW).balance()).isEqualTo(Amount.ZERO);
    }
  }
}
