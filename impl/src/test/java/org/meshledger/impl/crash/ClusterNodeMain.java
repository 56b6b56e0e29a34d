package org.meshledger.impl.crash;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.NodeStatus;
import org.meshledger.TransactionRejectedException;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;

/**
 * One node in a JVM of its own, as an operator runs it, for {@link ClusterCrashIT}:
 * {@code ClusterNodeMain --data DIR --key FILE --genesis FILE --port P [--peers host:port,...]}.
 *
 * <p>Its operator channel is line based. It prints {@code STARTED <port> <height>} once it listens, then
 * {@code HEIGHT <height> <peers> <sync> <mempool>} every 200 ms. On stdin it takes {@code SUBMIT <req> <tx hex>}
 * (answered by {@code RESULT <req> FINAL <tx> <height> <index> <block> <outcome>}, {@code RESULT <req> REFUSED
 * <reason>} or {@code RESULT <req> UNKNOWN <reason>}), {@code LOOKUP <req> <tx id hex>} (answered by
 * {@code FOUND <req> <tx> <height> <index> <block> <outcome>} or {@code FOUND <req> NONE}), and {@code STOP},
 * which stops the node cleanly and prints {@code STOPPED}. The end of stdin (the parent died) stops it too,
 * so no child outlives its test. Logs go to stderr.
 */
public final class ClusterNodeMain {
  private static final PrintStream OUT = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);

  private ClusterNodeMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    Genesis genesis = Genesis.fromJson(Path.of(a.get("--genesis")));
    NodeOptions options = new NodeOptions().setDataDir(Path.of(a.get("--data"))).setListenHost("127.0.0.1")
        .setListenPort(Integer.parseInt(a.get("--port")))
        .setKeepAliveInterval(Duration.ofMillis(500)).setIdleTimeout(Duration.ofSeconds(5))
        .setReconnectMin(Duration.ofMillis(50)).setReconnectMax(Duration.ofMillis(500));
    String peers = a.getOrDefault("--peers", "");
    Arrays.stream(peers.split(",")).filter(p -> !p.isBlank()).forEach(options::addPeer);
    Node node = Node.builder().options(options).genesis(genesis).identity(KeyPair.load(Path.of(a.get("--key")))).build();
    try {
      node.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      print("FAILED " + oneLine(String.valueOf(e.getCause() == null ? e : e.getCause())));
      node.close();
      System.exit(1);
    }
    print("STARTED " + node.status().port() + " " + node.status().height());
    Thread reporter = new Thread(() -> report(node), "height-reporter");
    reporter.setDaemon(true);
    reporter.start();
    serve(node);
    node.close();
    print("STOPPED");
    System.exit(0);
  }

  /** Prints the node's height five times a second: the parent's view of progress. */
  private static void report(Node node) {
    while (true) {
      NodeStatus s = node.status();
      print("HEIGHT " + s.height() + " " + s.peers().size() + " " + s.sync() + " " + s.mempool());
      try {
        Thread.sleep(200); // the reporting period, not a synchronisation
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Answers commands until STOP or the end of stdin. */
  private static void serve(Node node) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] w = line.split(" ");
      try {
        switch (w[0]) {
          case "STOP" -> {
            return;
          }
          case "SUBMIT" -> submit(node, w[1], Transaction.decode(HexFormat.of().parseHex(w[2])));
          case "LOOKUP" -> lookup(node, w[1], Hash.fromHex(w[2]));
          default -> System.err.println("ClusterNodeMain: unknown command " + line);
        }
      } catch (RuntimeException e) {
        if (w.length > 1 && w[0].equals("SUBMIT")) {
          print("RESULT " + w[1] + " UNKNOWN " + oneLine(e.toString()));
        } else if (w.length > 1) {
          print("FOUND " + w[1] + " ERROR " + oneLine(e.toString()));
        }
      }
    }
  }

  private static void submit(Node node, String req, Transaction tx) {
    node.ledger().submit(tx).onComplete(ar -> {
      if (ar.succeeded()) {
        print("RESULT " + req + " FINAL " + receipt(ar.result()));
      } else if (ar.cause() instanceof TransactionRejectedException e && e.receipt().isPresent()) {
        print("RESULT " + req + " FINAL " + receipt(e.receipt().get()));
      } else if (ar.cause() instanceof TransactionRejectedException e) {
        print("RESULT " + req + " REFUSED " + oneLine(e.reason()));
      } else {
        print("RESULT " + req + " UNKNOWN " + oneLine(String.valueOf(ar.cause())));
      }
    });
  }

  private static void lookup(Node node, String req, Hash id) {
    node.ledger().receipt(id).onComplete(ar -> {
      if (ar.failed()) {
        print("FOUND " + req + " ERROR " + oneLine(String.valueOf(ar.cause())));
      } else {
        print("FOUND " + req + " " + ar.result().map(ClusterNodeMain::receipt).orElse("NONE"));
      }
    });
  }

  /** {@code <tx> <height> <index> <block> <outcome>}. */
  private static String receipt(Receipt r) {
    return r.transactionId().toHex() + " " + r.height() + " " + r.index() + " " + r.blockHash().toHex() + " " + r.result().outcome();
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ');
  }

  private static void print(String line) {
    OUT.println(line);
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      m.put(args[i], args[i + 1]);
    }
    for (String required : new String[] {"--data", "--key", "--genesis", "--port"}) {
      if (!m.containsKey(required)) {
        throw new IllegalArgumentException("missing " + required + "; usage: ClusterNodeMain --data DIR --key FILE --genesis FILE --port P"
            + " [--peers host:port,...]");
      }
    }
    return m;
  }
}
