package org.meshledger.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What each module shows its users, read from the compiled module descriptors: the API exports all its
 * packages, the SPI exactly its one, the implementation none of its internals.
 */
class ModuleExportsTest {

  /** The compiled descriptor of the module that holds {@code type} (a classes directory or a jar). */
  static ModuleDescriptor descriptorOf(Class<?> type) {
    try {
      Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(location)) {
        try (InputStream in = Files.newInputStream(location.resolve("module-info.class"))) {
          return ModuleDescriptor.read(in);
        }
      }
      try (JarFile jar = new JarFile(location.toFile()); InputStream in = jar.getInputStream(jar.getEntry("module-info.class"))) {
        return ModuleDescriptor.read(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Set<String> exports(ModuleDescriptor d) {
    assertThat(d.exports()).as("%s exports to everyone, never to named friends", d.name())
        .allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    return d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
  }

  @Test
  void apiExportsEveryPackageItHas() {
    ModuleDescriptor api = descriptorOf(org.meshledger.chain.Hash.class);
    assertThat(api.name()).isEqualTo("org.meshledger");
    assertThat(exports(api)).as("the cut of ADR 013").containsExactlyInAnyOrder("org.meshledger", "org.meshledger.chain", "org.meshledger.genesis",
            "org.meshledger.crypto", "org.meshledger.codec")
        .allSatisfy(p -> assertThat(p).matches("org\\.meshledger(\\..+)?"))
        .isEqualTo(api.packages());
  }

  @Test
  void spiExportsItsOnePackage() {
    ModuleDescriptor spi = descriptorOf(org.meshledger.spi.BlockStore.class);
    assertThat(spi.name()).isEqualTo("org.meshledger.spi");
    assertThat(exports(spi)).containsExactly("org.meshledger.spi");
    assertThat(spi.uses()).contains("org.meshledger.spi.BlockStoreProvider", "org.meshledger.spi.SpreadingProtocolProvider");
  }

  @Test
  void implExportsNoInternalPackageAndProvidesTheDefaults() {
    ModuleDescriptor impl = descriptorOf(org.meshledger.impl.crypto.BouncyCastleEd25519.class);
    assertThat(impl.name()).isEqualTo("org.meshledger.impl");
    assertThat(exports(impl)).as("only the packages users are meant to call")
        .containsExactlyInAnyOrder("org.meshledger.simulation", "org.meshledger.testing")
        .noneMatch(p -> p.startsWith("org.meshledger.impl"));
    assertThat(impl.provides()).extracting(ModuleDescriptor.Provides::service)
        .contains("org.meshledger.crypto.Ed25519Provider", "org.meshledger.spi.BlockStoreProvider",
            "org.meshledger.spi.SpreadingProtocolProvider");
  }
}
