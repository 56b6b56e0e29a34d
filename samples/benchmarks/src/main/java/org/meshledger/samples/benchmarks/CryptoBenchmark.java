package org.meshledger.samples.benchmarks;

import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.meshledger.crypto.Ed25519;
import org.meshledger.crypto.SignatureDomain;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Signatures and hashing: what the node pays per transaction. Each pair of methods compares our choice with
 * the alternative in the same run (Bouncy Castle's Ed25519 vs the JDK's; the JDK's SHA-256 vs Bouncy Castle's).
 *
 * <p>Bouncy Castle's Ed25519 needs about 7 s before it reaches steady speed, hence 20 s of warm-up.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 5)
@Measurement(iterations = 5, time = 2)
@Fork(3)
public class CryptoBenchmark {
  private static final String CHAIN = "bench";

  @Param({"200"})
  public int messageBytes;

  private byte[] seed;
  private byte[] publicKey;
  private byte[] message;
  private byte[] signature;

  private java.security.Signature jdkSigner;
  private java.security.Signature jdkVerifier;
  private PublicKey jdkPublic;
  private byte[] jdkSignature;
  private byte[] signingInput;

  /** A block's worth of signatures, each by its own key: what a syncing node verifies per block. */
  static final int BLOCK = 100;

  private final byte[][] blockKeys = new byte[BLOCK][];
  private final byte[][] blockMessages = new byte[BLOCK][];
  private final byte[][] blockSignatures = new byte[BLOCK][];

  private MessageDigest jdkSha256;
  private final SHA256Digest bcSha256 = new SHA256Digest();
  private final byte[] digest = new byte[32];

  @Setup
  public void setUp() throws Exception {
    SecureRandom random = new SecureRandom();
    seed = new byte[32];
    random.nextBytes(seed);
    publicKey = Ed25519.publicKey(seed);
    message = new byte[messageBytes];
    random.nextBytes(message);
    signature = Ed25519.sign(seed, SignatureDomain.TRANSACTION, CHAIN, message);

    var generator = java.security.KeyPairGenerator.getInstance("Ed25519");
    var pair = generator.generateKeyPair();
    PrivateKey jdkPrivate = pair.getPrivate();
    jdkPublic = pair.getPublic();
    signingInput = Ed25519.signingInput(SignatureDomain.TRANSACTION, CHAIN, message);
    jdkSigner = java.security.Signature.getInstance("Ed25519");
    jdkSigner.initSign(jdkPrivate);
    jdkSigner.update(signingInput);
    jdkSignature = jdkSigner.sign();
    jdkVerifier = java.security.Signature.getInstance("Ed25519");
    jdkSha256 = MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < BLOCK; i++) {
      byte[] keySeed = new byte[32];
      random.nextBytes(keySeed);
      blockKeys[i] = Ed25519.publicKey(keySeed);
      blockMessages[i] = new byte[messageBytes];
      random.nextBytes(blockMessages[i]);
      blockSignatures[i] = Ed25519.sign(keySeed, SignatureDomain.TRANSACTION, CHAIN, blockMessages[i]);
    }
  }

  /** Signatures per second verified as a batch of {@value #BLOCK} by distinct keys ({@code Ed25519.verifyAll}); compare with {@link #verify}. */
  @Benchmark
  @OperationsPerInvocation(BLOCK)
  public boolean verifyBlockBatch() {
    return Ed25519.verifyAll(SignatureDomain.TRANSACTION, CHAIN, blockKeys, blockMessages, blockSignatures);
  }

  @Benchmark
  public byte[] sign() {
    return Ed25519.sign(seed, SignatureDomain.TRANSACTION, CHAIN, message);
  }

  @Benchmark
  public boolean verify() {
    return Ed25519.verify(publicKey, SignatureDomain.TRANSACTION, CHAIN, message, signature);
  }

  @Benchmark
  public boolean verifyJdk() throws Exception {
    jdkVerifier.initVerify(jdkPublic);
    jdkVerifier.update(signingInput);
    return jdkVerifier.verify(jdkSignature);
  }

  @Benchmark
  public byte[] signJdk() throws Exception {
    jdkSigner.update(signingInput);
    return jdkSigner.sign();
  }

  @Benchmark
  public byte[] sha256Jdk() {
    return jdkSha256.digest(message);
  }

  @Benchmark
  public byte[] sha256BouncyCastle() {
    bcSha256.update(message, 0, message.length);
    bcSha256.doFinal(digest, 0);
    return digest;
  }
}
