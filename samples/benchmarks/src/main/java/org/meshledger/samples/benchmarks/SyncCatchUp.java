package org.meshledger.samples.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.meshledger.IncentivePolicy;
import org.meshledger.Ledger;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.SyncProgress;
import org.meshledger.TransactionRejectedException;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.Ed25519;
import org.meshledger.crypto.KeyPair;
import org.meshledger.crypto.SignatureDomain;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;

/**
 * Catching up (issue 11): a node that missed {@code blocks} blocks of {@code txPerBlock} transactions fetches,
 * verifies, executes and stores them, and how that compares with what the machine can verify.
 *
 * <p><b>The chain</b> is made by a real node, not measured: one validator (the genesis has one, and one
 * observer for the follower), Ed25519-signed transfers from {@code senders} funded accounts, each sender's nonces
 * 0, 1, 2, ... in order, all signed first, then submitted in a closed loop (up to 60 nonces a sender waiting, the
 * senders interleaved, so a block holds about as many senders as transactions), so
 * that blocks are full while the mempool holds enough ({@code maxBlockTransactions = txPerBlock}; blocks at least
 * {@code prepInterval} ms apart; an idle heartbeat of an hour). The validator's pace varies, so not every block is
 * full: the run prints how many are not, and the catch-up is measured to the chain's height, all
 * {@code blocks x txPerBlock} transactions. It is kept in {@code chain} (a directory per
 * {@code blocks x txPerBlock x senders x seed}, reused by later runs; delete it to make it again).
 *
 * <p><b>What is measured.</b> (1) The verification bound, before and after the catch-up: Ed25519 verifications per
 * second on as many threads as there are processors, the call of {@code CryptoBenchmark.verify} (a 200-byte message
 * with its domain prefix), after {@code warmup} s (the first time; Bouncy Castle's Ed25519 needs about 7 s) over
 * {@code measure} s. (2) The catch-up: the validator restarts on the chain and serves it; a fresh observer (empty
 * data directory, the validator as its one bootstrap peer; H2 with fsync, TLS 1.3 on loopback, each node its own
 * Vert.x, as in production) starts, and the clock runs from its {@code start()} until its stored height reaches the
 * chain's. Blocks/s, transactions/s, the process's CPU, transactions per CPU-second, CPU per thread, and the
 * follower's {@link Node#onSyncProgress} events every {@code every} seconds (what a user sees). With
 * {@code server=inline} (the default) both nodes run in this JVM, so serving (store reads, TLS encryption) shares the
 * cores with catching up and its CPU is counted. With {@code server=process} the serving node runs in a JVM of its own
 * (this class in {@code mode=serve}), as a peer on another machine would, and only the follower's CPU is counted;
 * {@code serverCpus=0} runs that JVM under {@code taskset -c 0}. Started itself under {@code taskset -c 1}, the
 * follower then has one core of its own and the bound is measured on that core: what the follower verifies against
 * what its core can verify. With {@code prewarm=N} a first follower (its own empty data directory) catches up the
 * first {@code N} blocks before the measured one starts, unmeasured, so that the measured catch-up runs on code the
 * JIT has compiled, as the bound does after its warm-up. The share of the bound is printed also as the product
 * of three factors: the share of the process's CPU on the worker threads (where verification runs), the share of
 * the cores busy, and the transactions per worker CPU-second against the bound per thread; the factor that falls
 * short says where the time went (other threads, idle cores, or verification itself slower than the bound's loop).
 *
 * <p>Usage, every argument {@code name=value} and optional: {@code SyncCatchUp blocks=10000 txPerBlock=100
 * senders=1000 seed=1 chain=/tmp/meshledger-synccatchup prepInterval=15 clients=2 warmup=12 measure=10 every=5
 * storage=h2 stall=60 server=inline serverCpus= prewarm=0}:
 * <pre>
 * mvn -B -q install -DskipTests
 * mvn -B -q -pl samples/benchmarks exec:exec@run -Dmain=SyncCatchUp -Dargs="blocks=10000 txPerBlock=100"
 * </pre>
 * See "Catching up (block sync)" in {@code docs/performance.md}.
 */
public final class SyncCatchUp {
  private static final Map<String, String> DEFAULTS = defaults();
  private static final String READY = "READY";
  /** The mean number of distinct senders in a block of the chain, written beside {@link #READY}. */
  private static final String SENDERS = "SENDERS";

