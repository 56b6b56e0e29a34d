package org.meshledger.samples.supplychain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's snippets are the supply-chain sample's code, so they compile and run. */
class ReadmeSnippetTest {

  static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    int to = text.indexOf(end, from + 1);
    assertThat(from).as("marker %s", start).isNotNegative();
    assertThat(to).as("marker %s", end).isGreaterThan(from);
    return text.substring(from + start.length(), to);
  }

  /** Lines without indentation and blank lines, so re-indenting for the README does not matter. */
  static String normalized(String code) {
    return Arrays.stream(code.split("\n")).map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("```"))
        .collect(Collectors.joining("\n"));
  }

  @Test
  void readmeSnippetIsTheSamplesCode() throws IOException {
    Path moduleDir = Path.of("").toAbsolutePath();
    String readme = Files.readString(moduleDir.resolve("../../README.md"));
    Path sources = moduleDir.resolve("src/main/java/org/meshledger/samples/supplychain");
    String consortium = Files.readString(sources.resolve("Consortium.java"));
    String sample = Files.readString(sources.resolve("SupplyChain.java"));
    String snippet = normalized(between(readme, "<!-- readme-snippet -->", "<!-- /readme-snippet -->"));
    assertThat(snippet).isNotBlank().isEqualTo(normalized(between(consortium, "// [readme]", "// [/readme]")));
    String ledger = normalized(between(readme, "<!-- readme-ledger -->", "<!-- /readme-ledger -->"));
    assertThat(ledger).isNotBlank().isEqualTo(normalized(between(sample, "// [readme-ledger]", "// [/readme-ledger]")));
  }

  @Test
  void readmeDependencyIsTheHostSamplesPom() throws IOException {
    Path moduleDir = Path.of("").toAbsolutePath();
    String readme = Files.readString(moduleDir.resolve("../../README.md"));
    String pom = Files.readString(moduleDir.resolve("../host/pom.xml"));
    String snippet = normalized(between(readme, "<!-- readme-pom -->", "<!-- /readme-pom -->"));
    assertThat(snippet).contains("<artifactId>meshledger</artifactId>", "<maven.compiler.release>17</maven.compiler.release>")
        .isEqualTo(normalized(between(pom, "<!-- readme-pom -->", "<!-- /readme-pom -->")));
  }
}
