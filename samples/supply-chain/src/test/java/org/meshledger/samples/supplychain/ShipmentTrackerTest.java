package org.meshledger.samples.supplychain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.meshledger.spi.testsupport.Await.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.Ledger;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.spi.testsupport.TestGenesis;

/**
 * The resume pattern of {@code docs/ledger.md} on a one-validator chain: the tracker stores statuses and height
 * together, stops, misses blocks while it is down, and resumes from its file with every block applied once.
 */
class ShipmentTrackerTest {
  private static final ConsensusParameters QUICK = new ConsensusParameters(Duration.ofMillis(300), Duration.ofMillis(200),
      Duration.ofMillis(100), Duration.ofMillis(10), Duration.ofMillis(20), 1000);
  private final KeyPair carrier = KeyPair.generate();
  private final TestGenesis net = TestGenesis.chain("tracker-test").fund(1_000, carrier).consensus(QUICK).build();
  private final Genesis genesis = net.genesis();
  private Node node;
  private long nonce;

  @AfterEach
  void tearDown() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void theTrackerResumesFromItsStoredHeightWithNoGapAndNoDuplicate(@TempDir Path dir) throws Exception {
    node = Node.builder().genesis(genesis).identity(net.key(0))
        .options(new NodeOptions().setDataDir(dir.resolve("node")).setListenHost("127.0.0.1").setListenPort(0)).build();
    node.start().await(30, TimeUnit.SECONDS);
    Ledger ledger = node.ledger();
    Path file = dir.resolve("shipments.properties");

    ShipmentTracker first = ShipmentTracker.open(file);
    first.follow(ledger);
    long h1 = write(ledger, "shipment/1", "packed");
    write(ledger, "shipment/2", "packed");
    long h2 = write(ledger, "shipment/1", "picked up");
    await("the tracker at height " + h2, () -> first.height() >= h2);
    assertThat(first.statuses()).containsExactlyInAnyOrderEntriesOf(Map.of("shipment/1", "picked up", "shipment/2", "packed"));
    assertThat(h1).isLessThan(h2);
    first.close();
    long stoppedAt = first.height();

    // Blocks commit while the tracker is down.
    long h3 = write(ledger, "shipment/2", "delivered");
    long top = ledger.height() + 30;
    await("the chain at height " + top, () -> ledger.height() >= top);

    ShipmentTracker again = ShipmentTracker.open(file);
    assertThat(again.height()).as("the height stored with the statuses").isGreaterThanOrEqualTo(stoppedAt);
    long resumedFrom = again.height();
    Ledger.Subscription sub = again.follow(ledger);
    await("the resumed tracker at height " + top, () -> again.height() >= top);
    assertThat(again.statuses()).containsEntry("shipment/2", "delivered").containsEntry("shipment/1", "picked up");
    assertThat(h3).isGreaterThan(stoppedAt);
    again.close();
    assertThat(sub.ended().await(10, TimeUnit.SECONDS)).isNull(); // closed by the host: ends without a failure
    // the height moves before the count of blocks applied, on the tracker's disk thread, so the two are compared
    // once they settle: a gap or a block applied twice would keep them apart for good
    await("blocks applied after the restart to match the heights: each one after the stored height, once",
        () -> again.applied() == again.height() - resumedFrom);
  }

  private long write(Ledger ledger, String key, String status) throws Exception {
    Transaction tx = Transaction.sign(genesis.chainId(), carrier, nonce++, Amount.of(1),
        Payload.DataWrite.of(key, status.getBytes(StandardCharsets.UTF_8)));
    return ledger.submit(tx).await(30, TimeUnit.SECONDS).height();
  }
}
