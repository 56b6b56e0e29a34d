package org.meshledger.crypto;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.meshledger.ConfigurationException;
import org.meshledger.MeshledgerException;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.Signature;
import org.meshledger.crypto.Ed25519;
import org.meshledger.crypto.SignatureDomain;

/**
 * An Ed25519 key pair: the identity of a node and the signing key of an account.
 *
 * <p>Key files are JSON: {@code {"format":"meshledger-ed25519-key","version":1,"seed":"<64 hex>",
 * "publicKey":"<64 hex>"}}. {@link #save} writes them atomically with owner-only permissions where the file
 * system has POSIX permissions; {@link #load} checks that the public key matches the seed, so a corrupt or
 * edited file fails with a clear {@link ConfigurationException} rather than yielding a different identity.
 *
 * <p>{@link #toString()} never prints the seed. Thread-safe and immutable.
 */
public final class KeyPair {
  private static final String FORMAT = "meshledger-ed25519-key";
  private static final int FILE_VERSION = 1;
  private static final long MAX_FILE_BYTES = 64 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] seed;
  private final NodeId nodeId;
  private final AccountId accountId;

  private KeyPair(byte[] seed) {
    this.seed = seed;
    byte[] pub = Ed25519.publicKey(seed);
    this.nodeId = new NodeId(pub);
    this.accountId = new AccountId(pub);
  }

  /** A new key from the platform's {@link SecureRandom}. */
  public static KeyPair generate() {
    byte[] seed = new byte[Ed25519.SEED_BYTES];
    RANDOM.nextBytes(seed);
    return new KeyPair(seed);
  }

  /** The key of a 32-byte seed (RFC 8032 private key); deterministic, for tests and derived keys. */
  public static KeyPair fromSeed(byte[] seed) {
    Objects.requireNonNull(seed, "seed");
    if (seed.length != Ed25519.SEED_BYTES) {
      throw new IllegalArgumentException("seed must be " + Ed25519.SEED_BYTES + " bytes, got " + seed.length);
    }
    return new KeyPair(seed.clone());
  }

  /** This key as a node identity. */
  public NodeId nodeId() {
    return nodeId;
  }

  /** This key as an account. */
  public AccountId accountId() {
    return accountId;
  }

  /** Signs {@code message} in {@code domain} for chain {@code chainId} (see {@link Ed25519#signingInput}). */
  public Signature sign(SignatureDomain domain, String chainId, byte[] message) {
    return new Signature(Ed25519.sign(seed, domain, chainId, message));
  }

  /** RFC 8410 PKCS #8 prefix of an Ed25519 private key: the 32 seed bytes follow. */
  private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

  /**
   * This key as a JDK {@link PrivateKey} (algorithm Ed25519), for TLS: a node's certificate and its TLS
   * handshakes are signed with its identity key, so a peer's certificate proves the node id it claims. The
   * result holds the secret seed; hand it to nothing but the TLS stack.
   */
  public PrivateKey toPrivateKey() {
    byte[] pkcs8 = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + seed.length);
    System.arraycopy(seed, 0, pkcs8, PKCS8_PREFIX.length, seed.length);
    try {
      return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new MeshledgerException("this JDK cannot load an Ed25519 private key: " + e, e);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /**
   * Writes this key to {@code file}, which must not exist yet (a key is never overwritten by accident).
   * The file is written to a temporary sibling and moved into place, so a crash leaves either no file or a
   * whole one.
   *
   * @throws ConfigurationException if the file exists or cannot be written
   */
  public void save(Path file) {
    Objects.requireNonNull(file, "file");
    String json = new JsonObject()
        .put("format", FORMAT)
        .put("version", FILE_VERSION)
        .put("seed", HexFormat.of().formatHex(seed))
        .put("publicKey", nodeId.toHex())
        .encodePrettily() + "\n";
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      if (Files.exists(file)) {
        throw new ConfigurationException("key file " + file + " already exists; refusing to overwrite a key");
      }
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, ".key", ".tmp");
      restrictToOwner(tmp);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
        ch.force(true); // on disk before the name appears: a crash leaves no file or a whole one
      }
      publish(tmp, file);
    } catch (FileAlreadyExistsException e) {
      throw new ConfigurationException("key file " + file + " already exists; refusing to overwrite a key", e);
    } catch (IOException e) {
      throw new ConfigurationException("cannot write key file " + file + ": " + e, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the temporary file holds no more than the key we failed to save
        }
      }
    }
  }

  /**
   * Makes the whole temporary file appear at {@code file}, failing if {@code file} exists. A hard link is
   * atomic and never replaces an existing name; a rename (ATOMIC_MOVE) would silently replace a key that
   * another process saved after our existence check. Where hard links are unsupported, a plain move
   * (which also refuses an existing target) is the fallback.
   */
  private static void publish(Path tmp, Path file) throws IOException {
    try {
      Files.createLink(file, tmp);
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (UnsupportedOperationException | FileSystemException e) {
      Files.move(tmp, file);
    }
  }

  private static void restrictToOwner(Path p) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the platform's defaults apply
    }
  }

  /**
   * Reads a key file written by {@link #save}.
   *
   * @throws ConfigurationException naming the file and the problem: missing, not JSON, wrong format or
   *     version, bad hex, or a public key that does not belong to the seed
   */
  public static KeyPair load(Path file) {
    Objects.requireNonNull(file, "file");
    String text;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new ConfigurationException("key file " + file + " is " + Files.size(file) + " bytes; a key file is under 1 KiB");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("key file " + file + " does not exist (create one with KeyPair.generate().save(path))", e);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read key file " + file + ": " + e, e);
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigurationException("key file " + file + " is not a JSON object: " + e.getMessage(), e);
    }
    if (!FORMAT.equals(json.getValue("format"))) {
      throw new ConfigurationException("key file " + file + ": field 'format' must be \"" + FORMAT + "\"");
    }
    if (!Integer.valueOf(FILE_VERSION).equals(json.getValue("version"))) {
      throw new ConfigurationException("key file " + file + ": field 'version' must be " + FILE_VERSION + ", got " + json.getValue("version"));
    }
    byte[] seed = hexField(json, "seed", file);
    byte[] pub = hexField(json, "publicKey", file);
    KeyPair key = new KeyPair(seed);
    if (!Arrays.equals(pub, key.nodeId.key())) {
      throw new ConfigurationException("key file " + file + " is corrupt: field 'publicKey' does not belong to field 'seed'");
    }
    return key;
  }

  private static byte[] hexField(JsonObject json, String field, Path file) {
    Object v = json.getValue(field);
    if (!(v instanceof String s) || s.length() != 64) {
      throw new ConfigurationException("key file " + file + ": field '" + field + "' must be 64 hex characters");
    }
    try {
      return HexFormat.of().parseHex(s);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("key file " + file + ": field '" + field + "': " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyPair k && nodeId.equals(k.nodeId);
  }

  @Override
  public int hashCode() {
    return nodeId.hashCode();
  }

  @Override
  public String toString() {
    return "KeyPair[" + nodeId + "]";
  }
}
