package org.meshledger.samples.supplychain;

import io.vertx.core.Future;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.meshledger.IncentivePolicy;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.Spreading;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;

/**
 * The four organisations on one machine: each has its key and its data directory (H2 store, TLS certificate made
 * from the key) under one directory, and runs a validator node on loopback; all four hold the genesis, written
 * beside them as {@code genesis.json} (what the auditor verifies against later, with no node running). Keys and
 * genesis persist, so a second run goes on with the same chain. Starting, stopping and restarting a node prints
 * what it does and how long it took.
 */
final class Consortium implements AutoCloseable {
  static final List<String> MEMBERS = List.of("manufacturer", "carrier", "retailer", "auditor");
  static final String MANUFACTURER = MEMBERS.get(0);
  /** The defaults, but a block at least every 500 ms with or without transactions, so a stopped node falls behind visibly. */
  private static final ConsensusParameters TIMING = new ConsensusParameters(Duration.ofSeconds(1), Duration.ofMillis(500),
      Duration.ofMillis(500), Duration.ofMillis(100), Duration.ofMillis(500), 5_000);

  private final Path dataDir;
  private final Genesis genesis;
  private final Map<String, KeyPair> keys;
  private final Map<String, Node> running = new LinkedHashMap<>();
  private final PrintStream out;

  private Consortium(Path dataDir, Genesis genesis, Map<String, KeyPair> keys, PrintStream out) {
    this.dataDir = dataDir;
    this.genesis = genesis;
    this.keys = keys;
    this.out = out;
  }

  /** Loads or makes each member's key and the genesis under {@code dataDir}; starts nothing. */
  static Consortium prepare(Path dataDir, PrintStream out) throws java.io.IOException {
    Files.createDirectories(dataDir);
    Map<String, KeyPair> keys = new LinkedHashMap<>();
    List<Member> members = new ArrayList<>();
    for (String name : MEMBERS) {
      Path keyFile = dataDir.resolve(name + ".key");
      if (!Files.exists(keyFile)) {
        KeyPair.generate().save(keyFile);
      }
      KeyPair key = KeyPair.load(keyFile);
      keys.put(name, key);
      members.add(Member.of(name, key.nodeId(), Role.VALIDATOR));
    }
    Path genesisFile = dataDir.resolve("genesis.json");
    Genesis genesis;
    if (Files.exists(genesisFile)) {
      genesis = Genesis.fromJson(genesisFile);
    } else {
      Map<AccountId, Amount> balances = new TreeMap<>();
      keys.values().forEach(k -> balances.put(k.accountId(), Amount.of(1_000_000))); // fees for a long life
      genesis = new Genesis("supply-chain", Instant.parse("2026-01-01T00:00:00Z"), true, members, TIMING,
          IncentivePolicy.feesTo(keys.get("auditor").accountId()), balances);
      Files.writeString(genesisFile, genesis.toJson());
    }
    return new Consortium(dataDir, genesis, keys, out);
  }

  Genesis genesis() {
    return genesis;
  }

  Path genesisFile() {
    return dataDir.resolve("genesis.json");
  }

  KeyPair key(String name) {
    return keys.get(name);
  }

  Node node(String name) {
    Node n = running.get(name);
    if (n == null) {
      throw new IllegalStateException(name + "'s node is not running");
    }
    return n;
  }

  List<Node> running() {
    return List.copyOf(running.values());
  }

  /** Starts every member's node in turn, each dialling those already up. */
  void startAll() throws InterruptedException, TimeoutException {
    for (int i = 0; i < MEMBERS.size(); i++) {
      out.printf("starting %d/%d: the %s's node ...%n", i + 1, MEMBERS.size(), MEMBERS.get(i));
      start(MEMBERS.get(i));
    }
  }

  /** Starts {@code name}'s node on its data directory (a restart resumes from its store); prints when it listens. */
  Node start(String name) throws InterruptedException, TimeoutException {
    long began = System.nanoTime();
    Path dir = dataDir.resolve(name);
    // [readme]
    NodeOptions options = new NodeOptions().setDataDir(dir).setListenHost("127.0.0.1").setListenPort(0);
    running.values().forEach(other -> options.addPeer("127.0.0.1:" + other.status().port())); // the members already up
    Node node = Node.builder().options(options).genesis(genesis).identity(keys.get(name))
        .spreading(Spreading.dandelionPlusPlus())          // transactions leave by a private stem first
        .validator(new CustodyRule(genesis, MANUFACTURER)) // the consortium's custody rule, on every node
        .build();
    node.onSyncProgress(p -> out.printf("  %-12s catching up: %s%n", name, p)); // e.g. "height 12 of 40 (30%), ..."
    node.start().await(30, TimeUnit.SECONDS);
    // [/readme]
    running.put(name, node);
    out.printf("  %-12s %s listens on 127.0.0.1:%d, at height %d (%d ms)%n", name, node.id().toHex().substring(0, 16),
        node.status().port(), node.status().height(), (System.nanoTime() - began) / 1_000_000);
    return node;
  }

  /** Stops {@code name}'s node; its store stays on disk. */
  void stop(String name) throws InterruptedException, TimeoutException {
    Node n = running.remove(name);
    if (n != null) {
      n.stop().await(30, TimeUnit.SECONDS);
    }
  }

  /** Stops every running node, together; waits up to 30 s for them. */
  @Override
  public void close() {
    List<Node> nodes = running();
    running.clear();
    try {
      Future.join(nodes.stream().map(Node::stop).toList()).await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the nodes did not stop within 30 s", e);
    }
  }
}
