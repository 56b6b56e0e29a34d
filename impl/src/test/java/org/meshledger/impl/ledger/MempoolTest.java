package org.meshledger.impl.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.TransactionValidator;
import org.meshledger.Verification;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Amount;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Signature;
import org.meshledger.chain.StateView;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.spi.contract.TestChain;

class MempoolTest {
  private static final String CHAIN = LedgerFixture.CHAIN;
  private static final Mempool.Config SMALL = new Mempool.Config(3, 1 << 20, 8, Amount.ZERO, 4096);

  @TempDir
  Path dir;

  private final Map<AccountId, AccountState> accounts = new HashMap<>();
  private final StateView view = new StateView() {
    @Override
    public AccountState account(AccountId account) {
      return accounts.getOrDefault(account, AccountState.EMPTY);
    }

    @Override
    public Optional<DataEntry> current(String key) {
      return Optional.empty();
    }
  };

  private static KeyPair key(String name) {
    return KeyPair.fromSeed(Hash.sha256(name.getBytes(StandardCharsets.UTF_8)).bytes());
  }

  private KeyPair funded(String name, long balance, long nextNonce) {
    KeyPair k = key(name);
    accounts.put(k.accountId(), new AccountState(Amount.of(balance), nextNonce));
    return k;
  }

  private static Transaction data(KeyPair from, long nonce, long fee) {
    return Transaction.sign(CHAIN, from, nonce, Amount.of(fee), Payload.DataWrite.of("k", new byte[10]));
  }

  @Test
  void admissionRejectsEachBadTransactionWithItsReason() {
    KeyPair a = funded("a", 100, 2);
    Mempool pool = new Mempool(CHAIN, new Mempool.Config(100, 1 << 20, 4, Amount.of(2), 200), view, () -> 0L);
    Transaction ok = data(a, 2, 2);
    assertThat(pool.add(ok)).isEqualTo(Verification.ok());

    assertThat(reason(pool, Transaction.sign(CHAIN, a, 3, Amount.of(2), Payload.DataWrite.of("k", new byte[300])))).contains("exceeds the mempool's limit of 200");
    assertThat(reason(pool, Transaction.sign("other", a, 3, Amount.of(2), Payload.DataWrite.of("k", new byte[1])))).contains("chain id 'other'");
    assertThat(reason(pool, ok)).contains("duplicate").contains(ok.id().toString());
    assertThat(reason(pool, data(a, 3, 1))).contains("fee 1 is below the minimum of 2");
    assertThat(reason(pool, data(a, 1, 2))).contains("nonce 1 was already used").contains("next nonce is 2");
    assertThat(reason(pool, data(a, 6, 2))).contains("nonce 6 is outside the window [2, 6)");
    assertThat(reason(pool, data(a, 2, 3))).contains("already has nonce 2 pending");
    assertThat(reason(pool, Transaction.sign(CHAIN, a, 3, Amount.of(2), new Payload.Transfer(key("b").accountId(), Amount.of(97)))))
        .contains("balance 100 cannot cover").contains("(99)").contains("pending ones (2)");
    assertThat(reason(pool, Transaction.of(CHAIN, a.accountId(), 3, Amount.of(2), Payload.DataWrite.of("k", new byte[1]), new Signature(new byte[64]))))
        .contains("signature does not verify");
    assertThat(reason(pool, data(key("nobody"), 0, 2))).contains("balance 0 cannot cover");
    assertThat(pool.size()).isEqualTo(1);
    assertThat(pool.add(data(a, 5, 2))).isEqualTo(Verification.ok()); // a gap inside the window waits
  }

  private static String reason(Mempool pool, Transaction tx) {
    Verification v = pool.add(tx);
    assertThat(v.valid()).as("%s admitted", tx).isFalse();
    return v.reason();
  }

