package org.meshledger.impl.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Ed25519BatchTest {
  private final BouncyCastleEd25519 bc = new BouncyCastleEd25519();

  private record Batch(byte[][] keys, byte[][] messages, byte[][] signatures) {}

  private Batch batch(long seed, int n, int senders) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[][] seeds = new byte[senders][32];
    byte[][] pubs = new byte[senders][];
    for (int i = 0; i < senders; i++) {
      random.nextBytes(seeds[i]);
      pubs[i] = bc.publicKey(seeds[i]);
    }
    byte[][] keys = new byte[n][];
    byte[][] messages = new byte[n][];
    byte[][] sigs = new byte[n][];
    for (int i = 0; i < n; i++) {
      int s = random.nextInt(senders);
      messages[i] = new byte[1 + random.nextInt(200)];
      random.nextBytes(messages[i]);
      keys[i] = pubs[s];
      sigs[i] = bc.sign(seeds[s], messages[i]);
    }
    return new Batch(keys, messages, sigs);
  }

  @Test
  void validBatchesPass() {
    for (int n : new int[] {1, 2, 3, 15, 16, 64, 100, 200, 700}) {
      Batch b = batch(n, n, Math.max(1, n / 3));
      assertThat(Ed25519Batch.verify(b.keys, b.messages, b.signatures, n, new Ed25519Batch.KeyCache())).as("n=%d", n).isTrue();
    }
  }

  @Test
  void theProviderRefusesMalformedBatchesAndAgreesWithSingleVerification() {
    Batch b = batch(3, 12, 5);
    assertThat(bc.verifyAll(b.keys, b.messages, b.signatures)).isTrue();
    assertThat(bc.verifyAll(b.keys, b.messages, java.util.Arrays.copyOf(b.signatures, 11))).as("lengths differ").isFalse();
    byte[][] shortKey = b.keys.clone();
    shortKey[5] = java.util.Arrays.copyOf(shortKey[5], 31);
    assertThat(bc.verifyAll(shortKey, b.messages, b.signatures)).as("a 31-byte key").isFalse();
    byte[][] notAPoint = b.keys.clone();
    notAPoint[2] = new byte[32];
    notAPoint[2][0] = 2; // y = 2 is not on the curve
    assertThat(Ed25519Batch.decode(notAPoint[2], new Ed25519Batch.Precomp())).isFalse();
    assertThat(BouncyCastleEd25519.verifyUncached(notAPoint[2], b.messages[2], b.signatures[2])).isFalse();
    assertThat(bc.verifyAll(notAPoint, b.messages, b.signatures)).as("a key that is not a point").isFalse();
    byte[][] highS = b.signatures.clone();
    highS[7] = highS[7].clone();
    byte[] l = Ed25519Batch.L.toByteArray(); // big-endian; S = L is not canonical
    for (int i = 0; i < 32; i++) {
      highS[7][32 + i] = i < l.length ? l[l.length - 1 - i] : 0;
    }
    assertThat(bc.verifyAll(b.keys, b.messages, highS)).as("S not below the order").isFalse();
    Batch small = batch(4, BouncyCastleEd25519.MIN_BATCH - 1, 2);
    assertThat(bc.verifyAll(small.keys, small.messages, small.signatures)).as("below the batch size, one by one").isTrue();
    small.messages[1][0] ^= 1;
    assertThat(bc.verifyAll(small.keys, small.messages, small.signatures)).isFalse();
  }

  @Test
  void anyAlteredSignatureFailsTheBatch() {
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 40; round++) {
      int n = 1 + random.nextInt(120);
      Batch b = batch(100 + round, n, 1 + random.nextInt(n));
      int i = random.nextInt(n);
      switch (round % 3) {
        case 0 -> b.messages[i][random.nextInt(b.messages[i].length)] ^= 1;
        case 1 -> b.signatures[i][random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
        default -> b.keys[i] = b.keys[(i + 1) % n] == b.keys[i] ? bc.publicKey(new byte[32]) : b.keys[(i + 1) % n];
      }
      boolean single = true;
      for (int k = 0; k < n; k++) {
        single &= BouncyCastleEd25519.verifyUncached(b.keys[k], b.messages[k], b.signatures[k]);
      }
      assertThat(Ed25519Batch.verify(b.keys, b.messages, b.signatures, n, new Ed25519Batch.KeyCache())).as("round %d", round).isEqualTo(single);
    }
  }
}
