package org.meshledger.samples.cli.client;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleProof;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.TransactionResult;

/**
 * A client of a node's operator API: one request per call, blocking, with a timeout. Answers come back as the JSON the
 * API sent; {@link NodeApiException} carries an error answer's status and message, or says the node was unreachable.
 */
public final class NodeClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** The most this client reads of an answer; a block of the largest size in hex fits with room. */
  private static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;

  private final URI base;
  private final Optional<String> token;
  private final Duration timeout;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

  /**
   * @param base the API's address, such as {@code http://127.0.0.1:7002}
   * @param token the bearer token, if the node asks for one
   * @param timeout how long one request may take (a submit waits until its transaction is final)
   */
  public NodeClient(URI base, Optional<String> token, Duration timeout) {
    this.base = Objects.requireNonNull(base, "base");
    if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
      throw new IllegalArgumentException("node address " + base + " is not an http:// or https:// URL with a host, such as http://127.0.0.1:7002");
    }
    this.token = Objects.requireNonNull(token, "token").filter(t -> !t.isBlank());
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  public JsonObject status() {
    return get("/v1/status");
  }

  public JsonObject account(String accountHex) {
    return get("/v1/accounts/" + accountHex);
  }

  public JsonObject current(String key) {
    return get("/v1/data/current?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8));
  }

  public JsonObject history(String key, long after, int limit) {
    return get("/v1/data/history?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "&after=" + after + "&limit=" + limit);
  }

  public JsonObject receipt(String transactionIdHex) {
    return get("/v1/transactions/" + transactionIdHex);
  }

  public JsonObject block(long height) {
    return get("/v1/blocks/" + height);
  }

  /** Submits {@code tx} and waits for its receipt; a rejection is a {@link NodeApiException} with status 422 and the reason. */
  public JsonObject submit(Transaction tx) {
    String body = new JsonObject().put("hex", HexFormat.of().formatHex(tx.encode())).encode();
    return send(request("/v1/transactions").POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build());
  }

  /** Rebuilds the receipt a {@code /v1/transactions} answer holds, from its canonical parts (transaction and proof). */
  public static Receipt receiptOf(JsonObject json) {
    HexFormat hex = HexFormat.of();
    Transaction tx = Transaction.decode(hex.parseHex(json.getJsonObject("transaction").getString("encoded")));
    TransactionResult.Outcome outcome = TransactionResult.Outcome.valueOf(json.getString("outcome"));
    return new Receipt(tx, json.getLong("height"), json.getInteger("index"), Hash.fromHex(json.getString("blockHash")),
        new TransactionResult(outcome, json.getString("reason")), MerkleProof.decode(hex.parseHex(json.getString("proof"))));
  }

  private JsonObject get(String path) {
    return send(request(path).GET().build());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).header("Accept", "application/json");
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  private JsonObject send(HttpRequest request) {
    HttpResponse<InputStream> response;
    String text;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES + 1); // bounded: a hostile server cannot make this client allocate more
        if (bytes.length > MAX_ANSWER_BYTES) {
          throw new NodeApiException(response.statusCode(), "the answer from " + base + " is over " + MAX_ANSWER_BYTES + " bytes");
        }
        text = new String(bytes, StandardCharsets.UTF_8);
      }
    } catch (HttpTimeoutException e) {
      throw new NodeApiException(0, "node at " + base + " did not answer " + request.method() + " " + request.uri().getPath() + " within "
          + timeout.toSeconds() + " s");
    } catch (ConnectException e) {
      throw new NodeApiException(0, "cannot reach a node at " + base + " (" + e.getMessage() + "): is it running, and is that its"
          + " http.port?");
    } catch (IOException e) {
      throw new NodeApiException(0, "talking to the node at " + base + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NodeApiException(0, "interrupted");
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (RuntimeException e) {
      throw new NodeApiException(response.statusCode(), "the answer from " + base + " is not the JSON of a Meshledger node (HTTP "
          + response.statusCode() + "): " + text.substring(0, Math.min(200, text.length())));
    }
    if (response.statusCode() != 200) {
      throw new NodeApiException(response.statusCode(), json.getString("error", "HTTP " + response.statusCode()), json);
    }
    return json;
  }
}
