package org.meshledger.samples.localnet;

import io.vertx.core.Future;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.meshledger.IncentivePolicy;
import org.meshledger.IncentiveReport;
import org.meshledger.Ledger;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.NodeStatus;
import org.meshledger.PropagationStats;
import org.meshledger.Spreading;
import org.meshledger.TransactionRejectedException;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;

/**
 * A supply-chain consortium on one machine: the manufacturer, carrier, retailer and auditor each run a node
 * with its own data directory (an H2 store and a TLS certificate made from its key), listening on loopback.
 * Each node knows only the manufacturer's address at first; they find each other, and every member then
 * publishes a shipment update that the others receive through Dandelion++ (private stem, then diffusion).
 * Then the shipment's life goes on the ledger: the four members validate, so the chain goes on with any one of
 * them down (n = 3f + 1: three validators would tolerate no failure), each step is committed with BFT finality,
 * the auditor checks every receipt against its own copy of the block, and a stale write fails. Lines that start
 * with {@code #} explain the figures of the lines after them.
 *
 * <p>Run: {@code mvn -B -q install -DskipTests && mvn -B -q -pl samples/localnet exec:java}. The visualizer
 * comes next; today the sample prints what happens.
 */
public final class LocalNetwork {
  private static final List<String> MEMBERS = List.of("manufacturer", "carrier", "retailer", "auditor");
  private static final String TOPIC = "shipment-updates";
  private static final String SHIPMENT = "shipment/42";

  private LocalNetwork() {}

  public static void main(String[] args) throws Exception {
    run(Paths.get(args.length > 0 ? args[0] : "target/localnet-data"), System.out);
  }

