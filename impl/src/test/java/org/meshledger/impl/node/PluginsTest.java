package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.ConfigurationException;
import org.meshledger.Node;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.contract.TestChain;
import org.meshledger.spi.testsupport.TestGenesis;

/** Plug-ins are recognized by what they are, whatever class they were made from; anything else is refused by name. */
class PluginsTest {
  @TempDir
  java.nio.file.Path dir;

  @Test
  void aRegistryOfAnyKindAndAStoreAreRecognized() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry(); // a subclass: the old lookup by class missed it
    try (BlockStore store = BlockStores.open("memory", new TestChain("plugins", 1).context(dir))) {
      Plugins p = Plugins.of(List.of(registry, store));
      assertThat(p.meterRegistry()).isSameAs(registry);
      assertThat(p.store()).isSameAs(store);
    }
    assertThat(Plugins.of(List.of())).isEqualTo(new Plugins(null, null, null));
  }

  @Test
  void anObjectOfNoKnownKindIsRefusedNamingTheKinds() {
    assertThatThrownBy(() -> Plugins.of(List.of("metrics please"))).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("java.lang.String").hasMessageContaining("org.meshledger.spi.BlockStore")
        .hasMessageContaining("io.micrometer.core.instrument.MeterRegistry");
    assertThatThrownBy(() -> Plugins.of(List.of(new SimpleMeterRegistry(), new SimpleMeterRegistry())))
        .hasMessageContaining("two meter registries");
  }

  @Test
  void theBuilderRefusesItAtBuild() {
    KeyPair key = KeyPair.generate();
    Genesis genesis = TestGenesis.chain("plugins").keys(key).build().genesis();
    assertThatThrownBy(() -> Node.builder().genesis(genesis).identity(key).plugin(42).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("java.lang.Integer is none of the kinds");
  }
}
