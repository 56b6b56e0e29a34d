package org.meshledger.samples.benchmarks;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.meshledger.IncentivePolicy;
import org.meshledger.Ledger;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.PropagationStats;
import org.meshledger.TransactionRejectedException;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;

/**
 * Committed transactions per second and submit-to-final latency of a network of real nodes: {@code validators}
 * validators and {@code followers} observers in one JVM, on loopback over TLS, each with its own H2 store in a
 * temporary directory (deleted afterwards) and its own Vert.x as in production ({@code vertx=shared} builds them all
 * on one Vert.x instead, which today also puts them all on one event loop: see {@code docs/performance.md}). Transfers from {@code senders} accounts funded in the
 * genesis, each sender using its nonces 0, 1, 2, ... in order.
 *
 * <p><b>Load.</b> A closed loop: {@code clients} threads submit while fewer than {@code inflight} submits are
 * waiting for their receipt and the sender has fewer than {@code perSender} waiting (the mempool admits nonces
 * up to 64 ahead of a sender's committed one, so {@code perSender} must stay below that); with {@code rate} above
 * 0 they also hold submission {@code i} until {@code i / rate} seconds after the start. Submissions go round-robin
 * over every node ({@code submitTo=all}) or all to one node ({@code submitTo=0}).
 *
 * <p><b>What is measured.</b> Every transaction is signed before the clock starts, and verified once on the
 * client threads too (this warms up Bouncy Castle's Ed25519, which takes seconds to reach its speed), so the
 * client's signing is excluded. The node's own checks are included: {@link Ledger#submit} verifies the signature
 * on the calling thread (a client thread here), every other node verifies it when the transaction arrives.
 * The first {@code warmup} fraction of the receipts is not counted: the window runs from that receipt to the
 * last one. Latency is from the call to {@code submit} to the receipt, over transactions submitted after the
 * warm-up. Blocks, mean transactions per block and block interval are those node 0 stored within the window;
 * CPU is the process's CPU time over the window.
 *
 * <p>Usage, every argument {@code name=value} and optional: {@code LedgerThroughput validators=4 followers=0
 * transactions=30000 senders=200 perSender=16 inflight=2000 rate=0 clients=2 submitTo=all seed=1
 * blockInterval=100 maxBlockTransactions=5000 warmup=0.2 storage=h2 relay=push stall=30 vertx=own}; {@code relay} is
 * flooding's relay mode for transaction batches ({@code push} or {@code announce}); see {@code docs/performance.md}.
 */
public final class LedgerThroughput {
  private static final Map<String, String> DEFAULTS = defaults();

