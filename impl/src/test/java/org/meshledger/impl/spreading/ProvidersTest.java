package org.meshledger.impl.spreading;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.meshledger.spi.SpreadingProtocolProvider;
import org.meshledger.spi.SpreadingProtocols;

/** The protocols are found by name, on the class path and in the module descriptors, which export only the API. */
class ProvidersTest {
  private static final List<String> PROVIDERS = List.of(FloodingProvider.class.getName(), DiffusionProvider.class.getName(),
      DandelionPlusPlusProvider.class.getName());

  @Test
  void eachProtocolIsFoundByItsName() {
    assertThat(SpreadingProtocols.provider("flooding")).isInstanceOf(FloodingProvider.class);
    assertThat(SpreadingProtocols.provider("diffusion")).isInstanceOf(DiffusionProvider.class);
    assertThat(SpreadingProtocols.provider("dandelion++")).isInstanceOf(DandelionPlusPlusProvider.class);
    for (String name : List.of("flooding", "diffusion", "dandelion++")) {
      SpreadingProtocolProvider p = SpreadingProtocols.provider(name);
      assertThat(p.create(Map.of())).isNotNull();
      assertThat(p.validate(Map.of()).keySet()).isEqualTo(p.defaults().keySet());
    }
  }

  @Test
  void implExportsOnlyTheSimulatorAndTestingAndProvidesTheProtocols() throws IOException {
    ModuleDescriptor impl;
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      impl = ModuleDescriptor.read(in);
    }
    assertThat(impl.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
        .isEqualTo(Set.of("org.meshledger.simulation", "org.meshledger.testing"));
    assertThat(impl.provides()).anySatisfy(p -> {
      assertThat(p.service()).isEqualTo(SpreadingProtocolProvider.class.getName());
      assertThat(p.providers()).containsExactlyElementsOf(PROVIDERS);
    });
    List<String> services = Files.readAllLines(Path.of("src/main/resources/META-INF/services/" + SpreadingProtocolProvider.class.getName()),
        StandardCharsets.UTF_8);
    assertThat(services).containsExactlyElementsOf(PROVIDERS);
  }

  @Test
  void spiExportsOnlyItsPackage() throws IOException, URISyntaxException {
    Path where = Path.of(SpreadingProtocolProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor spi;
    if (Files.isDirectory(where)) {
      try (InputStream in = Files.newInputStream(where.resolve("module-info.class"))) {
        spi = ModuleDescriptor.read(in);
      }
    } else {
      try (ZipFile jar = new ZipFile(where.toFile()); InputStream in = jar.getInputStream(jar.getEntry("module-info.class"))) {
        spi = ModuleDescriptor.read(in);
      }
    }
    assertThat(spi.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet())).isEqualTo(Set.of("org.meshledger.spi"));
    assertThat(spi.uses()).contains(SpreadingProtocolProvider.class.getName());
  }
}
