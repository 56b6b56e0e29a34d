package org.meshledger.samples.supplychain;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.meshledger.Ledger;
import org.meshledger.Node;
import org.meshledger.TransactionRejectedException;
import org.meshledger.chain.Amount;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;

/**
 * A supply chain on one machine, told as it happens. The manufacturer, carrier, retailer and auditor each run a
 * validator node (own key, own data directory with an H2 store and a TLS certificate, loopback). A shipment is a
 * DATA entry whose value names its holder; the consortium's {@link CustodyRule} lets only the manufacturer create
 * one and only its holder hand it over, and the retailer's attempt to take it early is refused with the rule's
 * reason. The retailer's node then goes down; the chain goes on with three of four validators, and the node, back
 * up, catches up with its progress printed. Last, the auditor exports the shipment's history as receipt proofs,
 * stops every node, and verifies the file with nothing but the genesis file, and shows that a forged copy fails.
 * Lines that start with {@code #} explain what follows.
 *
 * <p>Run: {@code mvn -B -q install -DskipTests && mvn -B -q -pl samples/supply-chain exec:java} (data under
 * {@code target/supply-chain-data}; a second run goes on with the same chain and a new shipment).
 */
public final class SupplyChain {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  /**
   * What a run showed, for its test.
   *
   * @param shipment the shipment's key
   * @param version its last version
   * @param versionAt the version each member's node holds at the end
   * @param refused the custody rule's reason for the retailer's early attempt
   * @param stoppedAt the retailer's height when its node was stopped
   * @param targetAtRestart the highest height of the other nodes when the retailer's node started again
   * @param blockAtTarget the hash of the block at {@code targetAtRestart} as each member's node holds it once the
   *     retailer's has caught up
   * @param exported the file the auditor wrote
   * @param forgedCopy the forged copy of that file
   * @param audit the offline check of that file
   * @param forged the offline check of the forged copy
   */
  record Report(String shipment, long version, Map<String, Long> versionAt, String refused, long stoppedAt, long targetAtRestart,
      Map<String, String> blockAtTarget, Path exported, Path forgedCopy, Audit.Outcome audit, Audit.Outcome forged) {}

  private SupplyChain() {}

  public static void main(String[] args) throws Exception {
    run(Paths.get(args.length > 0 ? args[0] : "target/supply-chain-data"), System.out);
  }

  static Report run(Path dataDir, PrintStream out) throws IOException, InterruptedException, TimeoutException {
    Consortium c = Consortium.prepare(dataDir, out);
    Genesis genesis = c.genesis();
    out.printf("chain %s, genesis %s: %d validators, %d needed to decide a block, so %d may fail (n = 3f + 1)%n", genesis.chainId(),
        genesis.hash().toHex().substring(0, 16), genesis.validators().size(), genesis.validators().quorum(), genesis.validators().tolerated());
    try (c) {
      c.startAll();
      await("every node to reach the three others", () -> c.running().stream().allMatch(n -> n.status().peers().size() == 3));
      out.println("every node is connected to the three others over TLS");

      String shipment = firstFree(c.node("manufacturer").ledger());
      out.println("# a shipment is the DATA entry " + shipment + "; its value names its holder. The custody rule runs on every node:");
      out.println("# only the manufacturer creates a shipment; only the holder writes it next, naming the next holder.");
      Story story = new Story(c, shipment, out);
      story.write("manufacturer", new Shipment("manufacturer", "packed", "plant, Lyon"));
      story.write("manufacturer", new Shipment("carrier", "handed to the carrier", "plant, Lyon"));
      String refused = story.refused("retailer", new Shipment("retailer", "received", "store, Paris"));

      out.println("# the retailer's node goes down for maintenance: three of four validators are still a quorum");
      long stoppedAt = c.node("retailer").status().height();
      c.stop("retailer");
      out.printf("  %-12s stopped at height %d%n", "retailer", stoppedAt);
      story.write("carrier", new Shipment("carrier", "in transit", "A6 near Macon"));
      story.write("carrier", new Shipment("carrier", "in transit", "A6 near Auxerre"));
      Ledger carrier = c.node("carrier").ledger();
      await("the chain 20 blocks past the retailer's", () -> carrier.height() >= stoppedAt + 20);
      long target = c.running().stream().mapToLong(n -> n.ledger().height()).max().orElseThrow();
      out.printf("  the chain is at height %d, %d blocks past the retailer's store%n", target, target - stoppedAt);

      out.println("# the retailer's node starts again on its store and fetches the blocks it missed (block sync)");
      Node retailer = c.start("retailer");
      await("the retailer to catch up to height " + target, () -> retailer.ledger().height() >= target);
      out.printf("  %-12s caught up: height %d%n", "retailer", retailer.ledger().height());
      Map<String, String> blockAtTarget = new LinkedHashMap<>();
      for (String m : Consortium.MEMBERS) {
        blockAtTarget.put(m, c.node(m).ledger().block(target).await(30, TimeUnit.SECONDS).map(b -> b.hash().toHex()).orElse("none"));
      }
      story.write("carrier", new Shipment("retailer", "delivered", "store, Paris"));
      story.write("retailer", new Shipment("retailer", "on the shelf", "store, Paris"));

      long version = story.version;
      Map<String, Long> versionAt = new LinkedHashMap<>();
      for (String m : Consortium.MEMBERS) {
        Ledger ledger = c.node(m).ledger();
        await(m + "'s node to hold " + shipment + " v" + version, () -> ledger.height() >= story.lastHeight);
        versionAt.put(m, ledger.current(shipment).await(30, TimeUnit.SECONDS).map(DataEntry::version).orElse(0L));
      }
      out.printf("every node holds %s at version: %s%n", shipment, versionAt);

      out.println("# the auditor exports the shipment's history from its node: each write's receipt with its block's header");
      out.println("# and commit certificate, in one JSON file (docs/ledger.md, \"The receipt proof file\")");
      Path file = dataDir.resolve(shipment.replace('/', '-') + "-proofs.json");
      int exported = Audit.export(c.node("auditor").ledger(), shipment, file).size();
      out.printf("  auditor exported %d receipt proofs to %s (%d bytes)%n", exported, file.getFileName(), Files.size(file));
      c.close();
      out.println("all nodes stopped; data under " + dataDir);

      out.println("# offline, with no node running: the auditor checks every proof against genesis.json alone (a quorum of its");
      out.println("# validators certified each block; the Merkle proof ties the write to the block) and replays the custody rule");
      Audit.Outcome audit = Audit.verifyOffline(c.genesisFile(), file, shipment, out);
      out.println(audit.verified() ? "  the history of " + shipment + " verifies: " + audit.proofs() + " writes, custody unbroken"
          : "  the history DOES NOT VERIFY: " + audit.failure());
      Path forgedFile = Audit.forge(file, dataDir.resolve(shipment.replace('/', '-') + "-forged.json"));
      out.println("# a forged copy: the carrier's first write says the auditor holds the shipment (its id restated to match)");
      Audit.Outcome forged = Audit.verifyOffline(c.genesisFile(), forgedFile, shipment, new PrintStream(PrintStream.nullOutputStream()));
      out.println(forged.verified() ? "  the forged copy verifies (unexpected)" : "  the forged copy fails: " + forged.failure());
      return new Report(shipment, version, versionAt, refused, stoppedAt, target, blockAtTarget, file, forgedFile, audit, forged);
    }
  }

