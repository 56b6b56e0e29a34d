package org.meshledger.impl.crash;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.NodeStatus;
import org.meshledger.TransactionRejectedException;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.Transaction;

/**
 * The nodes of a {@link Consortium} in this JVM on one Vert.x, each on loopback at a fixed port (kept over
 * restarts, as an operator's host keeps its address) with an H2 store in its current data directory. A
 * "fresh" start gives a node a new, empty data directory. There is no kill -9 in one JVM: a stop is
 * {@link Node#close()}.
 */
final class InJvmFleet implements Fleet, Gateway, AutoCloseable {
  private final Consortium consortium;
  private final Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final int[] ports;
  private final AtomicReferenceArray<Node> nodes;
  private final Path[] dataDirs;
  private final int[] generation;

  InJvmFleet(Consortium consortium, Path dir) throws IOException {
    this.consortium = consortium;
    this.dir = dir;
    int n = consortium.size();
    ports = new int[n];
    List<ServerSocket> open = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        open.add(s);
        ports[i] = s.getLocalPort();
      }
    } finally {
      for (ServerSocket s : open) {
        s.close();
      }
    }
    nodes = new AtomicReferenceArray<>(n);
    dataDirs = new Path[n];
    generation = new int[n];
    for (int i = 0; i < n; i++) {
      dataDirs[i] = dir.resolve(name(i) + "-0");
    }
  }

  String address(int node) {
    return "127.0.0.1:" + ports[node];
  }

  Path dataDir(int node) {
    return dataDirs[node];
  }

  /** Starts node {@code node} on its data directory (a new, empty one if {@code fresh}) knowing {@code peers}. */
  void start(int node, boolean fresh, List<String> peers) throws Exception {
    if (fresh) {
      dataDirs[node] = dir.resolve(name(node) + "-" + ++generation[node]);
    }
    NodeOptions options = new NodeOptions().setDataDir(dataDirs[node]).setListenHost("127.0.0.1").setListenPort(ports[node])
        .setKeepAliveInterval(Duration.ofMillis(500)).setIdleTimeout(Duration.ofSeconds(5))
        .setReconnectMin(Duration.ofMillis(50)).setReconnectMax(Duration.ofMillis(500)).setPeers(peers);
    Node n = Node.builder().options(options).genesis(consortium.genesis).identity(consortium.nodeKeys.get(node)).vertx(vertx).build();
    n.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    nodes.set(node, n);
  }

  /** Stops node {@code node} (close: sockets, timers, store); it no longer counts as live. */
  void stop(int node) {
    Node n = nodes.getAndSet(node, null);
    if (n != null) {
      n.close();
    }
  }

  @Override
  public int size() {
    return nodes.length();
  }

  @Override
  public String name(int node) {
    return consortium.names.get(node);
  }

  @Override
  public boolean validator(int node) {
    return node < consortium.validators;
  }

  @Override
  public boolean live(int node) {
    Node n = nodes.get(node);
    return n != null && n.status().state() == NodeStatus.State.RUNNING;
  }

  @Override
  public long height(int node) {
    Node n = nodes.get(node);
    return n == null || !live(node) ? -1 : n.status().height();
  }

  @Override
  public List<Integer> live() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      if (live(i)) {
        out.add(i);
      }
    }
    return out;
  }

  @Override
  public CompletableFuture<Submission> submit(int node, Transaction tx, Duration timeout) {
    Node n = nodes.get(node);
    if (n == null) {
      return CompletableFuture.completedFuture(new Submission.Unknown(name(node) + " is stopped"));
    }
    String name = name(node);
    CompletableFuture<Submission> out = new CompletableFuture<>();
    try {
      n.ledger().submit(tx).onComplete(ar -> {
        if (ar.succeeded()) {
          out.complete(fin(ar.result(), name));
        } else if (ar.cause() instanceof TransactionRejectedException e && e.receipt().isPresent()) {
          out.complete(fin(e.receipt().get(), name));
        } else if (ar.cause() instanceof TransactionRejectedException e) {
          out.complete(new Submission.Refused(e.reason()));
        } else {
          out.complete(new Submission.Unknown(String.valueOf(ar.cause())));
        }
      });
    } catch (RuntimeException e) {
      out.complete(new Submission.Unknown(e.toString()));
    }
    return out.completeOnTimeout(new Submission.Unknown("no answer from " + name + " in " + timeout.toSeconds() + " s"),
        timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletableFuture<Optional<Submission.Final>> lookup(int node, Hash txId, Duration timeout) {
    Node n = nodes.get(node);
    if (n == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    try {
      return n.ledger().receipt(txId).toCompletionStage().toCompletableFuture()
          .thenApply(r -> r.map(x -> fin(x, name(node) + " (lookup)")))
          .exceptionally(e -> Optional.empty())
          .completeOnTimeout(Optional.empty(), timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
  }

  private static Submission.Final fin(Receipt r, String node) {
    return new Submission.Final(r.transactionId(), r.height(), r.index(), r.blockHash(), r.result().outcome().name(), node);
  }

  @Override
  public String describe() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < size(); i++) {
      Node n = nodes.get(i);
      s.append("  ").append(name(i)).append(' ').append(address(i)).append(' ').append(dataDirs[i].getFileName()).append(": ");
      if (n == null) {
        s.append("stopped\n");
      } else {
        NodeStatus st = n.status();
        s.append(st.state()).append(", height ").append(st.height()).append(", ").append(st.peers().size()).append(" peers, ")
            .append(st.sync()).append(", mempool ").append(st.mempool()).append(st.fault().isEmpty() ? "" : ", fault: " + st.fault())
            .append('\n');
      }
    }
    return s.toString();
  }

  @Override
  public void close() {
    for (int i = 0; i < size(); i++) {
      try {
        stop(i);
      } catch (RuntimeException e) {
        System.out.println("closing " + name(i) + ": " + e);
      }
    }
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
  }
}
