package org.meshledger.impl.net;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.meshledger.ConfigurationException;
import org.meshledger.chain.NodeId;
import org.meshledger.crypto.KeyPair;

/**
 * A node's TLS identity: an X.509 certificate self-signed with its Ed25519 node key, kept as PEM in the data
 * directory ({@value #FILE_NAME}) so it survives restarts, and the TLS 1.3 settings both ends use.
 *
 * <p>Trust is not decided by certificate authorities: any well-formed, self-signed Ed25519 certificate passes
 * TLS, and the handshake then requires that its key be the node key the peer claims and, in a permissioned
 * network, a member's. Refusing later lets both sides log a reason code instead of a bare TLS alert. See
 * {@code docs/adr/004-transport.md}.
 */
public final class TlsIdentity {
  /** The certificate's file name in the data directory. */
  public static final String FILE_NAME = "node-certificate.pem";
  static final Set<String> PROTOCOLS = Set.of("TLSv1.3");
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
  private static final long NOT_AFTER = 4102444800000L; // 2100-01-01: node certificates do not expire

  private final KeyPair key;
  private final X509Certificate certificate;
  private final KeyCertOptions keyCertOptions;
  private ServerSSLOptions serverOptions;
  private ClientSSLOptions clientOptions;

  private TlsIdentity(KeyPair key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
    try {
      // In memory only: never serialised, so no password-based encryption to pay for on each use.
      char[] pw = "in-memory".toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("node", key.toPrivateKey(), pw, new Certificate[] {certificate});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pw);
      this.keyCertOptions = new FixedKeyCertOptions(kmf);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the in-memory key manager: " + e, e);
    }
  }

  /** An identity held in memory only (tests, tools). */
  public static TlsIdentity ephemeral(KeyPair key) {
    return new TlsIdentity(key, selfSigned(key));
  }

  /**
   * Loads the certificate from {@code dataDir}, or creates and saves it on first start.
   *
   * @throws ConfigurationException if the file is corrupt, is not self-signed, or holds another key
   */
  public static TlsIdentity loadOrCreate(Path dataDir, KeyPair key) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      byte[] pem = Files.readAllBytes(file);
      return new TlsIdentity(key, parse(file, pem, key));
    } catch (NoSuchFileException e) {
      X509Certificate cert = selfSigned(key);
      save(file, cert);
      return new TlsIdentity(key, cert);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read TLS certificate " + file + ": " + e, e);
    }
  }

  private static X509Certificate parse(Path file, byte[] pem, KeyPair key) {
    String fix = "; delete it and the node makes a new one from its key";
    X509Certificate cert;
    try {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
      cert.verify(cert.getPublicKey());
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new ConfigurationException("TLS certificate " + file + " is corrupt (" + e.getMessage() + ")" + fix, e);
    }
    NodeId holder = nodeIdOf(cert);
    if (!key.nodeId().equals(holder)) {
      throw new ConfigurationException("TLS certificate " + file + " belongs to key " + holder + ", not to this node's key "
          + key.nodeId() + fix);
    }
    return cert;
  }

  private static void save(Path file, X509Certificate cert) {
    try {
      String pem = "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".cert", ".tmp");
      Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | CertificateException e) {
      throw new ConfigurationException("cannot write TLS certificate " + file + ": " + e, e);
    }
  }

  private static X509Certificate selfSigned(KeyPair key) {
    try {
      PublicKey pub = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki(key.nodeId())));
      X500Name name = new X500Name("CN=meshledger-" + key.nodeId().toHex().substring(0, 16));
      BigInteger serial = new BigInteger(1, Arrays.copyOf(key.nodeId().key(), 16));
      var builder = new JcaX509v3CertificateBuilder(name, serial, new Date(0), new Date(NOT_AFTER), name, pub);
      var signer = new JcaContentSignerBuilder("Ed25519").build(key.toPrivateKey());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make a self-signed Ed25519 certificate: " + e, e);
    }
  }

  private static byte[] spki(NodeId id) {
    byte[] out = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + NodeId.BYTES);
    System.arraycopy(id.key(), 0, out, SPKI_PREFIX.length, NodeId.BYTES);
    return out;
  }

  /** The node key a certificate holds. */
  static NodeId nodeIdOf(X509Certificate cert) {
    byte[] enc = cert.getPublicKey().getEncoded();
    if (enc == null || enc.length != SPKI_PREFIX.length + NodeId.BYTES
        || !Arrays.equals(enc, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
      throw new IllegalArgumentException("certificate key is not Ed25519 (" + cert.getPublicKey().getAlgorithm() + ")");
    }
    return new NodeId(Arrays.copyOfRange(enc, SPKI_PREFIX.length, enc.length));
  }

  /** The node key of the first certificate a peer presented. */
  static NodeId nodeIdOf(List<Certificate> peerCertificates) {
    if (peerCertificates == null || peerCertificates.isEmpty() || !(peerCertificates.get(0) instanceof X509Certificate x)) {
      throw new IllegalArgumentException("peer presented no X.509 certificate");
    }
    return nodeIdOf(x);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public NodeId nodeId() {
    return key.nodeId();
  }

  KeyCertOptions keyCertOptions() {
    return keyCertOptions;
  }

  /**
   * Server side: TLS 1.3 only, client certificate required. The same object is returned for the same timeout,
   * so Vert.x reuses its SSL context rather than building one per connection.
   */
  synchronized ServerSSLOptions serverOptions(long handshakeTimeoutMillis) {
    if (serverOptions == null || serverOptions.getSslHandshakeTimeout() != handshakeTimeoutMillis) {
      ServerSSLOptions o = new ServerSSLOptions()
          .setClientAuth(ClientAuth.REQUIRED)
          .setKeyCertOptions(keyCertOptions)
          .setTrustOptions(TRUST)
          .setEnabledSecureTransportProtocols(PROTOCOLS);
      o.setSslHandshakeTimeout(handshakeTimeoutMillis);
      o.setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
      serverOptions = o;
    }
    return serverOptions;
  }

  /** Client side: TLS 1.3 only, no host name check (the handshake checks the key instead). Cached likewise. */
  synchronized ClientSSLOptions clientOptions(long handshakeTimeoutMillis) {
    if (clientOptions == null || clientOptions.getSslHandshakeTimeout() != handshakeTimeoutMillis) {
      ClientSSLOptions o = new ClientSSLOptions()
          .setHostnameVerificationAlgorithm("")
          .setKeyCertOptions(keyCertOptions)
          .setTrustOptions(TRUST)
          .setEnabledSecureTransportProtocols(PROTOCOLS);
      o.setSslHandshakeTimeout(handshakeTimeoutMillis);
      o.setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
      clientOptions = o;
    }
    return clientOptions;
  }

  private static boolean warm;

  /**
   * Pays, on the calling thread, what a JVM's first TLS connection costs once: Netty's and Vert.x's SSL classes
   * (whose static initialisers load a Bouncy Castle provider with all its algorithms), the JDK's TLS 1.3
   * handshake machinery and key exchange, and this class's trust manager. Measured at 1-3 s on two cores;
   * paid on an event loop it stalls every node on that loop, and, through class-initialisation locks, the
   * other loops that reach TLS meanwhile. So {@link Network#start} calls it on a worker before listening or
   * dialling. It builds throw-away server and client contexts the way Vert.x builds them (its default
   * factory, the JDK provider) and runs one TLS 1.3 handshake between them in memory, with this identity's
   * key on both ends. Once per JVM: later calls return at once (concurrent first callers wait for the first,
   * on their worker threads). A failure is logged and otherwise ignored: the first connection then pays.
   */
  void warmUp() {
    synchronized (TlsIdentity.class) {
      if (warm) {
        return;
      }
      warm = true;
      long start = System.nanoTime();
      try {
        TlsWarmUp.handshake(keyCertOptions.getKeyManagerFactory(null), TRUST.getTrustManagerFactory(null), PROTOCOLS);
        Network.LOG.log(System.Logger.Level.DEBUG, "TLS warmed up in " + (System.nanoTime() - start) / 1_000_000 + " ms");
      } catch (Exception | LinkageError e) {
        Network.LOG.log(System.Logger.Level.WARNING, "could not warm up TLS (" + e + "): the first connection builds it on the"
            + " event loop and may stall it for seconds", e);
      }
    }
  }

  /** Key options around a ready key manager (Vert.x's {@code KeyCertOptions.wrap} has the slf4j problem too). */
  private static final class FixedKeyCertOptions implements KeyCertOptions {
    private final KeyManagerFactory factory;

    FixedKeyCertOptions(KeyManagerFactory factory) {
      this.factory = factory;
    }

    @Override
    public KeyCertOptions copy() {
      return this;
    }

    @Override
    public KeyManagerFactory getKeyManagerFactory(Vertx vertx) {
      return factory;
    }

    @Override
    public Function<String, KeyManagerFactory> keyManagerFactoryMapper(Vertx vertx) {
      return null;
    }
  }

  /**
   * Trust options that accept exactly one kind of certificate: self-signed with an Ed25519 key. Implemented
   * here because {@code TrustOptions.wrap(TrustManager)} fails in Vert.x 5.0.7 (it needs slf4j).
   */
  static final TrustOptions TRUST = trustOptions();

  private static TrustOptions trustOptions() {
    TrustManager[] managers = {new SelfSignedEd25519()};
    TrustManagerFactory factory = new TrustManagerFactory(new TrustManagerFactorySpi() {
      @Override
      protected void engineInit(KeyStore ks) {}

      @Override
      protected void engineInit(ManagerFactoryParameters spec) {}

      @Override
      protected TrustManager[] engineGetTrustManagers() {
        return managers.clone();
      }
    }, null, "meshledger") {};
    return new TrustOptions() {
      @Override
      public TrustOptions copy() {
        return this;
      }

      @Override
      public TrustManagerFactory getTrustManagerFactory(Vertx vertx) {
        return factory;
      }

      @Override
      public Function<String, TrustManager[]> trustManagerMapper(Vertx vertx) {
        return null;
      }
    };
  }

  /** Accepts a chain whose first certificate is Ed25519 and signed by its own key; nothing else. */
  private static final class SelfSignedEd25519 implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      check(chain);
    }

    private static void check(X509Certificate[] chain) throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("no certificate");
      }
      try {
        nodeIdOf(chain[0]);
        chain[0].verify(chain[0].getPublicKey());
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw new CertificateException("not a self-signed Ed25519 node certificate: " + e.getMessage(), e);
      }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
