package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;
import org.meshledger.crypto.KeyPair;

/** Transaction batches round-trip, and hostile bytes on the batch topic only ever fail as a DecodeException. */
class TransactionBatchTest {
  static final long SEED = 20_261_127L;

  private static List<Transaction> batch(SplittableRandom random, int n) {
    KeyPair key = KeyPair.generate();
    List<Transaction> txs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Payload p = random.nextBoolean() ? new Payload.Transfer(KeyPair.generate().accountId(), Amount.of(1 + random.nextInt(1000)))
          : Payload.DataWrite.of("k" + i, new byte[random.nextInt(300)]);
      txs.add(Transaction.sign("batch-test", key, i, Amount.of(1), p));
    }
    return txs;
  }

  @Test
  void aBatchRoundTripsInOrder() {
    List<Transaction> txs = batch(new SplittableRandom(SEED), 50);
    assertThat(TransactionBatch.decode(TransactionBatch.encode(txs))).isEqualTo(txs);
    assertThat(TransactionBatch.decode(TransactionBatch.encode(List.of()))).isEmpty();
  }

  @Test
  void mutatedTruncatedAndForgedBatchesFailAsDecodeErrorsOnly() {
    SplittableRandom random = new SplittableRandom(SEED);
    byte[] good = TransactionBatch.encode(batch(random, 20));
    for (int i = 0; i < 3_000; i++) {
      byte[] bad = good.clone();
      switch (i % 3) {
        case 0 -> bad[random.nextInt(bad.length)] ^= (byte) (1 + random.nextInt(255));
        case 1 -> bad = java.util.Arrays.copyOf(bad, random.nextInt(bad.length));
        default -> {
          for (int k = 0; k < 8; k++) {
            bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
          }
        }
      }
      byte[] input = bad;
      try {
        TransactionBatch.decode(input); // a flipped byte inside a value can still decode: admission checks it then
      } catch (DecodeException expected) {
        // the only way a batch may fail
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + SEED + " case " + i + ": " + e, e);
      }
    }
  }

  @Test
  void aCountBeyondTheBytesIsRefusedBeforeAllocating() {
    byte[] claim = new CanonicalWriter(16).u8(TransactionBatch.VERSION).count(Integer.MAX_VALUE).toByteArray();
    assertThatThrownBy(() -> TransactionBatch.decode(claim)).isInstanceOf(DecodeException.class);
    byte[] version = new CanonicalWriter(16).u8(9).count(0).toByteArray();
    assertThatThrownBy(() -> TransactionBatch.decode(version)).isInstanceOf(DecodeException.class).hasMessageContaining("version");
  }
}