  private SyncCatchUp() {}

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("blocks", "10000");
    d.put("txPerBlock", "100");
    d.put("senders", "1000");
    d.put("seed", "1");
    d.put("chain", System.getProperty("java.io.tmpdir") + "/meshledger-synccatchup");
    d.put("prepInterval", "15");
    d.put("clients", "2");
    d.put("warmup", "12");
    d.put("measure", "10");
    d.put("every", "5");
    d.put("storage", "h2");
    d.put("stall", "60");
    d.put("server", "inline");
    d.put("serverCpus", "");
    d.put("prewarm", "0");
    d.put("mode", "measure");
    return d;
  }

  public static void main(String[] args) throws Exception {
    Run run = new Run(BenchArgs.parse(args, DEFAULTS));
    if (run.args.get("mode").equals("serve")) {
      run.serve();
    } else {
      run.run();
    }
    System.exit(0); // a lingering non-daemon thread of a closed node must not keep the benchmark alive
  }

  private static final class Run {
    final int blocks;
    final int txPerBlock;
    final int senders;
    final long seed;
    final Path chainDir;
    final int prepInterval;
    final int clients;
    final int warmup;
    final int measure;
    final int every;
    final String storage;
    final int stall;
    final String serverWhere;
    final String serverCpus;
    final int prewarm;
    final Map<String, String> args;
    final KeyPair validator;
    final KeyPair follower;
    final List<KeyPair> senderKeys = new ArrayList<>();
    final Genesis genesis;
    final int cores = Runtime.getRuntime().availableProcessors();

    Run(Map<String, String> a) {
      args = a;
      blocks = Integer.parseInt(a.get("blocks"));
      txPerBlock = Integer.parseInt(a.get("txPerBlock"));
      senders = Integer.parseInt(a.get("senders"));
      seed = Long.parseLong(a.get("seed"));
      prepInterval = Integer.parseInt(a.get("prepInterval"));
      clients = Integer.parseInt(a.get("clients"));
      warmup = Integer.parseInt(a.get("warmup"));
      measure = Integer.parseInt(a.get("measure"));
      every = Integer.parseInt(a.get("every"));
      storage = a.get("storage");
      stall = Integer.parseInt(a.get("stall"));
      serverWhere = a.get("server");
      serverCpus = a.get("serverCpus");
      prewarm = Integer.parseInt(a.get("prewarm"));
      if (!serverWhere.equals("inline") && !serverWhere.equals("process")) {
        throw new IllegalArgumentException("server must be inline (the serving node in this JVM) or process (in a JVM of its own): " + serverWhere);
      }
      if (!serverCpus.isEmpty() && !serverCpus.matches("[0-9,-]+")) {
        throw new IllegalArgumentException("serverCpus is a CPU list for taskset, such as 0 or 0-1: " + serverCpus);
      }
      if (prewarm < 0 || prewarm >= blocks) {
        throw new IllegalArgumentException("prewarm is a number of blocks from 0 to blocks - 1: " + prewarm);
      }
      if (blocks < 1 || txPerBlock < 1 || senders < 1 || clients < 1 || measure < 1 || every < 1 || prepInterval < 0) {
        throw new IllegalArgumentException("blocks, txPerBlock, senders, clients, measure and every must be positive: " + a);
      }
      if ((long) blocks * txPerBlock % senders != 0) {
        throw new IllegalArgumentException("blocks x txPerBlock (" + (long) blocks * txPerBlock + ") must be a multiple of senders (" + senders + ")");
      }
      chainDir = Path.of(a.get("chain")).resolve("chain-" + blocks + "x" + txPerBlock + "-" + senders + "-s" + seed + "-mixed");

      SplittableRandom random = new SplittableRandom(seed);
      validator = key(random);
      follower = key(random);
      Map<AccountId, Amount> balances = new HashMap<>();
      for (int s = 0; s < senders; s++) {
        senderKeys.add(key(random));
        balances.put(senderKeys.get(s).accountId(), Amount.of(1_000_000_000_000L));
      }
      ConsensusParameters d = ConsensusParameters.DEFAULTS;
      ConsensusParameters consensus = new ConsensusParameters(d.proposeTimeout(), d.voteTimeout(), d.timeoutIncrement(),
          Duration.ofMillis(prepInterval), Duration.ofHours(1), txPerBlock);
      genesis = new Genesis("sync-bench", Instant.parse("2026-01-01T00:00:00Z"), true,
          List.of(Member.of("validator", validator.nodeId(), Role.VALIDATOR), Member.of("follower", follower.nodeId(), Role.OBSERVER)),
          consensus, IncentivePolicy.feesTo(validator.accountId()), balances);
    }

    private static KeyPair key(SplittableRandom random) {
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      return KeyPair.fromSeed(bytes);
    }

    void run() throws Exception {
      System.out.printf(Locale.ROOT, "SyncCatchUp %s on %d processors, %s %s%n", args, cores, System.getProperty("java.vm.name"),
          System.getProperty("java.version"));
      long chainHeight = prepare();
      long chainTx = (long) blocks * txPerBlock;

      Bound before = bound(warmup, measure);
      System.out.printf(Locale.ROOT, "verification bound before: %.0f verifications/s on %d threads (%.0f per thread; %.0f per CPU-second)"
          + " after %d s of warm-up%n", before.rate, cores, before.rate / cores, before.perCpuSecond, warmup);
      Bound batchBefore = batchBound(warmup / 2, measure);
      System.out.printf(Locale.ROOT, "batch verification bound before: %.0f signatures/s on %d threads in batches of %d (%.0f per thread)%n",
          batchBefore.rate, cores, txPerBlock, batchBefore.rate / cores);

      Path followerDir = Files.createTempDirectory("meshledger-synccatchup-follower-");
      Node server = null;
      Process child = null;
      Node late = null;
      CatchUp result;
      double serverCpu = -1;
      try {
        int port;
        long serving;
        if (serverWhere.equals("inline")) {
          server = Node.builder().options(options(chainDir)).genesis(genesis).identity(validator).build();
          server.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
          port = server.status().port();
          serving = server.status().height();
        } else {
          child = startServer();
          long[] portAndHeight = awaitServing(child);
          port = (int) portAndHeight[0];
          serving = portAndHeight[1];
        }
        if (serving < chainHeight) {
          throw new IllegalStateException("the serving node holds " + serving + " blocks, the chain has " + chainHeight);
        }
        System.out.printf(Locale.ROOT, "serving node at height %d (%d transactions) on port %d (%s); starting the follower%n", serving, chainTx,
            port, server != null ? "in this JVM" : "in a JVM of its own" + (serverCpus.isEmpty() ? "" : " on CPUs " + serverCpus));
        if (prewarm > 0) {
          prewarm(port);
        }
        late = Node.builder().options(options(followerDir).addPeer("127.0.0.1:" + port)).genesis(genesis).identity(follower).build();
        result = catchUp(late, chainHeight);
        if (child != null) {
          serverCpu = child.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(-1.0);
        }
      } finally {
        for (Node n : new Node[] {late, server}) {
          if (n != null) {
            n.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            n.close();
          }
        }
        if (child != null) {
          child.getOutputStream().close(); // the server stops when its input ends
          if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly();
          }
        }
        delete(followerDir);
      }
      if (serverCpu >= 0) {
        System.out.printf(Locale.ROOT, "the serving JVM used %.1f s of CPU from its start to the end of the catch-up (not counted below)%n", serverCpu);
      }

      Bound after = bound(2, measure);
      System.out.printf(Locale.ROOT, "verification bound after: %.0f verifications/s on %d threads (%.0f per thread; %.0f per CPU-second)%n",
          after.rate, cores, after.rate / cores, after.perCpuSecond);
      Bound batchAfter = batchBound(2, measure);
      System.out.printf(Locale.ROOT, "batch verification bound after: %.0f signatures/s on %d threads (%.0f per thread)%n", batchAfter.rate, cores,
          batchAfter.rate / cores);
      report(result, chainHeight, chainTx, before, after, batchBefore, batchAfter);
    }

    /**
     * {@code prewarm=N}: a first follower of its own (its own empty data directory) catches up the first {@code N}
     * blocks and is closed, not measured, so the measured one runs on code the JIT has compiled, as the bound
     * does after its warm-up, and as a node that has run for a while and falls behind would.
     */
    private void prewarm(int port) throws Exception {
      Path dir = Files.createTempDirectory("meshledger-synccatchup-prewarm-");
      Node warm = Node.builder().options(options(dir).addPeer("127.0.0.1:" + port)).genesis(genesis).identity(follower).build();
      long t0 = System.nanoTime();
      try {
        warm.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        CountDownLatch reached = new CountDownLatch(1);
        Ledger.Subscription sub = warm.ledger().onBlock(prewarm, b -> reached.countDown());
        long lastHeight = -1;
        while (!reached.await(stall, TimeUnit.SECONDS)) {
          long h = warm.status().height();
          if (h == lastHeight) {
            throw new IllegalStateException("the warm-up follower stalled at height " + h + " for " + stall + " s: " + warm.status());
          }
          lastHeight = h;
        }
        sub.close();
      } finally {
        warm.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        warm.close();
        delete(dir);
      }
      System.out.printf(Locale.ROOT, "warm-up: a first follower caught up %d blocks in %.1f s (not measured) and was closed%n", prewarm,
          (System.nanoTime() - t0) / 1e9);
    }

    // ---- the serving node in a JVM of its own (server=process)

    /** Starts this class in {@code mode=serve} on the same chain, on {@link #serverCpus} through taskset if given. */
    private Process startServer() throws IOException {
      List<String> command = new ArrayList<>();
      if (!serverCpus.isEmpty()) {
        command.addAll(List.of("taskset", "-c", serverCpus));
      }
      command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
          SyncCatchUp.class.getName()));
      args.forEach((k, v) -> {
        if (!k.equals("mode") && !k.equals("serverCpus") && !v.isEmpty()) {
          command.add(k + "=" + v);
        }
      });
      command.add("mode=serve");
      return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Reads the server's output until it says {@code SERVING port height}; later lines go on to this one's output, marked. */
    private long[] awaitServing(Process child) throws IOException {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("SERVING ")) {
          String[] f = line.split(" ");
          Thread pump = new Thread(() -> {
            try {
              for (String l = out.readLine(); l != null; l = out.readLine()) {
                System.out.println("[server] " + l);
              }
            } catch (IOException e) {
              // the server ended
            }
          }, "server-output");
          pump.setDaemon(true);
          pump.start();
          return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
        }
        System.out.println("[server] " + line);
      }
      throw new IllegalStateException("the serving JVM ended before it served (exit " + waitExit(child) + ")");
    }

    private static int waitExit(Process p) {
      try {
        return p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }

    /** {@code mode=serve}: the validator serves the chain made earlier until this JVM's input ends. */
    void serve() throws Exception {
      if (!Files.exists(chainDir.resolve(READY))) {
        throw new IllegalStateException("no chain in " + chainDir + ": run the benchmark once to make it");
      }
      Node server = Node.builder().options(options(chainDir)).genesis(genesis).identity(validator).build();
      server.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      System.out.println("SERVING " + server.status().port() + " " + server.status().height());
      System.out.flush();
      while (System.in.read() >= 0) {
        // serving until the measuring JVM closes this input (or ends)
      }
      server.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      server.close();
    }

    private NodeOptions options(Path dir) {
      return new NodeOptions().setDataDir(dir).setListenHost("127.0.0.1").setListenPort(0).setStorage(storage)
          .setReconnectMin(Duration.ofMillis(50)).setReconnectMax(Duration.ofSeconds(1));
    }

    // ---- the chain (not measured)

    /** Makes the chain unless {@link #chainDir} holds it already; returns its height. */
    private long prepare() throws Exception {
      Path ready = chainDir.resolve(READY);
      if (Files.exists(ready)) {
        long h = Long.parseLong(Files.readString(ready).trim());
        Path perBlock = chainDir.resolve(SENDERS);
        System.out.printf(Locale.ROOT, "chain: %d blocks of %d transactions in %s (made by an earlier run), %s distinct senders per block on"
            + " average%n", h, txPerBlock, chainDir, Files.exists(perBlock) ? Files.readString(perBlock).trim() : "(not recorded)");
        return h;
      }
      if (Files.exists(chainDir)) {
        delete(chainDir); // an interrupted attempt
      }
      Files.createDirectories(chainDir);
      long total = (long) blocks * txPerBlock;
      int perSender = (int) (total / senders);
      System.out.printf(Locale.ROOT, "chain: making %d blocks of %d transactions (%d senders x %d nonces) in %s with one validator%n", blocks,
          txPerBlock, senders, perSender, chainDir);
      long t0 = System.nanoTime();
      Transaction[][] txs = new Transaction[senders][perSender];
      List<Thread> signers = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int first = c;
        Thread t = new Thread(() -> {
          for (int s = first; s < senders; s += clients) {
            Payload transfer = new Payload.Transfer(senderKeys.get((s + 1) % senders).accountId(), Amount.of(1));
            for (int k = 0; k < perSender; k++) {
              txs[s][k] = Transaction.sign(genesis.chainId(), senderKeys.get(s), k, Amount.of(1), transfer);
            }
          }
        }, "prepare-sign-" + c);
        t.start();
        signers.add(t);
      }
      for (Thread t : signers) {
        t.join();
      }
      System.out.printf(Locale.ROOT, "  signed %d transactions in %.0f s%n", total, (System.nanoTime() - t0) / 1e9);
      Node node = Node.builder().options(options(chainDir)).genesis(genesis).identity(validator).build();
      node.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      LongAdder partial = new LongAdder();
      AtomicLong stored = new AtomicLong();
      CountDownLatch allStored = new CountDownLatch(1);
      Ledger ledger = node.ledger();
      LongAdder distinctSenders = new LongAdder();
      Ledger.Subscription sub = ledger.onBlock(1, b -> {
        if (b.block().transactions().size() != txPerBlock) {
          partial.increment();
        }
        distinctSenders.add(b.block().transactions().stream().map(Transaction::sender).distinct().count());
        if (stored.addAndGet(b.block().transactions().size()) == total) {
          allStored.countDown();
        }
      });
      AtomicInteger[] next = new AtomicInteger[senders];
      LinkedBlockingQueue<Integer> readyQueue = new LinkedBlockingQueue<>();
      int window = 60; // a sender's nonces waiting at once (the mempool admits 64 ahead)
      for (int s = 0; s < senders; s++) {
        next[s] = new AtomicInteger();
      }
      // Senders interleaved, so that a block holds transactions of about as many senders as it holds transactions,
      // as on a ledger with many users: a batch verification merges the terms of one key, and a chain whose
      // blocks each came from a few senders would make it look cheaper than it is.
      for (int k = 0; k < Math.min(window, perSender); k++) {
        for (int s = 0; s < senders; s++) {
          readyQueue.add(s);
        }
      }
      Semaphore permits = new Semaphore(Math.min(senders * window, 40_000));
      AtomicLong submitted = new AtomicLong();
      AtomicLong outcomes = new AtomicLong();
      CountDownLatch allOutcomes = new CountDownLatch(1);
      LongAdder rejected = new LongAdder();
      Map<String, Integer> reasons = new ConcurrentHashMap<>();
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        Thread t = new Thread(() -> {
          try {
            while (submitted.get() < total) {
              Integer s = readyQueue.poll(100, TimeUnit.MILLISECONDS);
              if (s == null) {
                continue;
              }
              permits.acquire();
              int k = next[s].getAndIncrement();
              submitted.incrementAndGet();
              Transaction tx = txs[s][k];
              txs[s][k] = null;
              ledger.submit(tx).onComplete(ar -> {
                if (ar.failed()) {
                  rejected.increment();
                  Throwable e = ar.cause();
                  reasons.merge(e instanceof TransactionRejectedException r ? r.reason() : e.toString(), 1, Integer::sum);
                }
                if (outcomes.incrementAndGet() == total) {
                  allOutcomes.countDown();
                }
                permits.release();
                if (k + window < perSender) {
                  readyQueue.add(s);
                }
              });
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, "prepare-" + c);
        t.start();
        threads.add(t);
      }
      long lastMove = System.nanoTime();
      long lastOutcomes = 0;
      while (!allOutcomes.await(2, TimeUnit.SECONDS)) {
        long now = System.nanoTime();
        if (outcomes.get() != lastOutcomes) {
          lastOutcomes = outcomes.get();
          lastMove = now;
        } else if (now - lastMove > TimeUnit.SECONDS.toNanos(stall)) {
          throw new IllegalStateException("making the chain stalled at " + outcomes.get() + " of " + total + " outcomes: " + node.status());
        }
        System.out.printf(Locale.ROOT, "  %.0f s: height %d, %d of %d transactions final, %d blocks not full, mempool %d%n", (now - t0) / 1e9,
            ledger.height(), outcomes.get(), total, partial.sum(), node.status().mempool());
      }
      threads.forEach(Thread::interrupt);
      for (Thread t : threads) {
        t.join(5_000);
      }
      long height = ledger.height();
      if (!allStored.await(60, TimeUnit.SECONDS)) { // the block events trail the receipts by at most a block
        throw new IllegalStateException("the block events stopped at " + stored.get() + " of " + total + " transactions");
      }
      sub.close();
      node.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      node.close();
      if (rejected.sum() > 0) {
        throw new IllegalStateException(rejected.sum() + " transactions rejected while making the chain: " + reasons);
      }
      System.out.printf(Locale.ROOT, "chain: %d blocks, %d transactions (%d blocks not full) in %.0f s; %.0f MiB%n", height, total,
          partial.sum(), (System.nanoTime() - t0) / 1e9, size(chainDir) / 1048576.0);
      System.out.printf(Locale.ROOT, "chain: %.1f distinct senders per block on average%n", distinctSenders.sum() / (double) height);
      Files.writeString(chainDir.resolve(SENDERS), String.format(Locale.ROOT, "%.1f", distinctSenders.sum() / (double) height));
      Files.writeString(chainDir.resolve(READY), Long.toString(height));
      return height;
    }

    // ---- the verification bound

    /** Verifications per second of wall time on all threads, and per second of those threads' CPU time. */
    record Bound(double rate, double perCpuSecond) {}

    /** Ed25519 verifications per second on {@link #cores} threads, as {@code CryptoBenchmark.verify} calls it. */
    private Bound bound(int warmSeconds, int measureSeconds) throws InterruptedException {
      LongAdder count = new LongAdder();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < cores; i++) {
        byte[] keySeed = new byte[32];
        byte[] message = new byte[200];
        SplittableRandom r = new SplittableRandom(seed * 31 + i);
        r.nextBytes(keySeed);
        r.nextBytes(message);
        byte[] publicKey = Ed25519.publicKey(keySeed);
        byte[] signature = Ed25519.sign(keySeed, SignatureDomain.TRANSACTION, genesis.chainId(), message);
        Thread t = new Thread(() -> {
          while (!Thread.currentThread().isInterrupted()) {
            if (!Ed25519.verify(publicKey, SignatureDomain.TRANSACTION, genesis.chainId(), message, signature)) {
              throw new IllegalStateException("a valid signature did not verify");
            }
            count.increment();
          }
        }, "bound-" + i);
        t.setDaemon(true);
        threads.add(t);
      }
      return measure(threads, count, warmSeconds, measureSeconds);
    }

    /**
     * Signatures per second on {@link #cores} threads verified as the follower verifies a block's transactions:
     * {@code Ed25519.verifyAll} over {@code txPerBlock} signatures at a time, by keys drawn from {@code senders}.
     */
    private Bound batchBound(int warmSeconds, int measureSeconds) throws InterruptedException {
      LongAdder count = new LongAdder();
      List<Thread> threads = new ArrayList<>();
      int batches = 16;
      for (int i = 0; i < cores; i++) {
        SplittableRandom r = new SplittableRandom(seed * 37 + i);
        byte[][] seeds = new byte[senders][32];
        byte[][] keys = new byte[senders][];
        for (int k = 0; k < senders; k++) {
          r.nextBytes(seeds[k]);
          keys[k] = Ed25519.publicKey(seeds[k]);
        }
        byte[][][] batchKeys = new byte[batches][txPerBlock][];
        byte[][][] batchMessages = new byte[batches][txPerBlock][200];
        byte[][][] batchSignatures = new byte[batches][txPerBlock][];
        for (int b = 0; b < batches; b++) {
          for (int k = 0; k < txPerBlock; k++) {
            int who = r.nextInt(senders);
            r.nextBytes(batchMessages[b][k]);
            batchKeys[b][k] = keys[who];
            batchSignatures[b][k] = Ed25519.sign(seeds[who], SignatureDomain.TRANSACTION, genesis.chainId(), batchMessages[b][k]);
          }
        }
        Thread t = new Thread(() -> {
          for (int b = 0; !Thread.currentThread().isInterrupted(); b = (b + 1) % batches) {
            if (!Ed25519.verifyAll(SignatureDomain.TRANSACTION, genesis.chainId(), batchKeys[b], batchMessages[b], batchSignatures[b])) {
              throw new IllegalStateException("a batch of valid signatures did not verify");
            }
            count.add(txPerBlock);
          }
        }, "bound-batch-" + i);
        t.setDaemon(true);
        threads.add(t);
      }
      return measure(threads, count, warmSeconds, measureSeconds);
    }

    private Bound measure(List<Thread> threads, LongAdder count, int warmSeconds, int measureSeconds) throws InterruptedException {
      threads.forEach(Thread::start);
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      Thread.sleep(warmSeconds * 1000L); // the warm-up's length; the window below is timed by the clock, not by the sleeps
      long c0 = count.sum();
      long t0 = System.nanoTime();
      long cpu0 = threads.stream().mapToLong(t -> mx.getThreadCpuTime(t.getId())).sum();
      Thread.sleep(measureSeconds * 1000L); // the measured window's length
      long c1 = count.sum();
      long t1 = System.nanoTime();
      long cpu1 = threads.stream().mapToLong(t -> mx.getThreadCpuTime(t.getId())).sum();
      threads.forEach(Thread::interrupt);
      for (Thread t : threads) {
        t.join();
      }
      return new Bound((c1 - c0) / ((t1 - t0) / 1e9), (c1 - c0) / ((cpu1 - cpu0) / 1e9));
    }

    // ---- the catch-up (measured)

    record CatchUp(long startNanos, long firstBlockNanos, long tenthNanos, long tenthHeight, long endNanos, double cpuSeconds, long gcMillis,
        Map<String, Long> threadCpu, String loopThread, List<SyncProgress> events, SyncProgress last, Map<String, Long> jvmTicks) {}

    /**
     * CPU clock ticks of the JVM's own threads, which Java's thread list leaves out, by kind (JIT compilers, GC);
     * read from {@code /proc/self/task} (Linux), empty elsewhere. Threads that ended in between are missed.
     */
    private static Map<String, Long> nativeThreadTicks() {
      Map<String, Long> ticks = new LinkedHashMap<>();
      Path tasks = Path.of("/proc/self/task");
      if (!Files.isDirectory(tasks)) {
        return ticks;
      }
      try (Stream<Path> all = Files.list(tasks)) {
        for (Path t : all.toList()) {
          try {
            String name = Files.readString(t.resolve("comm")).trim();
            String kind = name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? "JIT compilers"
                : name.startsWith("GC ") || name.startsWith("G1 ") || name.equals("VM Thread") || name.startsWith("VM Periodic") ? "GC and VM"
                : null;
            if (kind == null) {
              continue;
            }
            String stat = Files.readString(t.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks.merge(kind, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum); // utime, stime
          } catch (IOException | RuntimeException e) {
            // the thread ended while being read
          }
        }
      } catch (IOException e) {
        return ticks;
      }
      return ticks;
    }

    private CatchUp catchUp(Node late, long target) throws Exception {
      List<SyncProgress> events = new java.util.concurrent.CopyOnWriteArrayList<>();
      AtomicLong loopThreadId = new AtomicLong(-1);
      CountDownLatch caughtUp = new CountDownLatch(1);
      late.onSyncProgress(p -> {
        if (!p.catchingUp() && !events.isEmpty()) {
          caughtUp.countDown(); // the event after catching up (events only come from the follower's loop, one at a time)
        }
        events.add(p);
        loopThreadId.set(Thread.currentThread().getId()); // the follower's event loop
      });
      com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      Map<Long, long[]> cpu0 = threadCpu(threads);
      Map<String, Long> native0 = nativeThreadTicks();
      long gc0 = gcMillis();
      long cpuStart = os.getProcessCpuTime();
      long start = System.nanoTime();
      late.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      // When the first block, the chain's first tenth and the target are stored, each taken by a subscription from
      // that height (live, so no block is read back) that closes itself after its first block.
      long tenthHeight = Math.max(1, target / 10);
      long[] markHeights = {1, tenthHeight, target};
      AtomicLongArray marks = new AtomicLongArray(markHeights.length);
      CountDownLatch reached = new CountDownLatch(1);
      for (int i = 0; i < markHeights.length; i++) {
        int k = i;
        AtomicReference<Ledger.Subscription> self = new AtomicReference<>();
        self.set(late.ledger().onBlock(markHeights[k], b -> {
          if (marks.compareAndSet(k, 0, System.nanoTime()) && k == markHeights.length - 1) {
            reached.countDown();
          }
          Ledger.Subscription s = self.get();
          if (s != null) {
            s.close();
          }
        }));
      }
      long lastHeight = 0;
      long lastMove = start;
      long nextPrint = start + TimeUnit.SECONDS.toNanos(every);
      long cpuAtPrint = cpuStart;
      long printAt = start;
      int printed = 0;
      while (!reached.await(Math.max(0, nextPrint - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        long h = late.status().height();
        long now = System.nanoTime();
        if (h != lastHeight) {
          lastHeight = h;
          lastMove = now;
        } else if (now - lastMove > TimeUnit.SECONDS.toNanos(stall)) {
          throw new IllegalStateException("the follower stalled at height " + h + " of " + target + " for " + stall + " s: " + late.status());
        }
        long cpuNow = os.getProcessCpuTime();
        SyncProgress p = events.isEmpty() ? null : events.get(events.size() - 1);
        System.out.printf(Locale.ROOT, "  %5.1f s  onSyncProgress: %s  (%d events so far; process CPU %.2f cores)%n", (now - start) / 1e9,
            p, events.size(), (cpuNow - cpuAtPrint) / (double) (now - printAt));
        cpuAtPrint = cpuNow;
        printAt = now;
        nextPrint += TimeUnit.SECONDS.toNanos(every);
        printed++;
      }
      long cpuEnd = os.getProcessCpuTime();
      long end = marks.get(2);
      long firstBlock = marks.get(0);
      long tenth = marks.get(1);
      Map<Long, long[]> cpu1 = threadCpu(threads);
      Map<String, Long> jvmThreads = new LinkedHashMap<>();
      nativeThreadTicks().forEach((kind, ticks) -> jvmThreads.put(kind, ticks - native0.getOrDefault(kind, 0L)));
      long gc = gcMillis() - gc0;
      caughtUp.await(10, TimeUnit.SECONDS); // the "caught up" event comes at the next sync tick (not measured)
      SyncProgress last = events.isEmpty() ? null : events.get(events.size() - 1);
      System.out.printf(Locale.ROOT, "  %5.1f s  height %d reached; last onSyncProgress: %s (%d events, %d printed)%n", (end - start) / 1e9,
          target, last, events.size(), printed);
      Map<String, Long> byThread = new LinkedHashMap<>();
      long loop = loopThreadId.get();
      String loopName = null;
      for (Map.Entry<Long, long[]> e : cpu1.entrySet()) {
        long before = cpu0.containsKey(e.getKey()) ? cpu0.get(e.getKey())[0] : 0;
        long used = e.getValue()[0] - before;
        String name = names.getOrDefault(e.getKey(), "?") + " #" + e.getKey();
        if (e.getKey() == loop) {
          name = "FOLLOWER EVENT LOOP " + name;
          loopName = name;
        }
        byThread.put(name, used);
      }
      return new CatchUp(start, firstBlock, tenth, tenthHeight, end, (cpuEnd - cpuStart) / 1e9, gc, byThread, loopName, events, last,
          jvmThreads);
    }

    private final Map<Long, String> names = new ConcurrentHashMap<>();

    private Map<Long, long[]> threadCpu(ThreadMXBean threads) {
      Map<Long, long[]> cpu = new HashMap<>();
      for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (info != null) {
          long t = threads.getThreadCpuTime(info.getThreadId());
          if (t >= 0) {
            cpu.put(info.getThreadId(), new long[] {t});
            names.put(info.getThreadId(), info.getThreadName());
          }
        }
      }
      return cpu;
    }

    // ---- report

    private void report(CatchUp r, long height, long txs, Bound before, Bound after, Bound batchBefore, Bound batchAfter) {
      double seconds = (r.endNanos - r.startNanos) / 1e9;
      double blocksPerSecond = height / seconds;
      double tps = txs / seconds;
      double steadySeconds = (r.endNanos - r.tenthNanos) / 1e9;
      double steadyTps = (double) (height - r.tenthHeight) * txs / height / steadySeconds;
      double boundRate = (before.rate + after.rate) / 2;
      double coresUsed = r.cpuSeconds / seconds;
      System.out.println("---- catch-up");
      System.out.printf(Locale.ROOT, "%d blocks, %d transactions in %.2f s from the follower's start (first block stored after %.2f s):"
          + " %.0f blocks/s, %.0f tx/s; after the first %d blocks %.0f tx/s%n", height, txs, seconds, (r.firstBlockNanos - r.startNanos) / 1e9,
          blocksPerSecond, tps, r.tenthHeight, steadyTps);
      System.out.printf(Locale.ROOT, "process CPU %.1f s = %.2f of %d cores; %.0f tx per CPU-second; GC %d ms%n", r.cpuSeconds, coresUsed, cores,
          tps / coresUsed, r.gcMillis);
      System.out.printf(Locale.ROOT, "verification bound (mean of before and after) %.0f/s on %d cores: catch-up = %.0f%% of it"
          + " (%.0f%% after the first tenth); %.0f tx/s per core (goal 10,000), bound %.0f per core%n", boundRate, cores, 100 * tps / boundRate,
          100 * steadyTps / boundRate, tps / cores, boundRate / cores);
      double batchRate = (batchBefore.rate + batchAfter.rate) / 2;
      System.out.printf(Locale.ROOT, "batch verification bound (mean of before and after) %.0f/s on %d cores (%.2fx the one-by-one bound):"
          + " catch-up = %.0f%% of it (%.0f%% after the first tenth)%n", batchRate, cores, batchRate / boundRate, 100 * tps / batchRate,
          100 * steadyTps / batchRate);
      double boundPerCpu = (before.perCpuSecond + after.perCpuSecond) / 2;
      System.out.printf(Locale.ROOT, "per CPU-second, which a machine shared with other work changes less: %.0f tx caught up (the whole"
          + " process, GC and JIT included%s) against %.0f verifications (the bound's threads): %.0f%%%n", tps / coresUsed,
          serverWhere.equals("inline") ? ", and the serving node" : "", boundPerCpu, 100 * tps / coresUsed / boundPerCpu);
      System.out.println("CPU by thread over the catch-up (top 14; " + (serverWhere.equals("inline") ? "threads of both nodes" : "the follower's threads")
          + "; JVM's own GC/JIT threads are outside Java's list):");
      long javaTotal = r.threadCpu.values().stream().mapToLong(Long::longValue).sum();
      r.threadCpu.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(14)
          .forEach(e -> System.out.printf(Locale.ROOT, "  %6.2f s %5.1f%% of the wall time  %s%n", e.getValue() / 1e9,
              100.0 * e.getValue() / (r.endNanos - r.startNanos), e.getKey()));
      Map<String, Long> groups = new LinkedHashMap<>();
      r.threadCpu.forEach((name, ns) -> groups.merge(group(name), ns, Long::sum));
      System.out.print("  by kind:");
      groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(e -> System.out.printf(Locale.ROOT, " %s %.1f s;", e.getKey(), e.getValue() / 1e9));
      System.out.printf(Locale.ROOT, " outside Java threads (GC, JIT) %.1f s%n", r.cpuSeconds - javaTotal / 1e9);
      if (!r.jvmTicks.isEmpty()) {
        System.out.print("  the JVM's own threads (/proc, 100 ticks a second):");
        r.jvmTicks.forEach((kind, ticks) -> System.out.printf(Locale.ROOT, " %s %.1f s;", kind, ticks / 100.0));
        System.out.println();
      }
      // The share of the bound is the product of three factors; which one falls short says where to look.
      double workerSeconds = groups.getOrDefault("vert.x-worker-thread", 0L) / 1e9;
      double workerShare = workerSeconds / r.cpuSeconds;
      double coresShare = coresUsed / cores;
      double nodeSpeed = workerSeconds > 0 ? txs / workerSeconds / (boundRate / cores) : 0;
      System.out.printf(Locale.ROOT, "the share of the bound, decomposed: %.0f%% of the process's CPU on the worker threads (verification, state"
          + " reads%s) x %.0f%% of the cores busy x %.0f%% (transactions per worker CPU-second, %.0f, against the bound's %.0f per thread)"
          + " = %.0f%%%n", 100 * workerShare, serverWhere.equals("inline") ? ", the serving node's reads" : "", 100 * coresShare, 100 * nodeSpeed,
          workerSeconds > 0 ? txs / workerSeconds : 0, boundRate / cores, 100 * workerShare * coresShare * nodeSpeed);
      StringBuilder json = new StringBuilder("{\"bench\":\"SyncCatchUp\"");
      args.forEach((k, v) -> json.append(",\"").append(k).append("\":\"").append(v).append('"'));
      json.append(String.format(Locale.ROOT, ",\"height\":%d,\"transactions\":%d,\"seconds\":%.2f,\"blocksPerSecond\":%.0f,\"txPerSecond\":%.0f,"
          + "\"steadyTxPerSecond\":%.0f,\"cpuCores\":%.2f,\"txPerCpuSecond\":%.0f,\"boundBefore\":%.0f,\"boundAfter\":%.0f,\"shareOfBound\":%.3f,"
          + "\"txPerSecondPerCore\":%.0f,\"gcMs\":%d,\"boundPerCpuSecond\":%.0f,\"shareOfBoundPerCpuSecond\":%.3f,"
          + "\"workerShareOfCpu\":%.3f,\"coresBusy\":%.3f,\"workerSpeedOfBound\":%.3f,\"batchBoundBefore\":%.0f,\"batchBoundAfter\":%.0f,"
          + "\"shareOfBatchBound\":%.3f}", height, txs, seconds,
          blocksPerSecond, tps, steadyTps, coresUsed, tps / coresUsed, before.rate, after.rate, tps / boundRate, tps / cores, r.gcMillis, boundPerCpu,
          tps / coresUsed / boundPerCpu, workerShare, coresShare, nodeSpeed, batchBefore.rate, batchAfter.rate, tps / batchRate));
      System.out.println(json);
    }

    private static String group(String name) {
      if (name.startsWith("FOLLOWER EVENT LOOP")) {
        return "follower event loop";
      }
      String n = name.replaceAll(" #\\d+$", "");
      if (n.startsWith("meshledger-writes-")) {
        return "store writer";
      }
      return n.replaceAll("-?\\d+$", "");
    }

    private static long gcMillis() {
      return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static long size(Path dir) throws IOException {
      try (Stream<Path> files = Files.walk(dir)) {
        return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
      }
    }

    private static void delete(Path dir) throws IOException {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