  /** The first shipment key from {@code shipment/42} on that no run has used yet. */
  private static String firstFree(Ledger ledger) throws InterruptedException, TimeoutException {
    for (int id = 42; ; id++) {
      if (ledger.current(Shipment.key(id)).await(30, TimeUnit.SECONDS).isEmpty()) {
        return Shipment.key(id);
      }
    }
  }

  /** The writes of one shipment, each from a member's own node, each final before the next. */
  private static final class Story {
    private final Consortium c;
    private final String shipment;
    private final PrintStream out;
    long version;
    long lastHeight;

    Story(Consortium c, String shipment, PrintStream out) {
      this.c = c;
      this.shipment = shipment;
      this.out = out;
    }

    void write(String member, Shipment next) throws InterruptedException, TimeoutException {
      Receipt receipt = submit(member, next);
      version++;
      lastHeight = receipt.height();
      out.printf("  %-12s wrote %s v%d: holder %s, %s, %s; final in block %d%n", member, shipment, version, next.holder(), next.status(),
          next.location(), receipt.height());
    }

    String refused(String member, Shipment next) throws InterruptedException, TimeoutException {
      try {
        submit(member, next);
        throw new IllegalStateException("the custody rule let the " + member + " write " + shipment);
      } catch (TransactionRejectedException e) {
        out.printf("  %-12s tried to take %s: refused in block %d: %s%n", member, shipment, e.receipt().map(Receipt::height).orElse(0L),
            e.reason());
        return e.reason();
      }
    }

    private Receipt submit(String member, Shipment next) throws InterruptedException, TimeoutException {
      Ledger ledger = c.node(member).ledger();
      KeyPair key = c.key(member);
      Genesis genesis = c.genesis();
      long seen = lastHeight;
      await(member + "'s node to hold block " + seen, () -> ledger.height() >= seen); // so it reads the latest version
      // [readme-ledger]
      long nonce = ledger.nextNonce(key.accountId()).await(30, TimeUnit.SECONDS); // counts its pending ones too
      Transaction tx = Transaction.sign(genesis.chainId(), key, nonce, Amount.of(1),
          Payload.DataWrite.ifVersion(shipment, next.toBytes(), version)); // optimistic concurrency
      Receipt receipt = ledger.submit(tx).await(30, TimeUnit.SECONDS); // final: BFT-committed and stored
      // [/readme-ledger]
      return receipt;
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("gave up after " + PATIENCE.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(20); // polling a condition, not timing anything
    }
  }
}
