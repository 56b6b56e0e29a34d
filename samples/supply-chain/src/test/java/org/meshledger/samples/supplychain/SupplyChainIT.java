package org.meshledger.samples.supplychain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample end to end on loopback, as a user runs it: four validator nodes over TLS with H2 stores, the custody
 * rule enforced by all of them, one node stopped and caught up, and the auditor's export verified offline.
 */
class SupplyChainIT {

  @Test
  void theShipmentsHistoryIsFinalEverywhereAndVerifiesOfflineWhileAForgeryDoesNot(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SupplyChain.Report report;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      report = SupplyChain.run(dir, out);
    } finally {
      System.out.print(bytes.toString(StandardCharsets.UTF_8)); // the run's story, for whoever reads the test log
    }
    String text = bytes.toString(StandardCharsets.UTF_8);

    // every write committed on all four nodes: create, handover, two updates while the retailer was down, handover, update
    assertThat(report.version()).isEqualTo(6);
    assertThat(report.versionAt()).containsExactlyInAnyOrderEntriesOf(Map.of("manufacturer", 6L, "carrier", 6L, "retailer", 6L, "auditor", 6L));
    // the early handover refused by the rule, with its reason
    assertThat(report.refused()).isEqualTo("rejected by the host validator: custody: " + report.shipment()
        + " is held by the carrier; only its holder hands it over, not the retailer");
    assertThat(text).containsPattern("retailer +tried to take shipment/42: refused in block \\d+: rejected by the host validator: custody: ");
    // the restarted node fetched what it missed and reached the others' height
    assertThat(report.behindBy()).isGreaterThanOrEqualTo(20);
    assertThat(report.caughtUpAt()).isGreaterThanOrEqualTo(report.targetAtRestart());
    assertThat(text).containsPattern("retailer +catching up: height \\d+ of \\d+");
    // the export verifies against the genesis alone; the forged copy does not, and says why
    assertThat(report.audit().verified()).as(report.audit().failure()).isTrue();
    assertThat(report.audit().proofs()).isEqualTo(6);
    assertThat(report.forged().verified()).isFalse();
    assertThat(report.forged().failure()).startsWith("proof 2: transaction: ").endsWith("has a bad signature");
    assertThat(text).contains("starting 1/4: the manufacturer's node", "every node is connected to the three others",
        "the history of shipment/42 verifies: 6 writes, custody unbroken", "all nodes stopped");
  }
}
