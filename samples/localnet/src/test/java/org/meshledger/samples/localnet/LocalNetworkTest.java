package org.meshledger.samples.localnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local network demo forms its overlay, spreads every member's update to the others, and records the
 * shipment's steps on the ledger with receipts the auditor verifies, explaining its figures; twice over the same
 * data, so the second run resumes the chain (versions and nonces go on).
 */
class LocalNetworkTest {

  @Test
  void everyMemberHearsEveryOtherMembersUpdateAndARestartReusesKeysAndStores(@TempDir Path dir) throws Exception {
    for (int run = 0; run < 2; run++) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
        LocalNetwork.run(dir, out);
      }
      String report = bytes.toString(StandardCharsets.UTF_8);
      assertThat(report).contains("4 validators, 3 needed to decide a block, so 1 may fail (n = 3f + 1)")
          .contains("overlay complete: every node has 3 peers")
          .containsPattern("(?m)^# .*\"stem in/out\"").containsPattern("(?m)^# .*\"payloads in/out\"")
          .containsPattern("manufacturer +heard 3 updates \\[auditor: .*, carrier: .*, retailer: .*\\]")
          .containsPattern("auditor +heard 3 updates \\[carrier: .*, manufacturer: .*, retailer: .*\\]")
          .containsPattern("manufacturer +wrote shipment/42 v" + (1 + 3 * run) + " \"packed at the plant\": final in block \\d+ at index 0;"
              + " the auditor's copy verifies \\(\\d precommits\\)")
          .containsPattern("retailer +wrote shipment/42 v" + (3 + 3 * run) + " .*the auditor's copy verifies")
          .containsPattern("carrier +late write refused in block \\d+: stale write: key 'shipment/42' is at version " + (3 + 3 * run))
          .contains("its subscription saw 4 transactions final (3 applied, 1 failed)")
          .containsPattern("incentives +after block (\\d+): minted \\1000, supply \\d+; epoch \\d+ so far: manufacturer \\d+, carrier")
          .contains("all nodes stopped");
    }
  }
}
