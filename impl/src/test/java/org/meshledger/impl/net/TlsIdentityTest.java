package org.meshledger.impl.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.ConfigurationException;
import org.meshledger.crypto.KeyPair;

class TlsIdentityTest {
  @TempDir
  Path dir;

  @Test
  void certificateIsCreatedOnceAndReloaded() throws Exception {
    KeyPair key = KeyPair.generate();
    TlsIdentity first = TlsIdentity.loadOrCreate(dir, key);
    Path file = dir.resolve(TlsIdentity.FILE_NAME);
    assertThat(file).exists();
    assertThat(TlsIdentity.nodeIdOf(first.certificate())).isEqualTo(key.nodeId());
    first.certificate().verify(first.certificate().getPublicKey());
    assertThat(first.certificate().getSigAlgName()).isEqualToIgnoringCase("Ed25519");
    byte[] before = Files.readAllBytes(file);
    TlsIdentity second = TlsIdentity.loadOrCreate(dir, key);
    assertThat(second.certificate()).isEqualTo(first.certificate());
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void corruptFileIsAClearError() throws Exception {
    Files.writeString(dir.resolve(TlsIdentity.FILE_NAME), "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> TlsIdentity.loadOrCreate(dir, KeyPair.generate()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(TlsIdentity.FILE_NAME).hasMessageContaining("corrupt").hasMessageContaining("delete it");
  }

  @Test
  void certificateOfAnotherKeyIsRefused() {
    TlsIdentity.loadOrCreate(dir, KeyPair.generate());
    KeyPair other = KeyPair.generate();
    assertThatThrownBy(() -> TlsIdentity.loadOrCreate(dir, other))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("belongs to key").hasMessageContaining(other.nodeId().toHex());
  }

  @Test
  void privateKeySignsLikeTheNodeKey() throws Exception {
    KeyPair key = KeyPair.generate();
    java.security.Signature s = java.security.Signature.getInstance("Ed25519");
    s.initSign(key.toPrivateKey());
    s.update(new byte[] {1, 2, 3});
    byte[] sig = s.sign();
    TlsIdentity id = TlsIdentity.ephemeral(key);
    java.security.Signature v = java.security.Signature.getInstance("Ed25519");
    v.initVerify(id.certificate().getPublicKey());
    v.update(new byte[] {1, 2, 3});
    assertThat(v.verify(sig)).isTrue();
  }

  @Test
  void theWarmUpCompletesATls13HandshakeWithTheNodesOwnKeyAndTrustRules() throws Exception {
    TlsIdentity id = TlsIdentity.ephemeral(KeyPair.generate());
    // Throws unless both ends finish and hold each other's certificate; warmUp() itself only logs a failure.
    TlsWarmUp.handshake(id.keyCertOptions().getKeyManagerFactory(null), TlsIdentity.TRUST.getTrustManagerFactory(null),
        TlsIdentity.PROTOCOLS);
    id.warmUp();
    id.warmUp(); // once per JVM: the second call returns at once
  }
}