  @Test
  void transactionsThatWaitTooLongLeaveWithEveryHigherNonceOfTheirSender() {
    KeyPair a = funded("a", 1_000, 0);
    KeyPair b = funded("b", 1_000, 0);
    long[] now = {1_000};
    Mempool pool = new Mempool(CHAIN, Mempool.Config.DEFAULTS, view, () -> now[0]);
    Transaction a0 = data(a, 0, 1);
    Transaction a2 = data(a, 2, 1); // behind a gap: a1 never comes
    Transaction b0 = data(b, 0, 1);
    pool.add(a2);
    now[0] += 5_000;
    pool.add(a0);
    pool.add(b0);
    assertThat(pool.expire(10_000)).as("nothing waited 10 s yet").isZero();

    now[0] += 5_000; // a2 has waited 10 s, a0 and b0 5 s
    assertThat(pool.expire(10_000)).isEqualTo(1);
    assertThat(pool.contains(a2.id())).isFalse();
    assertThat(pool.contains(a0.id())).isTrue();

    now[0] += 5_000; // a0 and b0 have waited 10 s too; a1, just in, goes with a0, which it follows
    Transaction a1 = data(a, 1, 1);
    pool.add(a1);
    assertThat(pool.expire(10_000)).isEqualTo(3);
    assertThat(pool.size()).isZero();
    assertThat(pool.indexEntries()).as("no index keeps what left").isZero();
    assertThat(pool.add(a0)).as("a sender can submit again").isEqualTo(Verification.ok());
  }

  @Test
  void evictionTakesTheCheapestSenderTailAndNeverALowerNonceBeforeAHigherOne() {
    KeyPair a = funded("a", 1_000, 0);
    KeyPair b = funded("b", 1_000, 0);
    KeyPair c = funded("c", 1_000, 0);
    KeyPair d = funded("d", 1_000, 0);
    Mempool pool = new Mempool(CHAIN, SMALL, view, () -> 0L);
    Transaction a0 = data(a, 0, 1); // the cheapest, but a1 depends on it
    Transaction a1 = data(a, 1, 100);
    Transaction b0 = data(b, 0, 10);
    for (Transaction tx : List.of(a0, a1, b0)) {
      assertThat(pool.add(tx).valid()).isTrue();
    }
    Transaction c0 = data(c, 0, 50);
    assertThat(pool.add(c0).valid()).isTrue();
    assertThat(pool.contains(b0.id())).as("b0 is the cheapest tail").isFalse();
    assertThat(pool.contains(a0.id())).as("a0 is below a1").isTrue();

    Verification refused = pool.add(data(d, 0, 5));
    assertThat(refused.reason()).contains("mempool full");
    assertThat(List.of(a0, a1, c0)).allMatch(tx -> pool.contains(tx.id()));
    assertThat(pool.size()).isEqualTo(3);
  }

