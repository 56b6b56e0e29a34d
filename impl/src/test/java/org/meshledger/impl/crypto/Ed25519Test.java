package org.meshledger.impl.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.meshledger.chain.Hash;
import org.meshledger.crypto.Ed25519;
import org.meshledger.crypto.Ed25519Provider;
import org.meshledger.crypto.SignatureDomain;

/** The provider is real RFC 8032 Ed25519, and Meshledger's domain separation keeps signatures to one purpose and chain. */
class Ed25519Test {
  private static final byte[] SEED = HexFormat.of().parseHex("0101010101010101010101010101010101010101010101010101010101010101");
  /** The order of the Ed25519 base point, 2^252 + 27742317777372353535851937790883648493 (RFC 8032, 5.1). */
  private static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));

  @Test
  void theProviderIsBouncyCastle() {
    assertThat(Ed25519.provider()).isInstanceOf(BouncyCastleEd25519.class);
  }

  @Test
  void rfc8032TestVectors1And2() {
    Ed25519Provider p = Ed25519.provider();
    // RFC 8032, 7.1, TEST 1: the empty message
    byte[] sk1 = HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    byte[] pk1 = HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    byte[] sig1 = HexFormat.of().parseHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    assertThat(p.publicKey(sk1)).isEqualTo(pk1);
    assertThat(p.sign(sk1, new byte[0])).isEqualTo(sig1);
    assertThat(p.verify(pk1, new byte[0], sig1)).isTrue();
    // TEST 2: the one-byte message 0x72
    byte[] sk2 = HexFormat.of().parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
    byte[] pk2 = HexFormat.of().parseHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
    byte[] sig2 = HexFormat.of().parseHex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
    assertThat(p.publicKey(sk2)).isEqualTo(pk2);
    assertThat(p.sign(sk2, new byte[] {0x72})).isEqualTo(sig2);
    assertThat(p.verify(pk2, new byte[] {0x72}, sig2)).isTrue();
    assertThat(p.verify(pk1, new byte[] {0x72}, sig2)).isFalse();
  }

  @Test
  void aFlippedBitInMessageSignatureOrKeyFails() {
    byte[] pk = Ed25519.publicKey(SEED);
    byte[] msg = "pay 10 to bob".getBytes(StandardCharsets.UTF_8);
    byte[] sig = Ed25519.sign(SEED, SignatureDomain.TRANSACTION, "main", msg);
    assertThat(Ed25519.verify(pk, SignatureDomain.TRANSACTION, "main", msg, sig)).isTrue();
    for (int bit = 0; bit < msg.length * 8; bit++) {
      assertThat(Ed25519.verify(pk, SignatureDomain.TRANSACTION, "main", flip(msg, bit), sig)).as("message bit %d", bit).isFalse();
    }
    for (int bit = 0; bit < sig.length * 8; bit++) {
      assertThat(Ed25519.verify(pk, SignatureDomain.TRANSACTION, "main", msg, flip(sig, bit))).as("signature bit %d", bit).isFalse();
    }
    for (int bit = 0; bit < pk.length * 8; bit++) {
      assertThat(Ed25519.verify(flip(pk, bit), SignatureDomain.TRANSACTION, "main", msg, sig)).as("key bit %d", bit).isFalse();
    }
    assertThat(Ed25519.verify(Arrays.copyOf(pk, 31), SignatureDomain.TRANSACTION, "main", msg, sig)).isFalse();
    assertThat(Ed25519.verify(pk, SignatureDomain.TRANSACTION, "main", msg, Arrays.copyOf(sig, 65))).isFalse();
    assertThat(Ed25519.verify(new byte[32], SignatureDomain.TRANSACTION, "main", msg, new byte[64])).isFalse();
  }

  @Test
  void aNonCanonicalSignatureIsRejected() {
    byte[] pk = Ed25519.publicKey(SEED);
    byte[] msg = {1, 2, 3};
    byte[] sig = Ed25519.sign(SEED, SignatureDomain.VOTE, "main", msg);
    // S is the little-endian second half; S + L is the same scalar mod L, so a lax verifier would accept it.
    byte[] sLe = Arrays.copyOfRange(sig, 32, 64);
    BigInteger s = new BigInteger(1, reverse(sLe));
    assertThat(s).isLessThan(L);
    byte[] sPlusL = reverse(toBytes32(s.add(L)));
    byte[] malleated = Arrays.copyOf(sig, 64);
    System.arraycopy(sPlusL, 0, malleated, 32, 32);
    assertThat(malleated).isNotEqualTo(sig);
    assertThat(Ed25519.verify(pk, SignatureDomain.VOTE, "main", msg, sig)).isTrue();
    assertThat(Ed25519.verify(pk, SignatureDomain.VOTE, "main", msg, malleated)).isFalse();
  }

  @Test
  void aSignatureIsValidInItsOwnDomainAndChainOnly() {
    byte[] pk = Ed25519.publicKey(SEED);
    byte[] msg = "the same bytes".getBytes(StandardCharsets.UTF_8);
    for (SignatureDomain signed : SignatureDomain.values()) {
      byte[] sig = Ed25519.sign(SEED, signed, "a", msg);
      for (SignatureDomain checked : SignatureDomain.values()) {
        assertThat(Ed25519.verify(pk, checked, "a", msg, sig)).as("signed for %s, checked as %s", signed, checked).isEqualTo(signed == checked);
      }
      assertThat(Ed25519.verify(pk, signed, "b", msg, sig)).as("signed on chain a, checked on b (%s)", signed).isFalse();
      // the provider never sees the raw message: a raw signature of it does not verify in any domain
      assertThat(Ed25519.provider().verify(pk, msg, sig)).isFalse();
    }
    byte[] raw = Ed25519.provider().sign(SEED, msg);
    assertThat(Ed25519.verify(pk, SignatureDomain.TRANSACTION, "a", msg, raw)).isFalse();
  }

  @Test
  void signingInputIsTagChainMessageEachLengthPrefixed() {
    byte[] input = Ed25519.signingInput(SignatureDomain.VOTE, "ab", new byte[] {(byte) 0xff});
    String tag = HexFormat.of().formatHex("meshledger/vote/v1".getBytes(StandardCharsets.US_ASCII));
    assertThat(HexFormat.of().formatHex(input)).isEqualTo("00000012" + tag + "00000002" + "6162" + "00000001" + "ff");
    // length prefixes keep (tag, chain, message) boundaries unambiguous: shifting a byte between fields changes the input
    assertThat(Ed25519.signingInput(SignatureDomain.VOTE, "a", new byte[] {'b', (byte) 0xff})).isNotEqualTo(input);
  }

  @Test
  void sha256OfAbcIsTheFipsValue() {
    // FIPS 180-2, appendix B.1
    assertThat(Hash.sha256("abc".getBytes(StandardCharsets.US_ASCII)).toHex())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Hash.sha256(new byte[] {'a'}, new byte[] {'b', 'c'})).isEqualTo(Hash.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
  }

  private static byte[] flip(byte[] b, int bit) {
    byte[] out = b.clone();
    out[bit / 8] ^= (byte) (1 << (bit % 8));
    return out;
  }

  private static byte[] reverse(byte[] b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[b.length - 1 - i];
    }
    return out;
  }

  private static byte[] toBytes32(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }
}
