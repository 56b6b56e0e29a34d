package org.meshledger.samples.benchmarks;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.meshledger.crypto.Ed25519;
import org.meshledger.crypto.SignatureDomain;

/**
 * Ed25519 one by one against batches of several sizes, side by side on one thread: the same 20,000 signatures
 * (150-byte messages, keys drawn from {@code senders}) verified with {@code Ed25519.verify} and with
 * {@code Ed25519.verifyAll} in batches of each size, six rounds, the last three printed as the median.
 *
 * <pre>{@code mvn -B -q -pl samples/benchmarks exec:exec@run -Dmain=BatchVerifySpeed -Dargs="sizes=100,1000,5000 senders=1000 seed=1"}</pre>
 */
public final class BatchVerifySpeed {
  private BatchVerifySpeed() {}

  public static void main(String[] args) {
    int[] sizes = {100, 1000, 5000};
    int senders = 1000;
    long seed = 1;
    for (String a : args) {
      String[] kv = a.split("=", 2);
      switch (kv[0]) {
        case "sizes" -> sizes = Arrays.stream(kv[1].split(",")).mapToInt(Integer::parseInt).toArray();
        case "senders" -> senders = Integer.parseInt(kv[1]);
        case "seed" -> seed = Long.parseLong(kv[1]);
        default -> throw new IllegalArgumentException("unknown argument " + a + "; known: sizes=100,1000 senders=1000 seed=1");
      }
    }
    SplittableRandom random = new SplittableRandom(seed);
    byte[][] seeds = new byte[senders][32];
    byte[][] pubs = new byte[senders][];
    for (int i = 0; i < senders; i++) {
      random.nextBytes(seeds[i]);
      pubs[i] = Ed25519.publicKey(seeds[i]);
    }
    int total = 20_000;
    byte[][] keys = new byte[total][];
    byte[][] msgs = new byte[total][];
    byte[][] sigs = new byte[total][];
    for (int i = 0; i < total; i++) {
      int s = random.nextInt(senders);
      msgs[i] = new byte[150];
      random.nextBytes(msgs[i]);
      keys[i] = pubs[s];
      sigs[i] = Ed25519.sign(seeds[s], SignatureDomain.TRANSACTION, "bench", msgs[i]);
    }
    System.out.printf(Locale.ROOT, "BatchVerifySpeed seed=%d senders=%d, %d signatures; microseconds per signature, one thread%n", seed, senders, total);
    for (int n : sizes) {
      double[] single = new double[6];
      double[] batch = new double[6];
      for (int round = 0; round < 6; round++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < total; i++) {
          if (!Ed25519.verify(keys[i], SignatureDomain.TRANSACTION, "bench", msgs[i], sigs[i])) {
            throw new IllegalStateException("signature " + i + " did not verify");
          }
        }
        long t1 = System.nanoTime();
        int done = 0;
        for (int i = 0; i + n <= total; i += n) {
          if (!Ed25519.verifyAll(SignatureDomain.TRANSACTION, "bench", Arrays.copyOfRange(keys, i, i + n), Arrays.copyOfRange(msgs, i, i + n),
              Arrays.copyOfRange(sigs, i, i + n))) {
            throw new IllegalStateException("batch at " + i + " did not verify");
          }
          done += n;
        }
        long t2 = System.nanoTime();
        single[round] = (t1 - t0) / 1e3 / total;
        batch[round] = (t2 - t1) / 1e3 / done;
      }
      double s = median(Arrays.copyOfRange(single, 3, 6));
      double b = median(Arrays.copyOfRange(batch, 3, 6));
      System.out.printf(Locale.ROOT, "batch of %5d: one by one %.1f us, batch %.1f us: %.2fx%n", n, s, b, s / b);
    }
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }
}
