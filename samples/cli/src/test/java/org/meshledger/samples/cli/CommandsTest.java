package org.meshledger.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.NodeId;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Role;

/** The file-making commands as a user runs them: their exit codes, their output and the files they leave. */
class CommandsTest {
  @TempDir
  Path dir;

  /** One run's exit code and output. */
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void keygenPrintsTheIdOfTheKeyItSavedAndNeverOverwritesOneUnlessForced() {
    Path file = dir.resolve("node.key");
    Run first = run("keygen", "--out", file.toString());
    assertThat(first.code()).isZero();
    assertThat(first.out().strip()).isEqualTo(KeyPair.load(file).nodeId().toHex());

    Run again = run("keygen", "--out", file.toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).startsWith("meshledger keygen: ").contains("already exists").contains("--force");
    assertThat(KeyPair.load(file).nodeId().toHex()).isEqualTo(first.out().strip());

    Run forced = run("keygen", "--out", file.toString(), "--force");
    assertThat(forced.code()).isZero();
    assertThat(forced.out().strip()).isNotEqualTo(first.out().strip()).isEqualTo(KeyPair.load(file).nodeId().toHex());
  }

  @Test
  void genesisFromPublicIdsAndRolesIsAGenesisFileTheNodeReads() {
    String a = KeyPair.generate().nodeId().toHex();
    String b = KeyPair.generate().nodeId().toHex();
    String t = KeyPair.generate().nodeId().toHex();
    Path out = dir.resolve("genesis.json");
    Run r = run("genesis", "--chain-id", "supply-chain", "--member", "manufacturer=" + a, "--member", "auditor=" + b + ":validator,observer",
        "--incentives", "fees", "--treasury", t, "--block-interval", "200ms", "--heartbeat", "5s", "--genesis-time", "2026-01-01T00:00:00Z",
        "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    Genesis g = Genesis.fromJson(out);
    assertThat(r.out()).contains(g.hash().toHex());
    assertThat(g.chainId()).isEqualTo("supply-chain");
    assertThat(g.members()).extracting(m -> m.name()).containsExactly("manufacturer", "auditor");
    assertThat(g.member(NodeId.fromHex(b)).orElseThrow().roles()).containsExactlyInAnyOrder(Role.VALIDATOR, Role.OBSERVER);
    assertThat(g.consensus().blockInterval().toMillis()).isEqualTo(200);
    assertThat(g.incentives().treasury()).isPresent();

    Run twice = run("genesis", "--chain-id", "x", "--member", "m=" + a, "--out", out.toString());
    assertThat(twice.code()).isEqualTo(1);
    assertThat(twice.err()).contains("already exists");
  }

  @Test
  void genesisNamesABadMemberAndAMissingTreasury() {
    Run badId = run("genesis", "--chain-id", "x", "--member", "m=abc");
    assertThat(badId.code()).isEqualTo(1);
    assertThat(badId.err()).contains("--member m=abc").contains("64 hex");
    Run badRole = run("genesis", "--chain-id", "x", "--member", "m=" + KeyPair.generate().nodeId().toHex() + ":boss");
    assertThat(badRole.err()).contains("unknown role 'boss'");
    Run noTreasury = run("genesis", "--chain-id", "x", "--member", "m=" + KeyPair.generate().nodeId().toHex(), "--incentives", "horizen");
    assertThat(noTreasury.code()).isEqualTo(1);
    assertThat(noTreasury.err()).contains("needs --treasury");
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(run().code()).isEqualTo(2);
    assertThat(run("testnet", "--out", dir.toString()).code()).isEqualTo(2); // --nodes missing
    assertThat(run("testnet", "--nodes", "four", "--out", dir.toString()).code()).isEqualTo(2);
    assertThat(run("genesis", "--chain-id", "x", "--member", "m=00", "--heartbeat", "soon").err()).contains("'soon' is not a duration");
  }

  @Test
  void testnetWritesWholeNodeDirectoriesWithDistinctPortsOnOneHost() throws Exception {
    Path net = dir.resolve("net");
    Run r = run("testnet", "--nodes", "5", "--validators", "4", "--out", net.toString(), "--base-port", "30001");
    assertThat(r.code()).as(r.err()).isZero();
    Set<Integer> ports = new HashSet<>();
    List<String> validators = new ArrayList<>();
    Genesis genesis = Genesis.fromJson(net.resolve("node0/genesis.json"));
    for (int i = 0; i < 5; i++) {
      Path nodeDir = net.resolve("node" + i);
      NodeConfig c = NodeConfig.read(nodeDir.resolve("node.json"));
      assertThat(c.keyFile()).isEqualTo(nodeDir.resolve("node.key"));
      assertThat(Genesis.fromJson(c.genesisFile()).hash()).isEqualTo(genesis.hash());
      assertThat(ports.add(c.p2pPort())).isTrue();
      assertThat(ports.add(c.httpPort())).isTrue();
      assertThat(c.httpLoopback()).isTrue();
      assertThat(c.peers()).hasSize(4).doesNotContain("127.0.0.1:" + c.p2pPort());
      NodeId id = KeyPair.load(c.keyFile()).nodeId();
      if (genesis.member(id).orElseThrow().has(Role.VALIDATOR)) {
        validators.add(c.name());
      }
    }
    assertThat(validators).containsExactly("node0", "node1", "node2", "node3");
    assertThat(genesis.balances()).as("no --balance: no account holds anything").isEmpty();

    Run again = run("testnet", "--nodes", "1", "--out", net.toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("is not empty");
  }

  @Test
  void testnetBalanceFundsEveryNodesAccountToTryTransfers() {
    Path net = dir.resolve("funded");
    Run r = run("testnet", "--nodes", "3", "--balance", "1000", "--out", net.toString());
    assertThat(r.code()).as(r.err()).isZero();
    Genesis genesis = Genesis.fromJson(net.resolve("node0/genesis.json"));
    for (int i = 0; i < 3; i++) {
      AccountId account = KeyPair.load(net.resolve("node" + i + "/node.key")).accountId();
      assertThat(genesis.balances()).containsEntry(account, Amount.of(1000));
    }
    assertThat(genesis.balances()).hasSize(3);

    Run negative = run("testnet", "--nodes", "3", "--balance", "-1", "--out", dir.resolve("negative").toString());
    assertThat(negative.code()).isEqualTo(1);
    assertThat(negative.err()).contains("--balance must be 0 to ").contains("got -1");
    Run overflow = run("testnet", "--nodes", "3", "--balance", Long.toString(Long.MAX_VALUE / 2), "--out", dir.resolve("rich").toString());
    assertThat(overflow.code()).isEqualTo(1);
    assertThat(overflow.err().strip()).isEqualTo("meshledger testnet: --balance must be 0 to " + Long.MAX_VALUE / 3
        + " units for 3 nodes (the supply must fit a long), got " + Long.MAX_VALUE / 2);
  }

  @Test
  void testnetNamesTheCountThatIsWrongAndWritesNothing() {
    Path net = dir.resolve("net");
    Run none = run("testnet", "--nodes", "0", "--out", net.toString());
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err().strip()).isEqualTo("meshledger testnet: --nodes must be 1 to 256, got 0");
    Run tooMany = run("testnet", "--nodes", "4", "--validators", "5", "--out", net.toString());
    assertThat(tooMany.code()).isEqualTo(1);
    assertThat(tooMany.err().strip()).isEqualTo("meshledger testnet: --validators must be 1 to --nodes (4), got 5");
    assertThat(net).doesNotExist();
  }

  @Test
  void testnetOverHostsAdvertisesEachHostAndListensOnEveryInterface() {
    Path net = dir.resolve("hosts");
    Run r = run("testnet", "--nodes", "4", "--out", net.toString(), "--hosts", "10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4", "--base-port", "26656");
    assertThat(r.code()).as(r.err()).isZero();
    NodeConfig c = NodeConfig.read(net.resolve("node2/node.json"));
    assertThat(c.p2pHost()).isEqualTo("0.0.0.0");
    assertThat(c.advertisedHost()).contains("10.0.0.3");
    assertThat(c.p2pPort()).isEqualTo(26656);
    assertThat(c.peers()).containsExactly("10.0.0.1:26656", "10.0.0.2:26656", "10.0.0.4:26656");
    assertThat(c.httpHost()).isEqualTo("127.0.0.1"); // the API stays on loopback until the operator gives it a token
    assertThat(Files.exists(net.resolve("node2/node.key"))).isTrue();
  }
}
