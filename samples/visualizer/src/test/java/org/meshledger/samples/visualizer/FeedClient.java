package org.meshledger.samples.visualizer;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

/**
 * The page without a browser: reads {@code GET /events} as {@code app.js} does (a snapshot, then numbered updates
 * applied to the state it draws: the nodes and the chain panel; the hops of spread messages in the order they came;
 * the log lines) and presses the buttons through the same {@code POST /api/...} requests. A test so asserts what a
 * person would see on the page.
 *
 * <p>Threading: the stream is read on the HTTP client's threads; every read here may come from any thread and sees
 * the state as of the last message applied.
 */
final class FeedClient implements AutoCloseable {
  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, JsonObject> state = new ConcurrentHashMap<>();
  private final List<JsonObject> hops = new CopyOnWriteArrayList<>();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private volatile Flow.Subscription subscription;
  private volatile long lastSeq;
  private volatile Throwable failure;
  // the message being read, on the client's thread
  private String event = "";
  private String data = "";

  private FeedClient(URI base) {
    this.base = base;
  }

  /** Opens the stream of the page served on 127.0.0.1:{@code port}; the snapshot follows shortly. */
  static FeedClient connect(int port) {
    FeedClient c = new FeedClient(URI.create("http://127.0.0.1:" + port));
    c.http.sendAsync(HttpRequest.newBuilder(c.base.resolve("/events")).GET().build(),
        HttpResponse.BodyHandlers.fromLineSubscriber(c.new Lines()));
    return c;
  }

  /** Presses a button: {@code POST /api/ACTION}; returns the server's answer, failing on anything but 200. */
  JsonObject post(String action) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/" + action)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("POST /api/" + action + " answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body());
  }

  /** The chain panel, empty before the first. */
  JsonObject chain() {
    return state.getOrDefault("chain", new JsonObject());
  }

  /** The nodes the page draws, by name (deleted nodes are gone). */
  Map<String, JsonObject> nodes() {
    Map<String, JsonObject> nodes = new TreeMap<>();
    state.forEach((k, v) -> {
      if (k.startsWith("node:")) {
        nodes.put(k.substring(5), v);
      }
    });
    return nodes;
  }

  /** The running nodes the page draws, by name. */
  Map<String, JsonObject> running() {
    Map<String, JsonObject> running = new TreeMap<>(nodes());
    running.values().removeIf(n -> !"running".equals(n.getString("life")));
    return running;
  }

  /** The hops of the spread message whose id starts with {@code id}, in the order the page would draw them. */
  List<JsonObject> hops(String id) {
    return hops.stream().filter(h -> id.startsWith(h.getString("gossip"))).toList();
  }

  /** The log panel's lines, oldest first. */
  List<String> log() {
    return List.copyOf(log);
  }

  /** What the page shows, for a failure message: each node's life, height, sync and rewards, then the panel. */
  String describe() {
    StringBuilder sb = new StringBuilder();
    nodes().forEach((name, n) -> sb.append("\n  ").append(name).append(' ').append(n.getString("life")).append(" h ").append(n.getLong("height"))
        .append(' ').append(n.getString("sync", "-")).append(" quorum ").append(n.getBoolean("quorum", false)).append(" rewards ")
        .append(n.getLong("balance")).append(" hasLastTx ").append(n.getBoolean("hasLastTx", false)));
    sb.append("\n  chain ").append(chain().encode()).append("\n  last log lines ")
        .append(log.subList(Math.max(0, log.size() - 5), log.size()));
    if (failure != null) {
      sb.append("\n  the stream failed: ").append(failure);
    }
    return sb.toString();
  }

  @Override
  public void close() {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }

  private void dispatch() {
    if (data.isEmpty()) {
      return;
    }
    JsonObject d = new JsonObject(data);
    long seq = d.getLong("seq");
    if ("snapshot".equals(event)) {
      state.clear();
      d.getJsonObject("state").forEach(e -> state.put(e.getKey(), (JsonObject) e.getValue()));
    } else if ("update".equals(event) && seq > lastSeq) {
      String key = d.getString("key");
      JsonObject value = d.getJsonObject("value");
      if (key.startsWith("hop:")) {
        hops.add(value.copy().put("seq", seq));
      } else if (key.equals("log")) {
        log.add(value.getString("line"));
      } else if (value == null) {
        state.remove(key);
      } else {
        state.put(key, value);
      }
    }
    lastSeq = Math.max(lastSeq, seq);
  }

  /** Server-sent events, line by line: {@code event:} and {@code data:} fields, a blank line ends a message. */
  private final class Lines implements Flow.Subscriber<String> {
    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      if (line.isEmpty()) {
        try {
          dispatch();
        } catch (RuntimeException e) {
          failure = e; // shown by describe(); the next messages are still read
        }
        event = "";
        data = "";
      } else if (line.startsWith("event: ")) {
        event = line.substring(7);
      } else if (line.startsWith("data: ")) {
        data = line.substring(6);
      }
    }

    @Override
    public void onError(Throwable t) {
      failure = t;
    }

    @Override
    public void onComplete() {
      failure = new IllegalStateException("the server ended the stream");
    }
  }
}