  /** Runs the demo with its data directories under {@code dataDir}, reporting to {@code out}. */
  static void run(Path dataDir, PrintStream out) throws IOException, InterruptedException, TimeoutException {
    // Keys persist in the data directory: a second run reuses them and the nodes' stores and certificates.
    Files.createDirectories(dataDir);
    List<KeyPair> keys = new ArrayList<>();
    List<Member> members = new ArrayList<>();
    for (String name : MEMBERS) {
      Path keyFile = dataDir.resolve(name + ".key");
      KeyPair key = Files.exists(keyFile) ? KeyPair.load(keyFile) : KeyPair.generate();
      if (!Files.exists(keyFile)) {
        key.save(keyFile);
      }
      keys.add(key);
      members.add(Member.of(name, key.nodeId(), Role.VALIDATOR));
    }
    Map<AccountId, Amount> balances = new TreeMap<>();
    keys.forEach(k -> balances.put(k.accountId(), Amount.of(1_000_000))); // enough for a lifetime of fees
    Genesis genesis = new Genesis("supply-chain-local", Instant.parse("2026-01-01T00:00:00Z"), true, members,
        ConsensusParameters.DEFAULTS, IncentivePolicy.standard(keys.get(3).accountId(), IncentivePolicy.Subsidy.constant(Amount.of(1_000))),
        balances);
    out.printf("chain %s, genesis %s: %d validators, %d needed to decide a block, so %d may fail (n = 3f + 1)%n", genesis.chainId(),
        genesis.hash().toHex().substring(0, 16), genesis.validators().size(), genesis.validators().quorum(),
        genesis.validators().tolerated());

    List<Node> nodes = new ArrayList<>();
    Map<String, List<String>> heard = new ConcurrentHashMap<>();
    try {
      for (int i = 0; i < MEMBERS.size(); i++) {
        String name = MEMBERS.get(i);
        // [readme]
        NodeOptions options = new NodeOptions().setDataDir(dataDir.resolve(name)).setListenHost("127.0.0.1").setListenPort(0)
            .setKeepAliveInterval(Duration.ofMillis(250)); // pings measure each peer's latency
        if (i > 0) {
          options.addPeer("127.0.0.1:" + nodes.get(0).status().port()); // everyone knows the manufacturer
        }
        Node node = Node.builder().options(options).genesis(genesis).identity(keys.get(i))
            .spreading(Spreading.dandelionPlusPlus().with("embargoMin", "1s").with("embargoMean", "500ms"))
            .build();
        node.propagator().subscribe(TOPIC, g -> heard.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>())
            .add(new String(g.body(), StandardCharsets.UTF_8)));
        node.start().await(30, TimeUnit.SECONDS);
        // [/readme]
        nodes.add(node);
        out.printf("%-12s %s listens on port %d%n", name, node.id().toHex().substring(0, 16), node.status().port());
      }

      await("every node to connect to every other and measure its latency", () -> nodes.stream().allMatch(n ->
          n.status().peers().size() == MEMBERS.size() - 1 && n.status().peers().stream().noneMatch(p -> p.latency().isZero())));
      out.println("overlay complete: every node has " + (MEMBERS.size() - 1) + " peers");

      for (int i = 0; i < MEMBERS.size(); i++) {
        nodes.get(i).propagator().publish(TOPIC, (MEMBERS.get(i) + ": shipment-42 checkpoint " + (i + 1)).getBytes(StandardCharsets.UTF_8));
      }
      await("every update at every other node", () -> MEMBERS.stream().allMatch(m -> heard.getOrDefault(m, List.of()).size() == MEMBERS.size() - 1));

      out.println("# each member published one update. Dandelion++ passes an update privately along a \"stem\" first, one peer");
      out.println("# at a time (which hides who published it), then spreads it in public (\"fluff\": peers announce it, and");
      out.println("# those that lack it ask for it). Per member: the updates it heard, on a stem or in public; its peers' last");
      out.println("# ping round trip; the full-message frames it received/sent in public (\"payloads in/out\") and along stems");
      out.println("# (\"stem in/out\"), copies it already had included. On four nodes a stem can pass every member before the");
      out.println("# update fluffs, so payloads may be 0.");
      for (int i = 0; i < MEMBERS.size(); i++) {
        NodeStatus s = nodes.get(i).status();
        PropagationStats.Counts payloads = nodes.get(i).propagator().stats().of(PropagationStats.Kind.PAYLOAD);
        PropagationStats.Counts stems = nodes.get(i).propagator().stats().of(PropagationStats.Kind.STEM);
        out.printf("%-12s heard %d updates %s; %d peers (latency %s); payloads in/out %d/%d, stem in/out %d/%d%n",
            MEMBERS.get(i), heard.get(MEMBERS.get(i)).size(), heard.get(MEMBERS.get(i)).stream().sorted().toList(), s.peers().size(),
            s.peers().stream().map(p -> p.latency().toNanos() / 1000 + " µs").toList(), payloads.received(), payloads.sent(), stems.received(),
            stems.sent());
      }

      shipmentOnTheLedger(genesis, keys, nodes, out);
      incentives(keys, nodes.get(3).ledger(), out);
    } finally {
      Future.join(nodes.stream().map(Node::stop).toList()).await(30, TimeUnit.SECONDS);
      out.println("all nodes stopped; data under " + dataDir);
    }
  }

  /**
   * The shipment's life on the ledger: the manufacturer, carrier and retailer each record a step as a DATA
   * write that expects the version before it (optimistic concurrency), wait until it is final, and the auditor
   * checks each receipt against its own copy of the block. A late write that expects an old version fails.
   */
  private static void shipmentOnTheLedger(Genesis genesis, List<KeyPair> keys, List<Node> nodes, PrintStream out)
      throws InterruptedException, TimeoutException {
    Ledger auditor = nodes.get(3).ledger();
    long version = auditor.current(SHIPMENT).await(30, TimeUnit.SECONDS).map(DataEntry::version).orElse(0L);
    List<Receipt> seenByAuditor = new CopyOnWriteArrayList<>();
    Ledger.Subscription sub = auditor.onTransaction(auditor.height() + 1, seenByAuditor::add);
    String[] steps = {"packed at the plant", "picked up by the carrier", "received at the store"};
    out.println("# each write expects the key's current version (v); it is final once a block holding it is committed and");
    out.println("# stored: its receipt names the block and the transaction's index in it. The auditor checks the receipt's");
    out.println("# Merkle proof against its own copy of that block, and the block's commit certificate: the precommit");
    out.println("# signatures of at least " + genesis.validators().quorum() + " of the " + genesis.validators().size() + " validators.");
    for (int i = 0; i < steps.length; i++) {
      Ledger ledger = nodes.get(i).ledger();
      KeyPair key = keys.get(i);
      // [readme-ledger]
      long nonce = ledger.nextNonce(key.accountId()).await(30, TimeUnit.SECONDS); // counts its pending ones too
      Transaction tx = Transaction.sign(genesis.chainId(), key, nonce, Amount.of(1),
          Payload.DataWrite.ifVersion(SHIPMENT, steps[i].getBytes(StandardCharsets.UTF_8), version)); // optimistic concurrency
      Receipt receipt = ledger.submit(tx).await(30, TimeUnit.SECONDS); // final: BFT-committed and stored
      // [/readme-ledger]
      version++;
      await("the auditor to store block " + receipt.height(), () -> auditor.height() >= receipt.height()); // final there too, a moment later
      Block block = auditor.block(receipt.height()).await(30, TimeUnit.SECONDS).orElseThrow();
      boolean checks = receipt.verify(block.header()).valid() && block.verify(genesis.validators()).valid();
      out.printf("%-12s wrote %s v%d \"%s\": final in block %d at index %d; the auditor's copy %s (%d precommits)%n",
          MEMBERS.get(i), SHIPMENT, version, steps[i], receipt.height(), receipt.index(), checks ? "verifies" : "DOES NOT VERIFY",
          block.certificate().signatures().size());
    }
    // The carrier, working from an old read, tries to overwrite the retailer's step.
    out.println("# a write from a stale read is refused in a block (its fee is paid): the key moved on. The auditor's history");
    out.println("# lists the key's versions; its block subscription saw every transaction, the refused one too.");
    KeyPair carrier = keys.get(1);
    long nonce = nodes.get(1).ledger().account(carrier.accountId()).await(30, TimeUnit.SECONDS).nextNonce();
    Transaction late = Transaction.sign(genesis.chainId(), carrier, nonce, Amount.of(1),
        Payload.DataWrite.ifVersion(SHIPMENT, "lost in transit".getBytes(StandardCharsets.UTF_8), version - 1));
    try {
      nodes.get(1).ledger().submit(late).await(30, TimeUnit.SECONDS);
      out.println("carrier      late write applied (unexpected)");
    } catch (TransactionRejectedException e) {
      out.printf("carrier      late write refused in block %d: %s%n", e.receipt().map(Receipt::height).orElse(0L), e.reason());
    }
    List<DataEntry> history = auditor.history(SHIPMENT, 0, 100).await(30, TimeUnit.SECONDS);
    await("the auditor's subscription to see all four transactions", () -> seenByAuditor.size() >= 4);
    out.printf("auditor      %s history: %s; its subscription saw %d transactions final (%d applied, %d failed)%n", SHIPMENT,
        history.stream().map(e -> "v" + e.version() + " " + new String(e.value(), StandardCharsets.UTF_8)).toList(), seenByAuditor.size(),
        seenByAuditor.stream().filter(Receipt::accepted).count(), seenByAuditor.stream().filter(r -> !r.accepted()).count());
    sub.close();
  }

  /** What the chain paid so far, as the auditor's node reads it from its ledger. */
  private static void incentives(List<KeyPair> keys, Ledger ledger, PrintStream out) throws InterruptedException, TimeoutException {
    out.println("# incentives (docs/incentives.md): every block mints 1,000 units; 600 go to the validators whose precommits the");
    out.println("# next block carries, 200 to the treasury (here the auditor's account), 100 to each service-node pool (this");
    out.println("# network has no service node: the treasury gets those at each epoch's end). Balances add up to the supply.");
    IncentiveReport report = ledger.incentives().await(30, TimeUnit.SECONDS);
    List<String> earned = new ArrayList<>();
    for (int i = 0; i < MEMBERS.size(); i++) {
      earned.add(MEMBERS.get(i) + " " + report.epochRewards().getOrDefault(keys.get(i).accountId(), Amount.ZERO));
    }
    out.printf("incentives   after block %d: minted %s, supply %s; epoch %d so far: %s%n", report.height(), report.minted(),
        report.totalSupply(), report.epoch(), String.join(", ", earned));
  }

  private interface Condition {
    boolean holds();
  }

  private static void await(String what, Condition condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("gave up after 60 s waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
