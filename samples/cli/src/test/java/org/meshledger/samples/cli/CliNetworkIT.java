package org.meshledger.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
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
import org.meshledger.SyncProgress;
import org.meshledger.chain.Block;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.ReceiptProof;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.samples.cli.client.NodeClient;
import org.meshledger.spi.testsupport.Await;

/**
 * The CLI as an operator uses it, with real processes: {@code testnet} writes four funded validators, four {@code node}
 * JVMs run them, {@code submit put} and {@code submit transfer} go through the CLI, one node dies by SIGKILL while more
 * is submitted, and once restarted it catches up (its {@code /v1/sync} followed meanwhile), answers {@code status},
 * {@code get} and {@code /metrics} with what it caught up on, and serves receipts that verify against block headers
 * whose certificates verify against the genesis, as {@code verify} checks offline.
 */
class CliNetworkIT {
  private static final int NODES = 4;
  private static final long FUNDS = 1_000;
  private static final Duration UP = Duration.ofSeconds(60);
  private static final Pattern FINAL = Pattern.compile("final: transaction ([0-9a-f]{64}) ACCEPTED in block (\\d+)");

  @TempDir
  Path dir;

  private final Process[] processes = new Process[NODES];
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private int basePort;

  /** A transaction {@code submit} reported final: its id and the block it is in. */
  record Final(String id, long height) {}

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
    CommandsTest.Run testnet = CommandsTest.run("testnet", "--nodes", "4", "--out", net.toString(), "--base-port", Integer.toString(basePort),
        "--balance", Long.toString(FUNDS));
    assertThat(testnet.code()).as(testnet.err()).isZero();
    Genesis genesis = Genesis.fromJson(net.resolve("node0/genesis.json"));
    try {
      for (int i = 0; i < NODES; i++) {
        launch(i);
      }
      for (int i = 0; i < NODES; i++) {
        awaitHealthy(i);
      }
      List<Final> finals = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        finals.add(submit(i, "put", "before-" + i, "value " + i)); // through three different nodes, each signing with its own key
      }
      finals.add(submit(0, "transfer", account(1), "250")); // the testnet's --balance funded every node's account
      assertThat(get(0, "account", account(0)).getLong("balance")).isEqualTo(FUNDS - 250); // the CLI's get account
      assertThat(get(0, "account", account(1)).getLong("balance")).isEqualTo(FUNDS + 250);

      processes[3].toHandle().destroyForcibly(); // SIGKILL
      assertThat(processes[3].waitFor(30, TimeUnit.SECONDS)).as("node3 dies within 30 s of SIGKILL").isTrue();
      assertThat(processes[3].exitValue()).as("128 + SIGKILL: killed, not stopped").isEqualTo(137);
      assertThat(log(3)).as("no shutdown hook ran: the restart below recovers from a crash").doesNotContain("stopping node node3");
      for (int i = 0; i < 3; i++) {
        finals.add(submit(0, "put", "while-down-" + i, "value " + i)); // three of four validators are a quorum
      }
      long target = client(0).status().getLong("height");

      launch(3);
      List<JsonObject> progress = followSync(3, target);
      awaitHealthy(3);
      checkSyncAnswers(progress, target);
      assertThat(log(3).substring(log(3).lastIndexOf("---- start"))).as("the restarted node's log").contains("catching up: height")
          .contains("caught up at height");

      checkStatus(3, genesis, target);
      checkReads(3, finals);
      checkMetrics(3, target);

