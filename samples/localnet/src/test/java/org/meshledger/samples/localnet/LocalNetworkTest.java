package org.meshledger.samples.localnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local network demo forms its overlay and spreads every member's update to the others, twice over the same data. */
class LocalNetworkTest {

  @Test
  void everyMemberHearsEveryOtherMembersUpdateAndARestartReusesKeysAndStores(@TempDir Path dir) throws Exception {
    for (int run = 0; run < 2; run++) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
        LocalNetwork.run(dir, out);
      }
      String report = bytes.toString(StandardCharsets.UTF_8);
      assertThat(report).contains("overlay complete: every node has 3 peers")
          .containsPattern("manufacturer +heard 3 updates \\[auditor: .*, carrier: .*, retailer: .*\\]")
          .containsPattern("auditor +heard 3 updates \\[carrier: .*, manufacturer: .*, retailer: .*\\]")
          .contains("all nodes stopped");
    }
  }
}
