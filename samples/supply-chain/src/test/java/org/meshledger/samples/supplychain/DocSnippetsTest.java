package org.meshledger.samples.supplychain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.meshledger.samples.supplychain.ReadmeSnippetTest.between;
import static org.meshledger.samples.supplychain.ReadmeSnippetTest.normalized;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The code in {@code docs/ledger.md} is this sample's code, so it compiles and runs ({@link ShipmentTrackerTest}). */
class DocSnippetsTest {

  @Test
  void theLedgerDocsResumePatternIsTheTrackersCode() throws IOException {
    Path moduleDir = Path.of("").toAbsolutePath();
    String doc = Files.readString(moduleDir.resolve("../../docs/ledger.md"));
    String sample = Files.readString(moduleDir.resolve("src/main/java/org/meshledger/samples/supplychain/ShipmentTracker.java"));
    String snippet = normalized(between(doc, "<!-- ledger-resume -->", "<!-- /ledger-resume -->"));
    assertThat(snippet).isNotBlank().isEqualTo(normalized(between(sample, "// [ledger-resume]", "// [/ledger-resume]")));
  }
}