  @Test
  void theByteBoundEvictsToo() {
    Mempool pool = new Mempool(CHAIN, new Mempool.Config(1000, 3 * data(key("x"), 0, 1).encodedSize(), 8, Amount.ZERO, 4096), view, () -> 0L);
    List<Transaction> txs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      txs.add(data(funded("s" + i, 1_000, 0), 0, 10 + i));
      assertThat(pool.add(txs.get(i)).valid()).isTrue();
      assertThat(pool.bytes()).isLessThanOrEqualTo(3L * txs.get(0).encodedSize());
    }
    assertThat(pool.contains(txs.get(0).id())).isFalse();
    assertThat(pool.size()).isEqualTo(3);
  }

  @Test
  void reapReturnsEachSendersRunInNonceOrderRichestFirstAndRespectsItsBounds() {
    KeyPair a = funded("a", 1_000, 3);
    KeyPair b = funded("b", 1_000, 0);
    Mempool pool = new Mempool(CHAIN, Mempool.Config.DEFAULTS, view, () -> 0L);
    Transaction a5 = data(a, 5, 1);
    Transaction a3 = data(a, 3, 1);
    Transaction a4 = data(a, 4, 1);
    Transaction a7 = data(a, 7, 9); // after a gap at 6: not executable
    Transaction b1 = data(b, 1, 2);
    Transaction b0 = data(b, 0, 5);
    for (Transaction tx : List.of(a5, a7, a3, b1, a4, b0)) {
      assertThat(pool.add(tx).valid()).isTrue();
    }
    assertThat(pool.reap(100, Long.MAX_VALUE)).containsExactly(b0, b1, a3, a4, a5);
    assertThat(pool.reap(2, Long.MAX_VALUE)).containsExactly(b0, b1);
    assertThat(pool.reap(100, 3L * a3.encodedSize())).containsExactly(b0, b1, a3);
    assertThat(pool.size()).as("reaping removes nothing").isEqualTo(6);
  }

  @Test
  void recheckAfterACommitDropsIncludedUsedAndUncoveredTransactions() {
    try (LedgerFixture f = new LedgerFixture("memory", dir, 3, TransactionValidator.ACCEPT_ALL)) {
      Mempool pool = new Mempool(CHAIN, Mempool.Config.DEFAULTS, f.state, () -> 0L);
      KeyPair a = f.user(0);
      KeyPair b = f.user(1);
      KeyPair c = f.user(2);
      Transaction a0 = LedgerFixture.tx(a, 0, LedgerFixture.write("k", "v"));
      Transaction a1 = LedgerFixture.tx(a, 1, LedgerFixture.write("k", "w"));
      Transaction b0 = LedgerFixture.tx(b, 0, LedgerFixture.pay(c, 10));
      Transaction b1 = LedgerFixture.tx(b, 1, LedgerFixture.pay(c, TestChain.INITIAL_BALANCE - 20));
      Transaction c0 = LedgerFixture.tx(c, 0, LedgerFixture.write("c", "v"));
      for (Transaction tx : List.of(a0, a1, b0, b1, c0)) {
        assertThat(pool.add(tx).valid()).as("%s", tx).isTrue();
      }
      // the block holds a0 from the pool, c's nonce 0 spent by another transaction, and b's money spent elsewhere
      Transaction cElsewhere = LedgerFixture.tx(c, 0, LedgerFixture.write("c", "other"));
      Transaction bElsewhere = LedgerFixture.tx(b, 0, LedgerFixture.pay(a, 500_000));
      List<Transaction> block = List.of(a0, cElsewhere, bElsewhere);
      f.commit(block);
      pool.recheck(block, f.state);
      assertThat(pool.contains(a0.id())).isFalse();
      assertThat(pool.contains(c0.id())).as("nonce now used").isFalse();
      assertThat(pool.contains(b0.id())).as("nonce now used").isFalse();
      assertThat(pool.contains(b1.id())).as("balance no longer covers it").isFalse();
      assertThat(pool.contains(a1.id())).isTrue();
      assertThat(pool.reap(10, Long.MAX_VALUE)).containsExactly(a1);
      assertThat(pool.size()).isEqualTo(1);
    }
  }

  @Test
  void aFloodOf100kJunkTransactionsStaysWithinTheBounds() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Mempool.Config config = new Mempool.Config(2_000, 256 * 1024, 16, Amount.of(1), 4096);
    List<KeyPair> keys = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      keys.add(funded("flood " + i, 1_000_000, 0));
    }
    Mempool pool = new Mempool(CHAIN, config, view, () -> 0L);
    Signature junkSignature = new Signature(new byte[64]);
    int admitted = 0;
    for (int i = 0; i < 100_000; i++) {
      KeyPair k = keys.get(random.nextInt(keys.size()));
      Payload p = Payload.DataWrite.of("junk-" + i, new byte[random.nextInt(1024)]);
      long fee = 1 + random.nextInt(100);
      int kind = random.nextInt(20);
      Transaction tx;
      if (kind < 8) {
        tx = Transaction.of("other-chain", k.accountId(), 0, Amount.of(fee), p, junkSignature);
      } else if (kind < 14) {
        tx = Transaction.of(CHAIN, new AccountId(Hash.sha256(new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)}).bytes()), 0, Amount.of(fee), p, junkSignature);
      } else if (kind < 16) {
        tx = Transaction.of(CHAIN, k.accountId(), random.nextInt(40), Amount.of(fee), p, junkSignature); // bad signature or outside the window
      } else if (kind < 18) {
        tx = Transaction.of(CHAIN, k.accountId(), 0, Amount.ZERO, p, junkSignature); // below the minimum fee
      } else {
        tx = Transaction.sign(CHAIN, k, random.nextInt(16), Amount.of(fee), p); // valid: competes for room
      }
      if (pool.add(tx).valid()) {
        admitted++;
      }
      if (i % 1000 == 0 || pool.size() > config.maxTransactions() || pool.bytes() > config.maxBytes()) {
        assertThat(pool.size()).as("seed %d", seed).isLessThanOrEqualTo(config.maxTransactions());
        assertThat(pool.bytes()).as("seed %d", seed).isLessThanOrEqualTo(config.maxBytes());
        assertThat(pool.indexEntries()).as("seed %d", seed).isLessThanOrEqualTo(3 * config.maxTransactions());
      }
    }
    assertThat(admitted).as("seed %d", seed).isGreaterThan(pool.size());
    for (Transaction tx : pool.reap(Integer.MAX_VALUE, Long.MAX_VALUE)) {
      assertThat(tx.verifySignature()).as("seed %d", seed).isTrue();
    }
  }
}
