package org.meshledger.impl.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Transaction;

/**
 * The nodes of a {@link Consortium}, each a {@link ClusterNodeMain} process on loopback with its own data
 * directory, key file and fixed port under {@code dir}; stderr of every incarnation is appended to
 * {@code dir/logs/<name>.log}. Starts, kills (SIGKILL), stops cleanly and wipes nodes; serves the load
 * client ({@link Gateway}) and the nemesis ({@link Fleet}). {@link #close()} and a shutdown hook destroy
 * every child, so none outlives the test.
 */
final class Cluster implements Gateway, Fleet, AutoCloseable {
  static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Consortium consortium;
  private final Path dir;
  private final Path genesisFile;
  private final int[] ports;
  private final AtomicReferenceArray<Child> children;
  private final Thread hook = new Thread(this::destroyAll, "cluster-destroy");

  Cluster(Consortium consortium, Path dir) throws IOException {
    this.consortium = consortium;
    this.dir = dir;
    int n = consortium.size();
    ports = freePorts(n);
    children = new AtomicReferenceArray<>(n);
    Files.createDirectories(dir.resolve("logs"));
    genesisFile = dir.resolve("genesis.json");
    Files.writeString(genesisFile, consortium.genesis.toJson());
    for (int i = 0; i < n; i++) {
      consortium.nodeKeys.get(i).save(keyFile(i));
    }
    Runtime.getRuntime().addShutdownHook(hook);
  }

  Path dataDir(int node) {
    return dir.resolve("data").resolve(name(node));
  }

  Path log(int node) {
    return dir.resolve("logs").resolve(name(node) + ".log");
  }

  /** Starts node {@code node} on its data directory and waits until it listens; fails with its log if it does not. */
  void start(int node) throws IOException {
    launch(node);
    awaitStarted(node);
  }

  /** Starts every node at once and waits until all listen. */
  void startAll() throws IOException {
    for (int i = 0; i < size(); i++) {
      launch(i);
    }
    for (int i = 0; i < size(); i++) {
      awaitStarted(i);
    }
  }

  private void launch(int node) throws IOException {
    List<String> peers = new ArrayList<>();
    for (int j = 0; j < ports.length; j++) {
      if (j != node) {
        peers.add("127.0.0.1:" + ports[j]);
      }
    }
    String launcher = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = List.of(launcher, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), ClusterNodeMain.class.getName(), "--data", dataDir(node).toString(),
        "--key", keyFile(node).toString(), "--genesis", genesisFile.toString(), "--port", Integer.toString(ports[node]),
        "--peers", String.join(",", peers));
    Files.writeString(log(node), "---- start " + java.time.Instant.now() + "\n", java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log(node).toFile())).start();
    children.set(node, new Child(name(node), p));
  }

  private void awaitStarted(int node) {
    Child child = children.get(node);
    if (!child.awaitStarted(START_TIMEOUT)) {
      child.process.toHandle().destroyForcibly();
      throw new StartFailure(name(node) + " did not start: " + (child.process.isAlive() ? "no STARTED line in "
          + START_TIMEOUT.toSeconds() + " s" : "it exited") + "; its last lines:\n      " + child.lastLines());
    }
  }

  /** A node that did not come up: its last output (such as a store that refuses to open) says why. */
  static final class StartFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    StartFailure(String message) {
      super(message);
    }
  }

  /** kill -9 of node {@code node}; returns when the process is gone. */
  void kill(int node) {
    Child c = children.get(node);
    if (c != null) {
      c.kill();
    }
  }

  /** Asks node {@code node} to stop; true if it stopped cleanly, false if it had to be killed. */
  boolean stop(int node) {
    Child c = children.get(node);
    if (c == null || !c.process.isAlive()) {
      return true;
    }
    boolean clean = c.stop(Duration.ofSeconds(30));
    if (!clean) {
      c.kill();
    }
    return clean;
  }

  /** Deletes node {@code node}'s data directory (the node must not run). */
  void wipe(int node) {
    Path d = dataDir(node);
    if (!Files.exists(d)) {
      return;
    }
    try (Stream<Path> all = Files.walk(d)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public int size() {
    return children.length();
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
    Child c = children.get(node);
    return c != null && c.live();
  }

  @Override
  public long height(int node) {
    Child c = children.get(node);
    return c == null ? -1 : c.height();
  }

  @Override
  public List<Integer> live() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < children.length(); i++) {
      if (live(i)) {
        out.add(i);
      }
    }
    return out;
  }

  @Override
  public CompletableFuture<Submission> submit(int node, Transaction tx, Duration timeout) {
    Child c = children.get(node);
    if (c == null || !c.live()) {
      return CompletableFuture.completedFuture(new Submission.Unknown(name(node) + " is not running"));
    }
    return c.request("SUBMIT", HexFormat.of().formatHex(tx.encode()), timeout).thenApply(answer -> {
      if (answer == null) {
        return new Submission.Unknown("no answer from " + name(node) + " (killed, stopped or timed out)");
      }
      if (answer.startsWith("FINAL ")) {
        return parseFinal(answer.substring(6), name(node));
      }
      if (answer.startsWith("REFUSED ")) {
        return new Submission.Refused(answer.substring(8));
      }
      return new Submission.Unknown(answer);
    });
  }

  @Override
  public CompletableFuture<Optional<Submission.Final>> lookup(int node, Hash txId, Duration timeout) {
    Child c = children.get(node);
    if (c == null || !c.live()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return c.request("LOOKUP", txId.toHex(), timeout).thenApply(answer ->
        answer == null || answer.startsWith("NONE") || answer.startsWith("ERROR") ? Optional.empty()
            : Optional.of(parseFinal(answer, name(node) + " (lookup)")));
  }

  /** {@code <tx> <height> <index> <block> <outcome>}. */
  private static Submission.Final parseFinal(String s, String node) {
    String[] w = s.split(" ");
    return new Submission.Final(Hash.fromHex(w[0]), Long.parseLong(w[1]), Integer.parseInt(w[2]), Hash.fromHex(w[3]), w[4], node);
  }

  @Override
  public String describe() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < children.length(); i++) {
      Child c = children.get(i);
      s.append("  ").append(name(i)).append(" port ").append(ports[i]).append(": ")
          .append(c == null ? "never started" : (c.process.isAlive() ? "running pid " + c.process.pid() : "exited")
              + ", height " + c.height() + "\n    last lines:\n      " + c.lastLines())
          .append("\n    log tail (").append(log(i)).append("):\n").append(LogTail.of(log(i), 25)).append('\n');
    }
    return s.toString();
  }

  @Override
  public void close() {
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs anyway
    }
  }

  /** Kills every child now (the watchdog's and the shutdown hook's way out); waits up to 30 s for each to go. */
  void destroyAll() {
    for (int i = 0; i < children.length(); i++) {
      Child c = children.get(i);
      if (c != null && c.process.isAlive()) {
        c.process.toHandle().destroyForcibly();
      }
    }
    for (int i = 0; i < children.length(); i++) {
      Child c = children.get(i);
      if (c != null) {
        c.process.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
      }
    }
  }

  private Path keyFile(int node) {
    return dir.resolve("keys").resolve(name(node) + ".key");
  }

  /** Ports the system hands out now; each child binds its own again (SO_REUSEADDR), also after a kill. */
  private static int[] freePorts(int n) throws IOException {
    int[] ports = new int[n];
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
    return ports;
  }
}
