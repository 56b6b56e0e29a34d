package org.meshledger.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main command does what the README says: certified blocks in H2, checked after reopening. */
class QuickstartTest {

  @Test
  void storesChecksAndProvesTheConsortiumsBlocks(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      Quickstart.run(dir, out);
    }
    String report = bytes.toString(StandardCharsets.UTF_8);
    assertThat(report)
        .contains("4 validators (quorum 3)")
        .contains("reopened: 3 blocks, hash chain and commit certificates verified")
        .contains("block 3 carries block 2's certificate, signed by 3 validators")
        .contains("shipment-42 v1 @1: packed at plant 7", "shipment-42 v3 @3: delivered to store 12")
        .containsPattern("inclusion proof of [0-9a-f]{16} in block 3: valid");
  }
}
