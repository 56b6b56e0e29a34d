package org.meshledger.samples.visualizer;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The page's server, on loopback: the page and its script and the graph library (a WebJar read from the class path),
 * the update stream as server-sent events ({@code GET /events}), and one {@code POST /api/...} per button, which
 * queues the experiment on the demo's control thread and answers at once (the stream shows what follows).
 *
 * <p>Each stream is a {@link UpdateHub.Client}: it is written only while the connection takes more (the response's
 * write queue is not full); while it does not, the hub merges the client's updates and, past its cap, replaces them
 * with a snapshot, so a slow tab never grows the server's memory.
 */
final class WebServer {
  /** Updates a client may have waiting before it gets a snapshot instead. */
  static final int MAX_QUEUED = 256;
  /** Bytes the server buffers for one stream before it counts the client as behind. */
  static final int WRITE_QUEUE_BYTES = 64 * 1024;

  private static final Map<String, String[]> FILES = Map.of(
      "/", new String[] {"web/index.html", "text/html; charset=utf-8"},
      "/app.js", new String[] {"web/app.js", "text/javascript; charset=utf-8"},
      "/style.css", new String[] {"web/style.css", "text/css; charset=utf-8"},
      "/lib/cytoscape.min.js", new String[] {"META-INF/resources/webjars/cytoscape/3.33.1/dist/cytoscape.min.js",
          "text/javascript; charset=utf-8"});

  private final DemoNetwork net;
  private final StatusFeed feed;
  private final UpdateHub hub;
  private final Vertx vertx;
  private HttpServer server;

  WebServer(DemoNetwork net, StatusFeed feed, UpdateHub hub) {
    this.net = net;
    this.feed = feed;
    this.hub = hub;
    this.vertx = net.vertx();
  }

  /** Listens on 127.0.0.1:{@code port} (0: any free port); returns the port. */
  int start(int port) throws Exception {
    Router router = Router.router(vertx);
    FILES.forEach((path, file) -> {
      Buffer body = Buffer.buffer(resource(file[0]));
      router.get(path).handler(rc -> rc.response().putHeader("content-type", file[1]).putHeader("cache-control", "no-cache").end(body));
    });
    router.get("/events").handler(this::events);
    router.post("/api/:action").handler(this::action);
    router.post("/api/protocol/:name").handler(this::protocol);
    server = vertx.createHttpServer().requestHandler(router);
    return server.listen(port, "127.0.0.1").await(30, TimeUnit.SECONDS).actualPort();
  }

  void stop() throws Exception {
    if (server != null) {
      server.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static byte[] resource(String path) {
    try (InputStream in = WebServer.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("resource " + path + " is not on the class path: is the cytoscape WebJar a dependency?");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- the update stream -----------------------------------------------------------------------------------------

  private void events(RoutingContext rc) {
    HttpServerResponse r = rc.response();
    r.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache")
        .setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
    Context context = vertx.getOrCreateContext();
    UpdateHub.Client[] client = new UpdateHub.Client[1];
    Runnable[] flush = new Runnable[1];
    flush[0] = () -> {
      if (client[0] == null || r.closed() || r.ended()) {
        return;
      }
      if (r.writeQueueFull()) {
        r.drainHandler(v -> flush[0].run()); // meanwhile the hub merges and caps this client's queue
        return;
      }
      List<UpdateHub.Message> messages = client[0].drain();
      if (messages.isEmpty()) {
        return;
      }
      StringBuilder sb = new StringBuilder();
      for (UpdateHub.Message m : messages) {
        sb.append("id: ").append(m.seq()).append("\nevent: ").append(m.event()).append("\ndata: ").append(m.data().encode()).append("\n\n");
      }
      r.write(sb.toString());
    };
    r.closeHandler(v -> {
      if (client[0] != null) {
        client[0].close();
      }
    });
    r.write(": meshledger visualizer stream\n\n");
    client[0] = hub.connect(() -> context.runOnContext(v -> flush[0].run()));
  }

  // ---- the buttons -----------------------------------------------------------------------------------------------

  private void action(RoutingContext rc) {
    String action = rc.pathParam("action");
    switch (action) {
      case "add" -> queue(rc, "add a node", () -> say("added " + net.add().name));
      case "delete" -> queue(rc, "delete a random node", () -> say(net.deleteRandom().map(m -> "deleted " + m.name + " and its data")
          .orElse("no node can be deleted without stopping the chain")));
      case "kill" -> queue(rc, "kill a validator", () -> say(net.killValidator().map(m -> "killed " + m.name).orElse("no validator runs")));
      case "restart" -> queue(rc, "restart killed nodes", () -> say("restarted " + net.restartKilled().size() + " nodes"));
      case "partition" -> queue(rc, "partition", () -> {
        net.partition();
        say("partitioned");
      });
      case "heal" -> queue(rc, "heal", () -> {
        net.heal();
        say("healed");
      });
      case "submit" -> {
        net.load().submitOne().onFailure(e -> say("a transaction failed: " + e.getMessage()));
        ok(rc, "submitted");
      }
      case "load-start" -> {
        net.load().start(5);
        ok(rc, "load: 5 transactions a second");
      }
      case "load-stop" -> {
        net.load().stop();
        ok(rc, "load stopped");
      }
      case "gossip" -> {
        String id = feed.publishGossip();
        ok(rc, id.isEmpty() ? "no node is running" : "published " + id.substring(0, 12));
      }
      default -> rc.response().setStatusCode(404).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", "unknown action '" + cut(action) + "'").encode());
    }
  }

  private void protocol(RoutingContext rc) {
    String name = rc.pathParam("name");
    if (!DemoNetwork.PROTOCOLS.containsKey(name)) {
      rc.response().setStatusCode(400).putHeader("content-type", "application/json").end(new JsonObject()
          .put("error", "unknown spreading protocol '" + cut(name) + "': use one of " + DemoNetwork.PROTOCOLS.keySet()).encode());
      return;
    }
    queue(rc, "switch to " + name, () -> {
      say("restarting every node with " + name + ", one at a time");
      net.switchProtocol(name);
      say("every node spreads with " + name);
    });
  }

  private void queue(RoutingContext rc, String what, DemoNetwork.ThrowingRunnable action) {
    net.control(what, () -> {
      try {
        action.run();
      } catch (Exception e) {
        say(what + " failed: " + e.getMessage());
      }
    });
    ok(rc, what + ": queued");
  }

  private void ok(RoutingContext rc, String message) {
    rc.response().putHeader("content-type", "application/json").end(new JsonObject().put("ok", true).put("message", message).encode());
  }

  /** A line for the page's log panel (passing news). */
  void say(String line) {
    hub.event("log", new JsonObject().put("line", line));
  }

  private static String cut(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