  private LedgerThroughput() {}

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("validators", "1");
    d.put("followers", "0");
    d.put("transactions", "30000");
    d.put("senders", "200");
    d.put("perSender", "16");
    d.put("inflight", "2000");
    d.put("rate", "0");
    d.put("clients", "2");
    d.put("submitTo", "all");
    d.put("seed", "1");
    d.put("blockInterval", "100");
    d.put("maxBlockTransactions", "5000");
    d.put("warmup", "0.2");
    d.put("storage", "h2");
    d.put("relay", "push");
    d.put("stall", "30");
    d.put("vertx", "own");
    return d;
  }

  public static void main(String[] args) throws Exception {
    new Run(BenchArgs.parse(args, DEFAULTS)).run();
  }

  /** One run: the network, the load and the report. */
  private static final class Run {
    final int validators;
    final int followers;
    final int total;
    final int senders;
    final int perSender;
    final int inflight;
    final double rate;
    final int clients;
    final String submitTo;
    final long seed;
    final Duration blockInterval;
    final int maxBlockTransactions;
    final double warmupFraction;
    final String storage;
    final String relay;
    final int stallSeconds;
    final boolean sharedVertx;
    final Map<String, String> args;

    // Pre-signed transactions: txs[s][k] is sender s's nonce k.
    Transaction[][] txs;
    final AtomicInteger[] nextOf;
    final LinkedBlockingQueue<Integer> ready = new LinkedBlockingQueue<>();
    final Semaphore permits;
    final AtomicLong seq = new AtomicLong();
    long[] submitNanos;
    long[] finalNanos;
    final AtomicInteger outcomes = new AtomicInteger();
    final AtomicInteger receipts = new AtomicInteger();
    final LongAdder rejected = new LongAdder();
    final Map<String, Integer> reasons = new ConcurrentHashMap<>();
    final long[] receiptNanos; // arrival time of the i-th receipt, in arrival order
    final ConcurrentLinkedQueue<long[]> blocks = new ConcurrentLinkedQueue<>(); // {arrival nanos, height, transactions, header millis, commit round}
    final ConcurrentLinkedQueue<long[]> cpuSamples = new ConcurrentLinkedQueue<>(); // {nanos, process cpu nanos}
    volatile long lastOutcomeNanos;

    Run(Map<String, String> a) {
      this.args = a;
      validators = Integer.parseInt(a.get("validators"));
      followers = Integer.parseInt(a.get("followers"));
      total = Integer.parseInt(a.get("transactions"));
      senders = Integer.parseInt(a.get("senders"));
      perSender = Integer.parseInt(a.get("perSender"));
      inflight = Integer.parseInt(a.get("inflight"));
      rate = Double.parseDouble(a.get("rate"));
      clients = Integer.parseInt(a.get("clients"));
      submitTo = a.get("submitTo");
      seed = Long.parseLong(a.get("seed"));
      blockInterval = Duration.ofMillis(Long.parseLong(a.get("blockInterval")));
      maxBlockTransactions = Integer.parseInt(a.get("maxBlockTransactions"));
      warmupFraction = Double.parseDouble(a.get("warmup"));
      storage = a.get("storage");
      relay = a.get("relay");
      stallSeconds = Integer.parseInt(a.get("stall"));
      sharedVertx = switch (a.get("vertx")) {
        case "own" -> false;
        case "shared" -> true;
        default -> throw new IllegalArgumentException("vertx must be 'own' (each node its own Vert.x, as in production) or 'shared', got "
            + a.get("vertx"));
      };
      if (validators < 1 || followers < 0 || total < 1 || senders < 1 || clients < 1 || inflight < 1) {
        throw new IllegalArgumentException("validators, transactions, senders, clients and inflight must be positive, followers at least 0: " + a);
      }
      if (perSender < 1 || perSender > 60) {
        throw new IllegalArgumentException("perSender must be 1 to 60 (the mempool admits nonces at most 64 ahead), got " + perSender);
      }
      if (warmupFraction < 0 || warmupFraction >= 0.9) {
        throw new IllegalArgumentException("warmup is a fraction of the transactions, 0 to 0.9, got " + warmupFraction);
      }
      if (!submitTo.equals("all")) {
        int n = Integer.parseInt(submitTo);
        if (n < 0 || n >= validators + followers) {
          throw new IllegalArgumentException("submitTo must be 'all' or a node index 0 to " + (validators + followers - 1) + ", got " + submitTo);
        }
      }
      nextOf = new AtomicInteger[senders];
      permits = new Semaphore(inflight);
      receiptNanos = new long[total];
    }

    void run() throws Exception {
      SplittableRandom random = new SplittableRandom(seed);
      int nodeCount = validators + followers;
      List<KeyPair> nodeKeys = new ArrayList<>();
      List<Member> members = new ArrayList<>();
      for (int i = 0; i < nodeCount; i++) {
        nodeKeys.add(key(random));
        members.add(Member.of("node-" + i, nodeKeys.get(i).nodeId(), i < validators ? Role.VALIDATOR : Role.OBSERVER));
      }
      List<KeyPair> senderKeys = new ArrayList<>();
      Map<AccountId, Amount> balances = new HashMap<>();
      for (int s = 0; s < senders; s++) {
        senderKeys.add(key(random));
        balances.put(senderKeys.get(s).accountId(), Amount.of(1_000_000_000_000L));
      }
      ConsensusParameters defaults = ConsensusParameters.DEFAULTS;
      ConsensusParameters consensus = new ConsensusParameters(defaults.proposeTimeout(), defaults.voteTimeout(), defaults.timeoutIncrement(),
          blockInterval, defaults.heartbeat().compareTo(blockInterval) < 0 ? blockInterval : defaults.heartbeat(), maxBlockTransactions);
      Genesis genesis = new Genesis("ledger-bench", Instant.parse("2026-01-01T00:00:00Z"), true, members, consensus,
          IncentivePolicy.feesTo(nodeKeys.get(0).accountId()), balances);

      prepare(genesis.chainId(), senderKeys, random);

      Path dir = Files.createTempDirectory("meshledger-throughput-");
      Vertx vertx = sharedVertx ? Vertx.vertx() : null;
      List<Node> nodes = new ArrayList<>();
      try {
        for (int i = 0; i < nodeCount; i++) {
          NodeOptions options = new NodeOptions().setDataDir(dir.resolve("node-" + i)).setListenHost("127.0.0.1").setListenPort(0)
              .setStorage(storage).setReconnectMin(Duration.ofMillis(50)).setReconnectMax(Duration.ofSeconds(1));
          for (Node earlier : nodes) {
            options.addPeer("127.0.0.1:" + earlier.status().port());
          }
          Node.Builder builder = Node.builder().options(options).genesis(genesis).identity(nodeKeys.get(i))
              .spreading(org.meshledger.Spreading.flooding().with("relay", relay)); // transactions; consensus always floods

          Node node = (sharedVertx ? builder.vertx(vertx) : builder).build();
          node.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
          nodes.add(node);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (nodes.stream().anyMatch(n -> n.status().peers().size() < nodeCount - 1)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the nodes did not all connect within 60 s");
          }
          Thread.sleep(20); // polling for the overlay to form, outside the measurement
        }
        System.out.printf(Locale.ROOT, "%d validators + %d followers connected (TLS on loopback, %s storage, %s Vert.x); %d transactions from %d senders,"
            + " submitTo=%s, inflight %d, perSender %d, rate %s, blockInterval %d ms, maxBlockTransactions %d%n", validators, followers, storage,
            sharedVertx ? "one shared" : "each its own", total, senders, submitTo, inflight, perSender, rate > 0 ? rate + " tx/s" : "unlimited",
            blockInterval.toMillis(), maxBlockTransactions);
        load(nodes);
      } finally {
        Future.join(nodes.stream().map(Node::stop).toList()).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        if (vertx != null) {
          vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        nodes.forEach(Node::close); // releases each node's own Vert.x
        long height = nodes.isEmpty() ? 0 : nodes.get(0).status().height();
        long bytes = size(dir.resolve("node-0"));
        System.out.printf(Locale.ROOT, "node 0's data directory after %d blocks and %d transactions: %.1f MiB, %.0f bytes a transaction%n",
            height, total, bytes / 1048576.0, total == 0 ? 0.0 : (double) bytes / total);
        delete(dir);
      }
    }

    private static KeyPair key(SplittableRandom random) {
      byte[] seedBytes = new byte[32];
      random.nextBytes(seedBytes);
      return KeyPair.fromSeed(seedBytes);
    }

    /** Signs every transaction, then verifies each once: both on the client threads, before any node starts. */
    private void prepare(String chainId, List<KeyPair> keys, SplittableRandom random) throws InterruptedException {
      txs = new Transaction[senders][];
      int[] recipients = new int[senders];
      for (int s = 0; s < senders; s++) {
        txs[s] = new Transaction[total / senders + (s < total % senders ? 1 : 0)];
        nextOf[s] = new AtomicInteger();
        recipients[s] = (s + 1 + random.nextInt(Math.max(1, senders - 1))) % senders;
      }
      long t0 = System.nanoTime();
      parallel(s -> {
        Payload transfer = new Payload.Transfer(keys.get(recipients[s]).accountId(), Amount.of(1));
        for (int k = 0; k < txs[s].length; k++) {
          txs[s][k] = Transaction.sign(chainId, keys.get(s), k, Amount.of(1), transfer);
        }
      });
      long t1 = System.nanoTime();
      AtomicInteger bad = new AtomicInteger();
      parallel(s -> {
        for (Transaction tx : txs[s]) {
          if (!tx.verifySignature()) {
            bad.incrementAndGet();
          }
        }
      });
      long t2 = System.nanoTime();
      if (bad.get() > 0) {
        throw new IllegalStateException(bad.get() + " pre-signed transactions do not verify");
      }
      System.out.printf(Locale.ROOT, "client: signed %d transactions in %.2f s, verified them in %.2f s on %d threads"
          + " (%.0f verifications/s per thread, warm-up included)%n", total, (t1 - t0) / 1e9, (t2 - t1) / 1e9, clients,
          total / ((t2 - t1) / 1e9) / clients);
    }

    private void parallel(java.util.function.IntConsumer perSenderWork) throws InterruptedException {
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int first = c;
        Thread t = new Thread(() -> {
          for (int s = first; s < senders; s += clients) {
            perSenderWork.accept(s);
          }
        }, "prepare-" + c);
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join();
      }
    }

    private void load(List<Node> nodes) throws Exception {
      List<Ledger> targets = submitTo.equals("all") ? nodes.stream().map(Node::ledger).toList()
          : List.of(nodes.get(Integer.parseInt(submitTo)).ledger());
      Ledger observed = nodes.get(0).ledger();
      Ledger.Subscription blockSub = observed.onBlock(observed.height() + 1,
          b -> blocks.add(new long[] {System.nanoTime(), b.height(), b.block().transactions().size(), b.block().header().timeMillis(),
              b.block().certificate().round()}));
      submitNanos = new long[total];
      finalNanos = new long[total];
      for (int s = 0; s < senders; s++) {
        for (int k = 0; k < Math.min(perSender, txs[s].length); k++) {
          ready.add(s);
        }
      }
      com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long gc0 = gcMillis();
      Thread sampler = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          cpuSamples.add(new long[] {System.nanoTime(), os.getProcessCpuTime()});
          try {
            Thread.sleep(50); // CPU sampling period
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "cpu-sampler");
      sampler.setDaemon(true);
      sampler.start();
      long start = System.nanoTime();
      lastOutcomeNanos = start;
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        Thread t = new Thread(() -> submitLoop(targets, start), "client-" + c);
        t.start();
        threads.add(t);
      }
      boolean stalled = false;
      while (outcomes.get() < total) {
        Thread.sleep(50); // polling the outcome count; the measurement uses the receipts' own timestamps
        if (System.nanoTime() - lastOutcomeNanos > TimeUnit.SECONDS.toNanos(stallSeconds)) {
          stalled = true;
          break;
        }
      }
      long end = System.nanoTime();
      threads.forEach(Thread::interrupt);
      for (Thread t : threads) {
        t.join(5_000);
      }
      sampler.interrupt();
      sampler.join();
      cpuSamples.add(new long[] {System.nanoTime(), os.getProcessCpuTime()});
      long gcMillis = gcMillis() - gc0;
      blockSub.close();
      report(nodes, start, end, stalled, gcMillis);
    }

    private void submitLoop(List<Ledger> targets, long start) {
      try {
        while (true) {
          permits.acquire();
          Integer s = ready.poll(100, TimeUnit.MILLISECONDS);
          while (s == null) {
            if (seq.get() >= total) {
              return;
            }
            s = ready.poll(100, TimeUnit.MILLISECONDS);
          }
          int k = nextOf[s].getAndIncrement();
          int i = (int) seq.getAndIncrement();
          if (rate > 0) {
            long due = start + (long) (i / rate * 1e9);
            long wait = due - System.nanoTime();
            if (wait > 0) {
              TimeUnit.NANOSECONDS.sleep(wait);
            }
          }
          int sender = s;
          Transaction tx = txs[sender][k];
          submitNanos[i] = System.nanoTime();
          targets.get(i % targets.size()).submit(tx).onComplete(ar -> {
            long now = System.nanoTime();
            if (ar.succeeded()) {
              finalNanos[i] = now;
              receiptNanos[receipts.getAndIncrement()] = now;
            } else {
              rejected.increment();
              Throwable e = ar.cause();
              String reason = e instanceof TransactionRejectedException r ? r.reason() : e.toString();
              reasons.merge(reason.length() > 160 ? reason.substring(0, 160) : reason, 1, Integer::sum);
            }
            lastOutcomeNanos = now;
            outcomes.incrementAndGet();
            permits.release();
            if (k + perSender < txs[sender].length) {
              ready.add(sender);
            }
          });
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void report(List<Node> nodes, long start, long end, boolean stalled, long gcMillis) {
      int got = receipts.get();
      int warm = (int) (total * warmupFraction);
      if (got <= warm + 1) {
        System.out.printf(Locale.ROOT, "FAILED: only %d receipts of %d (%d rejected)%n", got, total, rejected.sum());
        printProblems(nodes, stalled);
        return;
      }
      long t0 = receiptNanos[warm];
      long t1 = receiptNanos[got - 1];
      double seconds = (t1 - t0) / 1e9;
      double tps = (got - 1 - warm) / seconds;

      // Latency of transactions submitted after the warm-up share of submissions.
      int submitted = (int) Math.min(seq.get(), total);
      long[] lat = new long[submitted];
      int n = 0;
      for (int i = warm; i < submitted; i++) {
        if (finalNanos[i] != 0) {
          lat[n++] = finalNanos[i] - submitNanos[i];
        }
      }
      lat = Arrays.copyOf(lat, n);
      Arrays.sort(lat);
      double p50 = n == 0 ? Double.NaN : lat[n / 2] / 1e6;
      double p99 = n == 0 ? Double.NaN : lat[Math.min(n - 1, (int) (n * 0.99))] / 1e6;
      double max = n == 0 ? Double.NaN : lat[n - 1] / 1e6;

      List<long[]> inWindow = blocks.stream().filter(b -> b[0] >= t0 && b[0] <= t1).sorted(Comparator.comparingLong(b -> b[1])).toList();
      int blockCount = inWindow.size();
      double perBlock = inWindow.stream().mapToLong(b -> b[2]).average().orElse(Double.NaN);
      double interval = blockCount < 2 ? Double.NaN
          : (double) (inWindow.get(blockCount - 1)[3] - inWindow.get(0)[3]) / (blockCount - 1);
      long maxPerBlock = inWindow.stream().mapToLong(b -> b[2]).max().orElse(0);
      long laterRounds = inWindow.stream().filter(b -> b[4] > 0).count();
      long maxGap = 0;
      for (int i = 1; i < blockCount; i++) {
        maxGap = Math.max(maxGap, inWindow.get(i)[3] - inWindow.get(i - 1)[3]);
      }
      double cpu = cpuAt(t1) - cpuAt(t0);
      double cores = cpu / (t1 - t0);

      System.out.printf(Locale.ROOT, "committed %.0f tx/s (%d receipts in a window of %.2f s after %d of warm-up; whole run %.2f s)%n", tps,
          got - 1 - warm, seconds, warm, (end - start) / 1e9);
      System.out.printf(Locale.ROOT, "submit-to-final latency over %d transactions: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", n, p50, p99, max);
      System.out.printf(Locale.ROOT, "blocks in the window (node 0): %d, mean %.0f transactions a block (max %d), mean interval %.1f ms"
          + " (longest %d ms), %d committed in a round after 0%n", blockCount, perBlock, maxPerBlock, interval, maxGap, laterRounds);
      System.out.printf(Locale.ROOT, "process CPU in the window: %.2f s, %.2f of %d cores, so %.0f transactions per CPU-second; GC over the"
          + " run: %d ms%n", cpu / 1e9, cores, Runtime.getRuntime().availableProcessors(), tps / cores, gcMillis);
      PropagationStats.Counts gossip = nodes.get(0).propagator().stats().of(PropagationStats.Kind.PAYLOAD);
      System.out.printf(Locale.ROOT, "transaction gossip at node 0 over the run: %d payloads received (%.1f MB), %d of them duplicates"
          + " (%.1f MB); %d sent (%.1f MB)%n", gossip.received(), gossip.receivedBytes() / 1e6, gossip.duplicates(), gossip.duplicateBytes() / 1e6,
          gossip.sent(), gossip.sentBytes() / 1e6);
      System.out.printf(Locale.ROOT, "rejected: %d, never final: %d%n", rejected.sum(), total - got - rejected.sum());
      printProblems(nodes, stalled);
      StringBuilder json = new StringBuilder("{\"bench\":\"LedgerThroughput\"");
      args.forEach((k, v) -> json.append(",\"").append(k).append("\":\"").append(v).append('"'));
      json.append(String.format(Locale.ROOT, ",\"txPerSecond\":%.0f,\"p50Ms\":%.1f,\"p99Ms\":%.1f,\"maxMs\":%.1f,\"blocks\":%d,\"txPerBlock\":%.0f,"
          + "\"blockIntervalMs\":%.1f,\"laterRoundBlocks\":%d,\"cpuCores\":%.2f,\"txPerCpuSecond\":%.0f,\"gcMs\":%d,\"receipts\":%d,\"rejected\":%d,\"neverFinal\":%d,\"stalled\":%b}",
          tps, p50, p99, max, blockCount, perBlock, interval, laterRounds, cores, tps / cores, gcMillis, got, rejected.sum(), total - got - rejected.sum(), stalled));
      System.out.println(json);
    }

    private void printProblems(List<Node> nodes, boolean stalled) {
      if (!reasons.isEmpty()) {
        System.out.println("first rejection reasons (count):");
        reasons.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(5)
            .forEach(e -> System.out.println("  " + e.getValue() + " x " + e.getKey()));
      }
      if (stalled) {
        System.out.printf(Locale.ROOT, "STALLED: no outcome for %d s with %d of %d outstanding; nodes:%n", stallSeconds, total - outcomes.get(), total);
        for (int i = 0; i < nodes.size(); i++) {
          System.out.printf(Locale.ROOT, "  node %d height %d peers %d sync %s%n", i, nodes.get(i).status().height(),
              nodes.get(i).status().peers().size(), nodes.get(i).status().sync());
        }
      }
    }

    /** Process CPU nanoseconds at {@code nanos}, interpolated between the samples around it. */
    private double cpuAt(long nanos) {
      long[] before = null;
      for (long[] s : cpuSamples) {
        if (s[0] <= nanos) {
          before = s;
        } else {
          if (before == null) {
            return s[1];
          }
          return before[1] + (double) (s[1] - before[1]) * (nanos - before[0]) / (s[0] - before[0]);
        }
      }
      return before == null ? 0 : before[1];
    }

    private static long gcMillis() {
      return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static long size(Path dir) throws IOException {
      if (!Files.isDirectory(dir)) {
        return 0;
      }
      try (var files = Files.walk(dir)) {
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
