package org.meshledger.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.chain.Block;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.ReceiptProof;
import org.meshledger.genesis.Genesis;
import org.meshledger.samples.cli.client.NodeClient;
import org.meshledger.spi.testsupport.Await;

/**
 * The CLI as an operator uses it, with real processes: {@code testnet} writes four validators, four {@code node} JVMs
 * run them, {@code submit} goes through the CLI, one node dies by SIGKILL while more is submitted, and once restarted
 * it catches up and serves receipts that verify against block headers whose certificates verify against the genesis.
 */
class CliNetworkIT {
  private static final int NODES = 4;
  private static final Duration UP = Duration.ofSeconds(60);
  private static final Pattern FINAL = Pattern.compile("final: transaction ([0-9a-f]{64}) ACCEPTED in block (\\d+)");

  @TempDir
  Path dir;

  private final Process[] processes = new Process[NODES];
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private int basePort;

  @AfterEach
  void stopAll() {
    for (Process p : processes) {
      if (p != null) {
        p.toHandle().destroyForcibly();
      }
    }
    for (Process p : processes) {
      if (p != null) {
        p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
      }
    }
  }

  @Test
  void fourNodeProcessesSurviveAKillAndTheRestartedOneCatchesUpWithVerifiableReceipts() throws Exception {
    basePort = Ports.freeRange(2 * NODES);
    Path net = dir.resolve("net");
    CommandsTest.Run testnet = CommandsTest.run("testnet", "--nodes", "4", "--out", net.toString(), "--base-port", Integer.toString(basePort));
    assertThat(testnet.code()).as(testnet.err()).isZero();
    Genesis genesis = Genesis.fromJson(net.resolve("node0/genesis.json"));
    try {
      for (int i = 0; i < NODES; i++) {
        launch(i);
      }
      for (int i = 0; i < NODES; i++) {
        awaitHealthy(i);
      }
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ids.add(submit(i, "before-" + i, "value " + i)); // through three different nodes, each signing with its own key
      }

      processes[3].toHandle().destroyForcibly(); // SIGKILL
      assertThat(processes[3].onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
      for (int i = 0; i < 3; i++) {
        ids.add(submit(0, "while-down-" + i, "value " + i)); // three of four validators are a quorum
      }
      long target = client(0).status().getLong("height");

      launch(3);
      awaitHealthy(3);
      NodeClient restarted = client(3);
      Await.until("node3 catches up to height " + target, UP, () -> restarted.status().getLong("height") >= target,
          () -> "node3 at " + restarted.status().getLong("height"));

      List<ReceiptProof> proofs = new ArrayList<>();
      for (String id : ids) {
        Receipt receipt = NodeClient.receiptOf(restarted.receipt(id));
        Block block = Block.decode(HexFormat.of().parseHex(restarted.block(receipt.height()).getString("encoded")));
        assertThat(block.verify(genesis.validators()).valid()).as("block %d verifies against the genesis validators", block.height()).isTrue();
        assertThat(receipt.verify(block.header()).valid()).as("receipt of %s verifies against its header", id).isTrue();
        assertThat(receipt.accepted()).isTrue();
        proofs.add(ReceiptProof.of(receipt, block));
      }
      // The auditor's export, checked offline by the CLI against the genesis alone; a forged copy fails.
      Path proofFile = dir.resolve("proofs.json");
      ReceiptProof.write(proofFile, proofs);
      Path genesisFile = dir.resolve("net/node0/genesis.json");
      StringWriter verified = new StringWriter();
      assertThat(Main.run(new PrintWriter(verified), new PrintWriter(new StringWriter()), "verify", "--genesis", genesisFile.toString(),
          proofFile.toString())).as("meshledger verify: %s", verified).isZero();
      assertThat(verified.toString()).contains(proofs.size() + " of " + proofs.size() + " proofs hold");
      ReceiptProof first = proofs.get(0);
      CommitCertificate c = first.certificate();
      ReceiptProof forged = new ReceiptProof(first.receipt(), first.header(),
          new CommitCertificate(c.height(), c.round(), c.blockHash(), c.signatures().subList(0, 1))); // one signer: no quorum
      Path forgedFile = dir.resolve("forged.json");
      ReceiptProof.write(forgedFile, List.of(forged));
      StringWriter refused = new StringWriter();
      assertThat(Main.run(new PrintWriter(refused), new PrintWriter(new StringWriter()), "verify", "--genesis", genesisFile.toString(),
          forgedFile.toString())).as("meshledger verify of a forged proof: %s", refused).isEqualTo(1);
      assertThat(refused.toString()).contains("FAILED proof 1");
      JsonObject value = client(3).current("while-down-2");
      assertThat(value.getString("value")).isEqualTo("value 2");

      processes[0].destroy(); // SIGTERM: the shutdown hook stops the node cleanly
      assertThat(processes[0].waitFor(30, TimeUnit.SECONDS)).as("node0 exits within 30 s of SIGTERM").isTrue();
      Await.until("node0 logs its clean stop", Duration.ofSeconds(5), () -> log(0).contains("node node0 stopped"));
    } catch (Throwable t) {
      StringBuilder tails = new StringBuilder("the nodes' last log lines:");
      for (int i = 0; i < NODES; i++) {
        tails.append("\n  node").append(i).append(":\n").append(tail(i, 25));
      }
      throw new AssertionError(t.getMessage() + "\n" + tails, t);
    }
  }

  private void launch(int node) throws IOException {
    Path logFile = dir.resolve("node" + node + ".log");
    Files.writeString(logFile, "---- start\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "node", "--config", dir.resolve("net/node" + node + "/node.json").toString());
    processes[node] = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .start();
  }

  private URI api(int node) {
    return URI.create("http://127.0.0.1:" + (basePort + 2 * node + 1));
  }

  private NodeClient client(int node) {
    return new NodeClient(api(node), Optional.empty(), Duration.ofSeconds(60));
  }

  private void awaitHealthy(int node) {
    Await.until("node" + node + " answers /health with 200 (IN_SYNC)", UP, () -> {
      if (!processes[node].isAlive()) {
        throw new AssertionError("node" + node + " exited with " + processes[node].exitValue());
      }
      try {
        return http.send(HttpRequest.newBuilder(api(node).resolve("/health")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
      } catch (IOException e) {
        return false; // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    });
  }

  /** {@code meshledger submit put} through node {@code node}, signed with that node's key; returns the transaction id. */
  private String submit(int node, String key, String value) {
    CommandsTest.Run r = CommandsTest.run("submit", "put", "--node", api(node).toString(), "--key",
        dir.resolve("net/node" + node + "/node.key").toString(), key, value);
    assertThat(r.code()).as("submit %s through node%d: %s", key, node, r.err()).isZero();
    Matcher m = FINAL.matcher(r.out());
    assertThat(m.find()).as(r.out()).isTrue();
    return m.group(1);
  }

  private String log(int node) {
    try {
      return Files.readString(dir.resolve("node" + node + ".log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private String tail(int node, int lines) {
    List<String> all = log(node).lines().toList();
    return "    " + String.join("\n    ", all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