      // The receipts as `get transaction` and `get block` print them, exported and checked offline by `verify`.
      List<ReceiptProof> proofs = new ArrayList<>();
      for (Final f : finals) {
        JsonObject receiptJson = get(3, "transaction", f.id());
        assertThat(receiptJson.getString("transactionId")).isEqualTo(f.id());
        assertThat(receiptJson.getLong("height")).as("the block submit reported").isEqualTo(f.height());
        assertThat(receiptJson.getString("outcome")).isEqualTo("ACCEPTED");
        JsonObject blockJson = get(3, "block", Long.toString(f.height()));
        assertThat(blockJson.getLong("height")).isEqualTo(f.height());
        assertThat(blockJson.getJsonArray("transactions").stream().toList()).contains(f.id());
        Receipt receipt = NodeClient.receiptOf(receiptJson);
        Block block = Block.decode(HexFormat.of().parseHex(blockJson.getString("encoded")));
        assertThat(blockJson.getString("hash")).isEqualTo(block.hash().toHex()).isEqualTo(receipt.blockHash().toHex());
        assertThat(block.verify(genesis.validators()).valid()).as("block %d verifies against the genesis validators", block.height()).isTrue();
        assertThat(receipt.verify(block.header()).valid()).as("receipt of %s verifies against its header", f.id()).isTrue();
        proofs.add(ReceiptProof.of(receipt, block));
      }
      Path proofFile = dir.resolve("proofs.json");
      ReceiptProof.write(proofFile, proofs);
      Path genesisFile = dir.resolve("net/node0/genesis.json");
      CommandsTest.Run verified = CommandsTest.run("verify", "--genesis", genesisFile.toString(), proofFile.toString());
      assertThat(verified.code()).as("meshledger verify: %s%s", verified.out(), verified.err()).isZero();
      assertThat(verified.out()).contains(proofs.size() + " of " + proofs.size() + " proofs hold")
          .containsPattern("ok     proof 4: transaction " + finals.get(3).id() + " in block \\d+ at index \\d+, transfer; [34] of 4 validators signed");
      ReceiptProof first = proofs.get(0);
      CommitCertificate c = first.certificate();
      ReceiptProof forged = new ReceiptProof(first.receipt(), first.header(),
          new CommitCertificate(c.height(), c.round(), c.blockHash(), c.signatures().subList(0, 1))); // one signer: no quorum
      Path forgedFile = dir.resolve("forged.json");
      ReceiptProof.write(forgedFile, List.of(forged));
      CommandsTest.Run refused = CommandsTest.run("verify", "--genesis", genesisFile.toString(), forgedFile.toString());
      assertThat(refused.code()).as("meshledger verify of a forged proof: %s", refused.out()).isEqualTo(1);
      assertThat(refused.out()).contains("FAILED proof 1");

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

