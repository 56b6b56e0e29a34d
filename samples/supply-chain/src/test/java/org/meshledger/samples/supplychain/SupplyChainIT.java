package org.meshledger.samples.supplychain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.genesis.Genesis;
import org.meshledger.samples.cli.Main;

/**
 * The sample end to end on loopback, as a user runs it: four validator nodes over TLS with H2 stores, the custody
 * rule enforced by all of them, one node stopped and caught up, and the auditor's export verified offline, by the
 * sample and by the operator's {@code meshledger verify}.
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
    // the restarted node resumed from its store, fetched what it missed, and holds the same chain as the others
    String restart = text.substring(text.indexOf("# the retailer's node starts again"));
    Matcher began = Pattern.compile("retailer +catching up: height (\\d+) of (\\d+)").matcher(restart);
    assertThat(began.find()).as("the retailer's node reports its catch-up:%n%s", restart).isTrue();
    assertThat(Long.parseLong(began.group(1))).as("block sync began where the retailer's store left off (it stopped at %d)", report.stoppedAt())
        .isGreaterThanOrEqualTo(report.stoppedAt());
    assertThat(report.blockAtTarget()).as("the block at height %d on each node", report.targetAtRestart()).containsOnlyKeys(Consortium.MEMBERS)
        .doesNotContainValue("none");
    assertThat(Set.copyOf(report.blockAtTarget().values())).as("one block at height %d everywhere: %s", report.targetAtRestart(),
        report.blockAtTarget()).hasSize(1);
    // the export verifies against the genesis alone; the forged copy does not, and says why
    assertThat(report.audit().verified()).as(report.audit().failure()).isTrue();
    assertThat(report.audit().proofs()).isEqualTo(6);
    assertThat(report.forged().verified()).isFalse();
    assertThat(report.forged().failure()).startsWith("proof 2: transaction: ").endsWith("has a bad signature");
    // the operator's tool reads the very file the sample wrote: meshledger verify, against the consortium's genesis
    Path genesisFile = dir.resolve("genesis.json");
    String genesisHash = Genesis.fromJson(genesisFile).hash().toHex();
    Cli verified = cli("verify", "--genesis", genesisFile.toString(), report.exported().toString());
    assertThat(verified.code()).as("meshledger verify %s:%n%s%s", report.exported(), verified.out(), verified.err()).isZero();
    assertThat(verified.out().lines().filter(l -> l.startsWith("ok     proof "))).hasSize(6)
        .allSatisfy(l -> assertThat(l).contains(", data '" + report.shipment() + "'; "));
    assertThat(verified.out()).contains("6 of 6 proofs hold against genesis " + genesisHash + " (chain supply-chain)");
    Cli refused = cli("verify", "--genesis", genesisFile.toString(), report.forgedCopy().toString());
    assertThat(refused.code()).as("meshledger verify %s:%n%s%s", report.forgedCopy(), refused.out(), refused.err()).isEqualTo(1);
    assertThat(refused.out()).containsPattern("FAILED proof 2: transaction: .* has a bad signature")
        .contains("5 of 6 proofs hold against genesis " + genesisHash).contains("the file is not to be trusted");
    assertThat(text).contains("starting 1/4: the manufacturer's node", "every node is connected to the three others",
        "the history of shipment/42 verifies: 6 writes, custody unbroken", "all nodes stopped");
  }

  /** One run of the {@code meshledger} command line, in this JVM, through its entry point. */
  record Cli(int code, String out, String err) {}

  private static Cli cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Cli(code, out.toString(), err.toString());
  }
}
