package org.meshledger.samples.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.meshledger.ConfigurationException;
import org.meshledger.Node;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.samples.cli.http.OperatorApi;

/**
 * A node run from a {@link NodeConfig}: its own Vert.x, the node deployed on it with a Prometheus registry as its
 * metrics plug-in, and the operator API beside it. The API listens first, so a port in use fails before the node
 * opens its store, and {@code /health} answers 503 while the node starts.
 */
public final class RunningNode implements AutoCloseable {
  private static final long START_SECONDS = 120;
  private static final long STOP_SECONDS = 30;

  private final NodeConfig config;
  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final Node node;
  private HttpServer http;

  private RunningNode(NodeConfig config, Vertx vertx, PrometheusMeterRegistry registry, Node node) {
    this.config = config;
    this.vertx = vertx;
    this.registry = registry;
    this.node = node;
  }

  /**
   * Loads the key and genesis, starts the API and then the node, and returns once the node runs.
   *
   * @throws ConfigurationException for a missing or bad key, genesis or token file, or a port in use
   */
  public static RunningNode start(NodeConfig config) {
    KeyPair key = KeyPair.load(config.keyFile());
    Genesis genesis = Genesis.fromJson(config.genesisFile());
    Optional<String> token = config.tokenFile().map(RunningNode::readToken);
    Vertx vertx = Vertx.vertx();
    RunningNode running = null;
    try {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      Node node = Node.builder().options(config.options()).genesis(genesis).identity(key).vertx(vertx).plugin(registry).build();
      running = new RunningNode(config, vertx, registry, node);
      OperatorApi api = new OperatorApi(node, config.name(), token, registry::scrape);
      running.http = await(api.listen(vertx, config.httpHost(), config.httpPort()), "http", config.httpHost() + ":" + config.httpPort());
      await(node.start(), "p2p", config.p2pHost() + ":" + config.p2pPort());
      return running;
    } catch (RuntimeException e) {
      if (running != null) {
        running.close();
      } else {
        vertx.close();
      }
      throw e;
    }
  }

  public Node node() {
    return node;
  }

  public NodeConfig config() {
    return config;
  }

  /** The port the operator API listens on (the actual one when the config said 0). */
  public int httpPort() {
    return http.actualPort();
  }

  /** Stops the API, then the node (its store closes cleanly), then Vert.x; waits at most half a minute for each. */
  @Override
  public void close() {
    try {
      if (http != null) {
        http.close().await(STOP_SECONDS, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      System.err.println("meshledger: closing the operator API: " + e);
    }
    try {
      node.stop().await(STOP_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("meshledger: stopping the node: " + e);
    }
    try {
      vertx.close().await(STOP_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("meshledger: closing Vert.x: " + e);
    }
    registry.close();
  }

  private static <T> T await(io.vertx.core.Future<T> f, String what, String address) {
    try {
      return f.await(START_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable root = e;
      while (root.getCause() != null && !(root instanceof BindException)) {
        root = root.getCause();
      }
      if (root instanceof BindException) {
        throw new ConfigurationException(what + " address " + address + " is not free (" + root.getMessage() + "): another process"
            + " (another node?) listens there; change " + what + ".port in the config", e);
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new ConfigurationException("starting " + what + " on " + address + " failed: " + e, e);
    }
  }

  private static String readToken(Path file) {
    try {
      if (Files.size(file) > 4096) {
        throw new ConfigurationException("token file " + file + " is over 4096 bytes; a token is one line");
      }
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.length() < 16) {
        throw new ConfigurationException("token file " + file + " holds " + token.length() + " characters; use at least 16 random ones"
            + " (for example: openssl rand -hex 32)");
      }
      return token;
    } catch (IOException e) {
      throw new ConfigurationException("cannot read token file " + file + ": " + e, e);
    }
  }
}
