package org.meshledger.samples.host;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.meshledger.IncentivePolicy;
import org.meshledger.Ledger;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;

/**
 * A host application with the README's one dependency: it runs a one-validator chain in its own JVM, records a
 * value and prints the receipt. {@code mvn -B -q install -DskipTests} at the top, then
 * {@code java -cp "$(mvn -q -f samples/host dependency:build-classpath -Dmdep.outputFile=/dev/stdout):samples/host/target/classes" org.meshledger.samples.host.HostApp}.
 */
public final class HostApp {
  private HostApp() {}

  public static void main(String[] args) throws Exception {
    KeyPair key = KeyPair.generate();
    Genesis genesis = new Genesis("host-demo", Instant.now().truncatedTo(ChronoUnit.MILLIS), true, List.of(Member.of("host", key.nodeId(), Role.VALIDATOR)),
        ConsensusParameters.DEFAULTS, IncentivePolicy.feesTo(key.accountId()), Map.of(key.accountId(), Amount.of(1_000)));
    Path dataDir = Files.createTempDirectory("meshledger-host-");
    try (Node node = Node.builder().genesis(genesis).identity(key).options(new NodeOptions().setDataDir(dataDir).setListenPort(0)).build()) {
      node.start().await(30, TimeUnit.SECONDS);
      Ledger ledger = node.ledger();
      Transaction tx = Transaction.sign(genesis.chainId(), key, 0, Amount.of(1),
          Payload.DataWrite.of("greeting", "hello from the host".getBytes(StandardCharsets.UTF_8)));
      Receipt receipt = ledger.submit(tx).await(60, TimeUnit.SECONDS);
      System.out.println("final at height " + receipt.height() + ", index " + receipt.index() + ": " + receipt.result());
    }
  }
}