  /**
   * Polls {@code GET /v1/sync} of {@code node} from its start until it is in sync at {@code target} or above; returns
   * every distinct answer, in order (the catch-up itself may be over between two polls: a few blocks take milliseconds).
   */
  private List<JsonObject> followSync(int node, long target) {
    List<JsonObject> answers = new ArrayList<>();
    Await.until("node" + node + " in sync at height " + target + " by its /v1/sync", UP, () -> {
      if (!processes[node].isAlive()) {
        throw new AssertionError("node" + node + " exited with " + processes[node].exitValue());
      }
      HttpResponse<String> r;
      try {
        r = http.send(HttpRequest.newBuilder(api(node).resolve("/v1/sync")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        return false; // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      assertThat(r.statusCode()).as("GET /v1/sync: %s", r.body()).isEqualTo(200);
      JsonObject answer = new JsonObject(r.body());
      if (answers.isEmpty() || !answers.get(answers.size() - 1).equals(answer)) {
        answers.add(answer);
      }
      return answer.getString("sync").equals("IN_SYNC") && answer.getJsonObject("progress").getLong("height") >= target;
    }, () -> answers.isEmpty() ? "no answer" : answers.get(answers.size() - 1).encode());
    return answers;
  }

  /** Each {@code /v1/sync} answer holds together, and the last shows the node in sync at the chain's height. */
  private static void checkSyncAnswers(List<JsonObject> answers, long target) {
    for (JsonObject a : answers) {
      JsonObject p = a.getJsonObject("progress");
      assertThat(a.fieldNames()).as(a.encode()).containsExactlyInAnyOrder("sync", "fault", "progress");
      assertThat(p.fieldNames()).as(a.encode()).contains("height", "target", "remaining", "catchingUp", "blocksPerSecond",
          "transactionsPerSecond", "summary");
      long height = p.getLong("height");
      long claimed = p.getLong("target");
      assertThat(claimed).as(a.encode()).isGreaterThanOrEqualTo(height);
      assertThat(p.getLong("remaining")).as(a.encode()).isEqualTo(claimed - height);
      assertThat(p.getBoolean("catchingUp")).as(a.encode()).isEqualTo(claimed - height >= SyncProgress.CATCHING_UP_GAP);
      assertThat(p.getString("summary")).as(a.encode()).startsWith("height " + height + " of " + claimed);
      if (!a.getString("sync").equals("HALTED")) {
        assertThat(a.getString("sync").equals("BEHIND")).as("BEHIND exactly while catching up: %s", a.encode()).isEqualTo(p.getBoolean("catchingUp"));
      }
      assertThat(a.getString("fault").isEmpty()).as("a fault only with NO_QUORUM, STALLED or HALTED: %s", a.encode())
          .isEqualTo(a.getString("sync").equals("IN_SYNC") || a.getString("sync").equals("BEHIND"));
    }
    JsonObject last = answers.get(answers.size() - 1).getJsonObject("progress");
    assertThat(last.getLong("height")).isGreaterThanOrEqualTo(target);
    assertThat(last.getBoolean("catchingUp")).isFalse();
    assertThat(last.containsKey("etaSeconds")).as("no ETA once in sync: %s", last.encode()).isFalse();
  }

  /** {@code meshledger status} against {@code node}: its identity and chain, RUNNING and IN_SYNC, at the chain's height. */
  private void checkStatus(int node, Genesis genesis, long target) {
    CommandsTest.Run status = CommandsTest.run("status", "--node", api(node).toString());
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out()).startsWith("node" + node + " " + KeyPair.load(keyFile(node)).nodeId().toHex() + " [\"validator\"]")
        .contains("  chain    meshledger-testnet (genesis " + genesis.hash().toHex() + ")").contains("  state    RUNNING, IN_SYNC");
    Matcher height = Pattern.compile("  height   (\\d+); sync height (\\d+) of (\\d+)").matcher(status.out());
    assertThat(height.find()).as(status.out()).isTrue();
    assertThat(Long.parseLong(height.group(1))).as(status.out()).isGreaterThanOrEqualTo(target);
  }

  /** {@code meshledger get key} and {@code get history} against {@code node}: the values written, by whom, where. */
  private void checkReads(int node, List<Final> finals) {
    JsonObject value = get(node, "key", "while-down-2");
    Final written = finals.get(finals.size() - 1);
    assertThat(value.getString("value")).isEqualTo("value 2");
    assertThat(value.getLong("version")).isEqualTo(1);
    assertThat(value.getString("writer")).isEqualTo(account(0));
    assertThat(value.getString("transactionId")).isEqualTo(written.id());
    assertThat(value.getLong("height")).isEqualTo(written.height());

    Final again = submit(node, "put", "before-0", "value 0, again", "--if-version", "1"); // the restarted node takes writes
    JsonObject history = get(node, "history", "before-0");
    assertThat(history.getJsonArray("entries").stream().map(e -> (JsonObject) e).toList())
        .extracting(e -> e.getLong("version"), e -> e.getString("value"), e -> e.getString("writer"), e -> e.getString("transactionId"))
        .containsExactly(tuple(1L, "value 0", account(0), finals.get(0).id()), tuple(2L, "value 0, again", account(node), again.id()));
    CommandsTest.Run missing = CommandsTest.run("get", "key", "--node", api(node).toString(), "never-written");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("key 'never-written' has no value");
  }

  /** {@code GET /metrics} of the node process: Prometheus text with its meters, tagged with its id, at the chain's height. */
  private void checkMetrics(int node, long target) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(api(node).resolve("/metrics")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
    String tag = "{node=\"" + KeyPair.load(keyFile(node)).nodeId().toHex().substring(0, 16) + "\"}";
    assertThat(r.body()).contains("# TYPE meshledger_ledger_height gauge", "# TYPE meshledger_sync_target gauge");
    assertThat(gauge(r.body(), "meshledger_ledger_height" + tag)).isGreaterThanOrEqualTo(target);
    assertThat(gauge(r.body(), "meshledger_sync_target" + tag)).isGreaterThanOrEqualTo(target);
    assertThat(gauge(r.body(), "meshledger_mempool_transactions" + tag)).isZero();
  }

  private static double gauge(String exposition, String series) {
    return exposition.lines().filter(l -> l.startsWith(series + " ")).map(l -> Double.parseDouble(l.substring(series.length() + 1)))
        .findFirst().orElseThrow(() -> new AssertionError("no sample " + series + " in:\n" + exposition));
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

  /** {@code meshledger submit KIND args} through node {@code node}, signed with that node's key; what it reported final. */
  private Final submit(int node, String kind, String... args) {
    List<String> command = new ArrayList<>(List.of("submit", kind, "--node", api(node).toString(), "--key", keyFile(node).toString()));
    command.addAll(List.of(args));
    CommandsTest.Run r = CommandsTest.run(command.toArray(String[]::new));
    assertThat(r.code()).as("submit %s %s through node%d: %s", kind, args[0], node, r.err()).isZero();
    Matcher m = FINAL.matcher(r.out());
    assertThat(m.find()).as(r.out()).isTrue();
    return new Final(m.group(1), Long.parseLong(m.group(2)));
  }

  /** {@code meshledger get what arg} against node {@code node}: the JSON it prints. */
  private JsonObject get(int node, String what, String arg) {
    CommandsTest.Run r = CommandsTest.run("get", what, "--node", api(node).toString(), arg);
    assertThat(r.code()).as("get %s %s from node%d: %s", what, arg, node, r.err()).isZero();
    return new JsonObject(r.out());
  }

  private Path keyFile(int node) {
    return dir.resolve("net/node" + node + "/node.key");
  }

  private String account(int node) {
    return KeyPair.load(keyFile(node)).accountId().toHex();
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
