package org.meshledger.samples.cli.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.meshledger.Node;
import org.meshledger.NodeStatus;
import org.meshledger.SubmitTimeoutException;
import org.meshledger.TransactionRejectedException;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Limits;
import org.meshledger.chain.Transaction;
import org.meshledger.codec.DecodeException;

/**
 * A node's operator HTTP/JSON API, over the public API only ({@link Node}, its {@code Ledger} and {@code NodeStatus}).
 * Every route but {@code /health} asks for {@code Authorization: Bearer <token>} when a token is set; bodies are
 * bounded before they are read; every error is JSON {@code {"error": "..."}} with a status that says whose fault it
 * is (4xx the caller's, 5xx the node's). The routes and their answers are in {@code docs/operations.md}.
 */
public final class OperatorApi {
  /** The largest body {@code POST /v1/transactions} reads: a transaction's bound in base64 or hex, and a little JSON. */
  public static final int MAX_BODY_BYTES = 2 * Limits.MAX_TRANSACTION_BYTES + 1024;
  /** The most history entries one request returns. */
  public static final int MAX_HISTORY = 1000;
  private static final HexFormat HEX = HexFormat.of();

  private final Node node;
  private final String name;
  private final Optional<byte[]> token;
  private final Supplier<String> metrics;

  /**
   * @param node the node served; its future-returning reads complete on its own context, answers are written from there
   * @param name the node's label in status
   * @param token the bearer token every route but {@code /health} requires, or empty for none (loopback only: the caller checks)
   * @param metrics the Prometheus text exposition, called on a worker for each {@code GET /metrics}
   */
  public OperatorApi(Node node, String name, Optional<String> token, Supplier<String> metrics) {
    this.node = Objects.requireNonNull(node, "node");
    this.name = Objects.requireNonNull(name, "name");
    this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** Listens on {@code host:port} (0 for any free port); the future fails with the bind error, such as a port in use. */
  public Future<HttpServer> listen(Vertx vertx, String host, int port) {
    return vertx.createHttpServer(new HttpServerOptions().setMaxInitialLineLength(8192).setMaxHeaderSize(16 * 1024))
        .requestHandler(router(vertx)).listen(port, host);
  }

  Router router(Vertx vertx) {
    Router r = Router.router(vertx);
    r.get("/health").handler(this::health);
    r.route().handler(this::authorize);
    r.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    r.get("/metrics").handler(ctx -> vertx.executeBlocking(metrics::get).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(ar.result());
      } else {
        error(ctx, 500, "metrics failed: " + ar.cause());
      }
    }));
    r.get("/v1/status").handler(ctx -> ok(ctx, JsonViews.status(node.status(), node.genesis(), name)));
    r.get("/v1/sync").handler(ctx -> {
      NodeStatus s = node.status();
      ok(ctx, new JsonObject().put("sync", s.sync().name()).put("fault", s.fault()).put("progress", JsonViews.progress(s.progress())));
    });
    r.post("/v1/transactions").handler(this::submit);
    r.get("/v1/transactions/:id").handler(ctx -> hash(ctx, "id").ifPresent(id -> answer(ctx, node.ledger().receipt(id)
        .map(o -> o.map(JsonViews::receipt)), "no final transaction " + id.toHex() + " on this node (yet)")));
    r.get("/v1/blocks/:height").handler(ctx -> number(ctx, ctx.pathParam("height"), "height", 1).ifPresent(h -> answer(ctx,
        node.ledger().block(h).map(o -> o.map(JsonViews::block)), "no block " + h + " on this node; its height is " + node.ledger().height())));
    r.get("/v1/accounts/:id").handler(ctx -> {
      String id = ctx.pathParam("id");
      AccountId account;
      try {
        account = AccountId.fromHex(id);
      } catch (IllegalArgumentException e) {
        error(ctx, 400, "account id: " + e.getMessage());
        return;
      }
      Future.all(node.ledger().account(account), node.ledger().nextNonce(account)).onComplete(ar -> {
        if (ar.failed()) {
          failed(ctx, ar.cause());
        } else {
          JsonObject o = JsonViews.account(account.toHex(), ar.result().resultAt(0));
          ok(ctx, o.put("nextNonce", (Long) ar.result().resultAt(1)));
        }
      });
    });
    r.get("/v1/data/current").handler(ctx -> key(ctx).ifPresent(k -> answer(ctx, node.ledger().current(k).map(o -> o.map(JsonViews::entry)),
        "key '" + k + "' has no value")));
    r.get("/v1/data/history").handler(ctx -> key(ctx).ifPresent(k -> {
      String after = ctx.queryParams().get("after");
      String limit = ctx.queryParams().get("limit");
      Optional<Long> a = after == null ? Optional.of(0L) : number(ctx, after, "after", 0);
      Optional<Long> l = a.isEmpty() ? Optional.empty() : limit == null ? Optional.of(100L) : number(ctx, limit, "limit", 1);
      if (l.isEmpty()) {
        return;
      }
      if (l.get() > MAX_HISTORY) {
        error(ctx, 400, "limit is " + l.get() + "; at most " + MAX_HISTORY + " entries a request (page with after=<last version>)");
        return;
      }
      node.ledger().history(k, a.get(), (int) (long) l.get()).onComplete(ar -> {
        if (ar.failed()) {
          failed(ctx, ar.cause());
        } else {
          JsonArray entries = new JsonArray();
          ar.result().forEach(e -> entries.add(JsonViews.entry(e)));
          ok(ctx, new JsonObject().put("key", k).put("entries", entries));
        }
      });
    }));
    r.route().last().handler(ctx -> error(ctx, 404, "no such endpoint: " + ctx.request().method() + " " + ctx.request().path()
        + " (see docs/operations.md for the API)"));
    r.route().failureHandler(ctx -> {
      int code = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      String message = code == 413 ? "request body over " + MAX_BODY_BYTES + " bytes" : ctx.failure() != null ? ctx.failure().toString() : "HTTP " + code;
      error(ctx, code, message);
    });
    return r;
  }

  private void health(RoutingContext ctx) {
    NodeStatus s = node.status();
    boolean healthy = s.state() == NodeStatus.State.RUNNING && s.sync() == NodeStatus.SyncState.IN_SYNC;
    JsonObject body = new JsonObject().put("status", s.state() == NodeStatus.State.RUNNING ? s.sync().name() : s.state().name())
        .put("height", s.height());
    if (!s.fault().isEmpty()) {
      body.put("fault", s.fault());
    } else if (s.sync() == NodeStatus.SyncState.BEHIND) {
      body.put("fault", "catching up: " + s.progress());
    } else if (!healthy) {
      body.put("fault", "the node is " + s.state().name().toLowerCase(java.util.Locale.ROOT));
    }
    reply(ctx, healthy ? 200 : 503, body);
  }

  private void authorize(RoutingContext ctx) {
    if (token.isEmpty()) {
      ctx.next();
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    byte[] given = header != null && header.startsWith("Bearer ") ? header.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
    if (MessageDigest.isEqual(given, token.get())) { // constant time: no timing oracle for the token
      ctx.next();
    } else {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      error(ctx, 401, header == null ? "this API needs a token: send Authorization: Bearer <token>" : "wrong token");
    }
  }

  private void submit(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      error(ctx, 400, "the body must be a JSON object {\"hex\": \"...\"} or {\"base64\": \"...\"}: " + e.getMessage());
      return;
    }
    if (body == null || body.size() != 1 || !(body.getValue("hex") instanceof String || body.getValue("base64") instanceof String)) {
      error(ctx, 400, "the body must be a JSON object with one field: \"hex\" or \"base64\", the transaction's canonical encoding");
      return;
    }
    Transaction tx;
    try {
      byte[] bytes = body.containsKey("hex") ? HEX.parseHex(body.getString("hex")) : Base64.getDecoder().decode(body.getString("base64"));
      tx = Transaction.decode(bytes);
    } catch (IllegalArgumentException | DecodeException e) {
      error(ctx, 400, "not a transaction: " + e.getMessage());
      return;
    }
    node.ledger().submit(tx).onComplete(ar -> {
      if (ar.succeeded()) {
        ok(ctx, JsonViews.receipt(ar.result()));
      } else if (ar.cause() instanceof TransactionRejectedException rej) {
        JsonObject o = new JsonObject().put("error", rej.getMessage()).put("transactionId", rej.transactionId().toHex())
            .put("reason", rej.reason());
        rej.receipt().ifPresent(rc -> o.put("receipt", JsonViews.receipt(rc)));
        reply(ctx, 422, o);
      } else if (ar.cause() instanceof SubmitTimeoutException t) {
        reply(ctx, 504, new JsonObject().put("error", t.getMessage()).put("transactionId", t.transactionId().toHex()));
      } else {
        failed(ctx, ar.cause());
      }
    });
  }

  private void answer(RoutingContext ctx, Future<Optional<JsonObject>> f, String missing) {
    f.onComplete(ar -> {
      if (ar.failed()) {
        failed(ctx, ar.cause());
      } else if (ar.result().isPresent()) {
        ok(ctx, ar.result().get());
      } else {
        error(ctx, 404, missing);
      }
    });
  }

  private static Optional<String> key(RoutingContext ctx) {
    String k = ctx.queryParams().get("key");
    if (k == null || k.isEmpty()) {
      error(ctx, 400, "query parameter 'key' is missing");
      return Optional.empty();
    }
    if (k.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_DATA_KEY_BYTES) {
      error(ctx, 400, "key is over " + Limits.MAX_DATA_KEY_BYTES + " bytes, so no entry has it");
      return Optional.empty();
    }
    return Optional.of(k);
  }

  private static Optional<Hash> hash(RoutingContext ctx, String param) {
    try {
      return Optional.of(Hash.fromHex(ctx.pathParam(param)));
    } catch (IllegalArgumentException e) {
      error(ctx, 400, param + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<Long> number(RoutingContext ctx, String text, String what, long min) {
    try {
      long n = Long.parseLong(text);
      if (n >= min) {
        return Optional.of(n);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    error(ctx, 400, what + " must be a whole number of at least " + min + ", got '" + text + "'");
    return Optional.empty();
  }

  private static void failed(RoutingContext ctx, Throwable cause) {
    error(ctx, cause instanceof IllegalArgumentException ? 400 : 500, String.valueOf(cause.getMessage()));
  }

  private static void ok(RoutingContext ctx, JsonObject body) {
    reply(ctx, 200, body);
  }

  private static void error(RoutingContext ctx, int status, String message) {
    reply(ctx, status, new JsonObject().put("error", message));
  }

  private static void reply(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").end(body.encodePrettily() + "\n");
  }
}
