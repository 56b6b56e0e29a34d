package org.meshledger.impl.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.ConfigurationException;
import org.meshledger.crypto.KeyPair;
import org.meshledger.crypto.SignatureDomain;

/** Key files: private to their owner, never overwritten, and every bad file named with its bad field. */
class KeyFileTest {
  private static final String SEED = "0101010101010101010101010101010101010101010101010101010101010101";
  @TempDir
  Path dir;

  private static String json(String format, Object version, String seed, String publicKey) {
    return "{\"format\":\"" + format + "\",\"version\":" + version + ",\"seed\":\"" + seed + "\",\"publicKey\":\"" + publicKey + "\"}";
  }

  private String validPublicKey() {
    return KeyPair.fromSeed(HexFormat.of().parseHex(SEED)).nodeId().toHex();
  }

  @Test
  void saveWritesAnOwnerOnlyFileThatLoadsBack() throws IOException {
    KeyPair key = KeyPair.generate();
    Path file = dir.resolve("sub/node.key");
    key.save(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    KeyPair loaded = KeyPair.load(file);
    assertThat(loaded).isEqualTo(key);
    byte[] msg = {1, 2, 3};
    // the same seed: the loaded key makes the same (deterministic) signature
    assertThat(loaded.sign(SignatureDomain.HANDSHAKE, "c", msg)).isEqualTo(key.sign(SignatureDomain.HANDSHAKE, "c", msg));
    assertThat(KeyPair.fromSeed(HexFormat.of().parseHex(SEED)).toString()).doesNotContain(SEED).contains(validPublicKey());
    try (var files = Files.list(file.getParent())) {
      assertThat(files).as("no temporary file left behind").containsExactly(file);
    }
  }

  @Test
  void saveRefusesToOverwrite() throws IOException {
    Path file = dir.resolve("node.key");
    KeyPair first = KeyPair.generate();
    first.save(file);
    assertThatThrownBy(() -> KeyPair.generate().save(file)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("already exists");
    assertThat(KeyPair.load(file)).isEqualTo(first);
  }

  private void assertLoadFails(String content, String... expected) throws IOException {
    Path file = dir.resolve("bad.key");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> KeyPair.load(file)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("key file " + file).hasMessageContainingAll(expected);
    Files.delete(file);
  }

  @Test
  void badFilesFailNamingTheFileAndTheField() throws IOException {
    String pub = validPublicKey();
    Path missing = dir.resolve("missing.key");
    assertThatThrownBy(() -> KeyPair.load(missing)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
    assertLoadFails("not json", "is not a JSON object");
    assertLoadFails("[1,2]", "is not a JSON object");
    assertLoadFails(json("meshledger-rsa-key", 1, SEED, pub), "field 'format'", "meshledger-ed25519-key");
    assertLoadFails(json("meshledger-ed25519-key", 2, SEED, pub), "field 'version'", "got 2");
    assertLoadFails(json("meshledger-ed25519-key", "\"1\"", SEED, pub), "field 'version'");
    assertLoadFails(json("meshledger-ed25519-key", 1, "zz" + SEED.substring(2), pub), "field 'seed'", "not a hexadecimal digit");
    assertLoadFails(json("meshledger-ed25519-key", 1, SEED.substring(2), pub), "field 'seed'", "64 hex characters");
    assertLoadFails(json("meshledger-ed25519-key", 1, SEED, pub + "00"), "field 'publicKey'", "64 hex characters");
    assertLoadFails(json("meshledger-ed25519-key", 1, SEED, "ff" + pub.substring(2)), "field 'publicKey' does not belong to field 'seed'");
    assertLoadFails("{\"format\":\"meshledger-ed25519-key\",\"version\":1,\"publicKey\":\"" + pub + "\"}", "field 'seed'");
    assertLoadFails(" ".repeat(70_000) + json("meshledger-ed25519-key", 1, SEED, pub), "70", "bytes");
    // the valid file loads, so each failure above is due to its one change
    Path good = dir.resolve("good.key");
    Files.writeString(good, json("meshledger-ed25519-key", 1, SEED, pub));
    assertThat(KeyPair.load(good).nodeId().toHex()).isEqualTo(pub);
  }
}
