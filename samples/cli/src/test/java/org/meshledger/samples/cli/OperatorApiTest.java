package org.meshledger.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Role;
import org.meshledger.samples.cli.client.NodeApiException;
import org.meshledger.samples.cli.client.NodeClient;
import org.meshledger.samples.cli.http.OperatorApi;
import org.meshledger.spi.testsupport.Await;
import org.meshledger.spi.testsupport.TestGenesis;

/** The operator API over real HTTP on loopback, in front of a real one-validator node with a token. */
class OperatorApiTest {
  private static final String TOKEN = "a-test-token-of-32-characters-xx";

  @TempDir
  static Path dir;

  private static KeyPair key;
  private static Genesis genesis;
  private static RunningNode running;
  private static URI base;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    key = KeyPair.generate();
    key.save(dir.resolve("node.key"));
    genesis = Genesis.builder("cli-api-test").member("solo", key.nodeId(), Role.VALIDATOR).consensus(TestGenesis.FAST).build();
    Files.writeString(dir.resolve("genesis.json"), genesis.toJson());
    Files.writeString(dir.resolve("api.token"), TOKEN + "\n");
    NodeConfig config = new NodeConfig("solo", dir.resolve("node.key"), dir.resolve("genesis.json"), dir.resolve("data"), "127.0.0.1", 0,
        Optional.empty(), List.of(), "127.0.0.1", 0, Optional.of(dir.resolve("api.token")), Duration.ofSeconds(30));
    running = RunningNode.start(config);
    base = URI.create("http://127.0.0.1:" + running.httpPort());
    Await.await("the node is in sync", () -> running.node().status().sync() == org.meshledger.NodeStatus.SyncState.IN_SYNC);
  }

  @AfterAll
  static void stop() {
    if (running != null) {
      running.close();
    }
  }

  private static NodeClient client() {
    return new NodeClient(base, Optional.of(TOKEN), Duration.ofSeconds(60));
  }

  private static HttpResponse<String> raw(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static HttpRequest.Builder at(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
  }

  @Test
  void healthNeedsNoTokenAndSaysInSync() throws Exception {
    HttpResponse<String> r = raw(at("/health"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getString("status")).isEqualTo("IN_SYNC");
  }

  @Test
  void everyOtherRouteNeedsTheToken() throws Exception {
    for (String path : List.of("/v1/status", "/metrics", "/v1/blocks/1", "/v1/nothing-here")) {
      HttpResponse<String> none = raw(at(path));
      assertThat(none.statusCode()).as(path).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
      assertThat(new JsonObject(none.body()).getString("error")).contains("Authorization: Bearer");
      HttpResponse<String> wrong = raw(at(path).header("Authorization", "Bearer " + TOKEN.substring(1) + "y"));
      assertThat(wrong.statusCode()).as(path).isEqualTo(401);
    }
    assertThatThrownBy(() -> new NodeClient(base, Optional.empty(), Duration.ofSeconds(10)).status()).isInstanceOf(NodeApiException.class)
        .satisfies(e -> assertThat(((NodeApiException) e).status()).isEqualTo(401));
  }

  @Test
  void statusNamesTheChainAndTheNode() {
    JsonObject s = client().status();
    assertThat(s.getString("id")).isEqualTo(key.nodeId().toHex());
    assertThat(s.getString("chainId")).isEqualTo("cli-api-test");
    assertThat(s.getString("genesisHash")).isEqualTo(genesis.hash().toHex());
    assertThat(s.getJsonObject("quorum").getInteger("validators")).isEqualTo(1);
  }

  @Test
  void aSubmittedWriteComesBackAsAReceiptThatVerifiesAgainstItsBlock() {
    NodeClient c = client();
    long nonce = c.account(key.accountId().toHex()).getLong("nextNonce");
    Transaction tx = Transaction.sign(genesis.chainId(), key, nonce, Amount.ZERO, Payload.DataWrite.of("api/greeting", "hello".getBytes(StandardCharsets.UTF_8)));
    JsonObject answer = c.submit(tx);
    assertThat(answer.getString("outcome")).isEqualTo("ACCEPTED");
    Receipt receipt = NodeClient.receiptOf(answer);
    Block block = Block.decode(HexFormat.of().parseHex(c.block(receipt.height()).getString("encoded")));
    assertThat(block.verify(genesis.validators()).valid()).isTrue();
    assertThat(receipt.verify(block.header()).valid()).isTrue();
    assertThat(NodeClient.receiptOf(c.receipt(tx.id().toHex())).transactionId()).isEqualTo(tx.id());

    JsonObject current = c.current("api/greeting");
    assertThat(current.getString("value")).isEqualTo("hello");
    assertThat(c.history("api/greeting", 0, 10).getJsonArray("entries")).hasSize(1);
  }

  @Test
  void aStaleWriteIsRefusedWithItsReasonAndItsReceipt() {
    NodeClient c = client();
    long nonce = c.account(key.accountId().toHex()).getLong("nextNonce");
    Transaction tx = Transaction.sign(genesis.chainId(), key, nonce, Amount.ZERO,
        Payload.DataWrite.ifVersion("api/stale", new byte[] {1}, 7));
    assertThatThrownBy(() -> c.submit(tx)).isInstanceOf(NodeApiException.class).satisfies(e -> {
      NodeApiException n = (NodeApiException) e;
      assertThat(n.status()).isEqualTo(422);
      assertThat(n.getMessage()).contains("stale write");
      assertThat(n.answer().orElseThrow().getJsonObject("receipt").getString("outcome")).isEqualTo("FAILED");
    });
  }

  @Test
  void badInputGetsAJsonErrorNamingIt() throws Exception {
    record Case(HttpRequest.Builder request, int status, String says) {}
    String auth = "Bearer " + TOKEN;
    List<Case> cases = List.of(
        new Case(at("/v1/blocks/0"), 400, "height must be a whole number of at least 1"),
        new Case(at("/v1/blocks/99999999"), 404, "no block 99999999"),
        new Case(at("/v1/transactions/abcd"), 400, "id"),
        new Case(at("/v1/transactions/" + "00".repeat(32)), 404, "no final transaction"),
        new Case(at("/v1/accounts/xyz"), 400, "account id"),
        new Case(at("/v1/data/current"), 400, "'key' is missing"),
        new Case(at("/v1/data/current?key=never-written"), 404, "has no value"),
        new Case(at("/v1/data/history?key=k&limit=5000"), 400, "at most 1000"),
        new Case(at("/v1/transactions").POST(HttpRequest.BodyPublishers.ofString("not json")), 400, "JSON object"),
        new Case(at("/v1/transactions").POST(HttpRequest.BodyPublishers.ofString("{\"hex\":\"00ff\"}")), 400, "not a transaction"),
        new Case(at("/v1/transactions").POST(HttpRequest.BodyPublishers.ofString("{\"base64\":\"@@@\"}")), 400, "not a transaction"),
        new Case(at("/v1/transactions").POST(HttpRequest.BodyPublishers.ofString("{\"tx\":\"00\"}")), 400, "one field"),
        new Case(at("/v1/transactions").POST(HttpRequest.BodyPublishers.ofString("{\"hex\":\"" + "0".repeat(OperatorApi.MAX_BODY_BYTES) + "\"}")),
            413, "request body over"));
    for (Case c : cases) {
      HttpResponse<String> r = raw(c.request().header("Authorization", auth));
      assertThat(r.statusCode()).as("%s %s: %s", r.request().method(), r.request().uri(), r.body()).isEqualTo(c.status());
      assertThat(new JsonObject(r.body()).getString("error")).as(r.request().uri().toString()).contains(c.says());
    }
  }

  @Test
  void metricsArePrometheusTextWithTheNodesMeters() throws Exception {
    HttpResponse<String> r = raw(at("/metrics").header("Authorization", "Bearer " + TOKEN));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(r.body()).contains("# TYPE meshledger_");
  }

  @Test
  void anUnreachableNodeIsNamedWithTheFix() {
    NodeClient nowhere = new NodeClient(URI.create("http://127.0.0.1:1"), Optional.empty(), Duration.ofSeconds(5));
    assertThatThrownBy(nowhere::status).isInstanceOf(NodeApiException.class).hasMessageContaining("cannot reach a node at http://127.0.0.1:1");
  }

  @Test
  void aSecondNodeOnTheSamePortsIsRefusedNamingThePort() throws Exception {
    Path other = dir.resolve("other");
    key.save(other.resolve("node.key")); // a member's key: the config is right, only its API port is taken
    NodeConfig clash = new NodeConfig("clash", other.resolve("node.key"), dir.resolve("genesis.json"), other.resolve("data"), "127.0.0.1", 0,
        Optional.empty(), List.of(), "127.0.0.1", running.httpPort(), Optional.empty(), Duration.ofSeconds(30));
    assertThatThrownBy(() -> RunningNode.start(clash)).isInstanceOf(org.meshledger.ConfigurationException.class)
        .hasMessageContaining("http address 127.0.0.1:" + running.httpPort() + " is not free");
  }
}
