package org.meshledger.samples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.meshledger.ConfigurationException;
import org.meshledger.NodeOptions;
import org.meshledger.chain.Amount;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code testnet}: N node directories, each whole on its own (key, genesis, config), so one can be copied to its host.
 * The first V nodes validate, the rest follow as observers.
 */
@Command(name = "testnet", mixinStandardHelpOptions = true, description = {"Writes N node directories: key, shared genesis, config.",
    "On one machine every node gets its own ports; with --hosts the nodes are spread over the hosts and dial each other there."})
final class TestnetCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--nodes", required = true, description = "how many nodes")
  int nodes;

  @Option(names = "--validators", description = "how many of them validate (default: all); 3f+1 tolerate f failures")
  Integer validators;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "the directory to create (must not exist or be empty)")
  Path out;

  @Option(names = "--hosts", split = ",", paramLabel = "HOST", description = "hosts to spread the nodes over, in turn (default: 127.0.0.1)")
  List<String> hosts;

  @Option(names = "--base-port", defaultValue = "7001", description = "first port; node k on a host takes base+2k (peers) and base+2k+1"
      + " (API); default ${DEFAULT-VALUE}")
  int basePort;

  @Option(names = "--chain-id", defaultValue = "meshledger-testnet", description = "the chain's name (default ${DEFAULT-VALUE})")
  String chainId;

  @Option(names = "--balance", defaultValue = "0", paramLabel = "UNITS", description = "each node's account starts with UNITS, to try"
      + " transfers with (default ${DEFAULT-VALUE})")
  long balance;

  @Override
  public Integer call() {
    boolean local = hosts == null;
    TestnetPlan plan = TestnetPlan.of(nodes, local ? List.of("127.0.0.1") : hosts, basePort); // checks --nodes first: --validators is judged by it
    int v = validators == null ? nodes : validators;
    if (v < 1 || v > nodes) {
      throw new ConfigurationException("--validators must be 1 to --nodes (" + nodes + "), got " + v);
    }
    if (balance < 0 || balance > Long.MAX_VALUE / nodes) {
      throw new ConfigurationException("--balance must be 0 to " + Long.MAX_VALUE / nodes + " units for " + nodes + " nodes (the supply must"
          + " fit a long), got " + balance);
    }
    checkEmpty(out);
    List<KeyPair> keys = new ArrayList<>();
    Genesis.Builder genesis = Genesis.builder(chainId).genesisTime(Instant.now());
    for (int i = 0; i < nodes; i++) {
      KeyPair key = KeyPair.generate();
      keys.add(key);
      genesis.member(plan.slots().get(i).name(), key.nodeId(), i < v ? Role.VALIDATOR : Role.OBSERVER);
      if (balance > 0) {
        genesis.balance(key.accountId(), Amount.of(balance));
      }
    }
    Genesis g = genesis.build();
    String genesisJson = g.toJson();
    for (int i = 0; i < nodes; i++) {
      TestnetPlan.Slot slot = plan.slots().get(i);
      Path dir = out.resolve(slot.name());
      keys.get(i).save(dir.resolve("node.key"));
      GenesisCommand.write(dir.resolve("genesis.json"), genesisJson, false);
      boolean loopback = NodeConfig.loopback(slot.host());
      NodeConfig config = new NodeConfig(slot.name(), dir.resolve("node.key"), dir.resolve("genesis.json"), dir.resolve("data"),
          loopback ? slot.host() : NodeOptions.DEFAULT_LISTEN_HOST, slot.p2pPort(), loopback ? Optional.empty() : Optional.of(slot.host()),
          plan.peersOf(i), "127.0.0.1", slot.httpPort(), Optional.empty(), NodeOptions.DEFAULT_SUBMIT_TIMEOUT);
      GenesisCommand.write(dir.resolve("node.json"), config.toJson(dir).encodePrettily() + "\n", false);
    }
    var o = spec.commandLine().getOut();
    o.println("wrote " + nodes + " nodes (" + v + " validators, tolerating " + g.validators().tolerated() + " failed) to " + out
        + "; chain '" + chainId + "', genesis hash " + g.hash().toHex());
    for (int i = 0; i < nodes; i++) {
      TestnetPlan.Slot s = plan.slots().get(i);
      o.printf("  %-8s %-10s peers %-22s api http://127.0.0.1:%d on %s  id %s%n", s.name(), i < v ? "validator" : "observer", s.p2pAddress(),
          s.httpPort(), s.host(), keys.get(i).nodeId().toHex());
    }
    o.println(local ? "start each: meshledger node --config " + out.resolve("node0").resolve("node.json") + " (and node1, ...)"
        : "copy each directory to its host, then there: meshledger node --config nodeN/node.json");
    return 0;
  }

  private static void checkEmpty(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new ConfigurationException("--out " + dir + " is a file, not a directory");
    }
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        throw new ConfigurationException("--out " + dir + " is not empty; testnet never overwrites keys: choose a new directory");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir, e);
    }
  }
}
