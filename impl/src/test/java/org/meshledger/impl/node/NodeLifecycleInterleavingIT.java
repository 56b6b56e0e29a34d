package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.NodeStatus.State;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.spi.testsupport.TestGenesis;

/**
 * {@code start()}, {@code stop()} and {@code close()} racing from different threads (the host's thread, another
 * thread, an event loop) after small delays drawn from a seed, on the host's Vert.x and on the node's own.
 * Whatever the schedule, once every call has returned: the node is STOPPED; its state only ever went forward,
 * so it was never RUNNING after a stop completed; a start that a stop overtook failed saying so; a close on an
 * event loop was refused; its port can be bound again; and a new node opens its data dir and port.
 *
 * <p>The delays are sleeps inside the schedule under test (when each call is made), never a wait for a result:
 * results are futures awaited with a timeout. The timing of each run still depends on the machine, so a seed
 * replays the schedule, not the exact interleaving; a failing seed fails again with high probability.
 *
 * <p>{@code -Dmeshledger.lifecycle.interleavings=N} (through {@code -Dtest.jvm.args=...} with Maven) runs more
 * than the default 40; {@code -Dmeshledger.lifecycle.seed=S} runs the schedule of seed {@code S} (and the next
 * ones if more interleavings are asked for). A failure names its seed and the command that replays it.
 */
class NodeLifecycleInterleavingIT {
  private static final int DEFAULT_INTERLEAVINGS = 40;
  /**
   * Delays are drawn up to this: a quarter are 0, half below a third of it (a node's start takes about that on two
   * busy cores, so stops land in every phase of it), a quarter above (stops of a running node).
   */
  private static final int MAX_DELAY_MILLIS = 750;
  private static final long TIMEOUT_SECONDS = 60;

  private static Vertx host;

  private final KeyPair key = KeyPair.generate();
  private final Genesis genesis = TestGenesis.chain("interleavings").keys(key).build().genesis();

  enum Where { HOST_THREAD, OTHER_THREAD, EVENT_LOOP }

  enum Action { START, STOP, CLOSE }

  record Op(Action action, Where where, int delayMillis) {
    @Override
    public String toString() {
      return action + "@" + where + "+" + delayMillis + "ms";
    }
  }

  /** One interleaving: on the host's Vert.x or the node's own, these calls, each after its delay from time zero. */
  record Schedule(long seed, boolean onHostVertx, List<Op> ops) {
    static Schedule of(long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      boolean onHost = r.nextBoolean();
      List<Op> ops = new ArrayList<>();
      ops.add(new Op(Action.START, where(r), r.nextBoolean() ? 0 : r.nextInt(MAX_DELAY_MILLIS / 6))); // the first start comes early
      int more = 1 + r.nextInt(3);
      for (int i = 0; i < more; i++) {
        int pick = r.nextInt(100);
        ops.add(new Op(pick < 15 ? Action.START : pick < 60 ? Action.STOP : Action.CLOSE, where(r), delay(r)));
      }
      if (ops.stream().noneMatch(Schedule::stops)) { // a close on an event loop is refused: something must stop it
        ops.add(new Op(Action.STOP, where(r), delay(r)));
      }
      return new Schedule(seed, onHost, List.copyOf(ops));
    }

    private static boolean stops(Op op) {
      return op.action() == Action.STOP || op.action() == Action.CLOSE && op.where() != Where.EVENT_LOOP;
    }

    private static Where where(SplittableRandom r) {
      return Where.values()[r.nextInt(Where.values().length)];
    }

    private static int delay(SplittableRandom r) {
      int quarter = r.nextInt(4);
      return quarter == 0 ? 0 : quarter == 3 ? r.nextInt(MAX_DELAY_MILLIS / 3, MAX_DELAY_MILLIS) : r.nextInt(MAX_DELAY_MILLIS / 3);
    }

    @Override
    public String toString() {
      return "seed " + seed + " on " + (onHostVertx ? "the host's Vert.x" : "the node's own Vert.x") + ": " + ops;
    }
  }

  /** What a call did: when it finished and how (a value or the exception it threw or failed with). */
  record Outcome(Op op, long finishedNanos, Throwable failure) {
    boolean succeeded() {
      return failure == null;
    }
  }

  @BeforeAll
  static void hostVertx() {
    host = Vertx.vertx();
  }

  @AfterAll
  static void closeHost() throws Exception {
    host.close().toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void whateverTheInterleavingTheNodeEndsStoppedAndReleasesItsPortAndDataDir(@TempDir Path dir) throws Exception {
    String seedProperty = System.getProperty("meshledger.lifecycle.seed");
    long base = seedProperty != null ? Long.parseLong(seedProperty) : new SplittableRandom().nextLong();
    int count = Integer.getInteger("meshledger.lifecycle.interleavings", seedProperty != null ? 1 : DEFAULT_INTERLEAVINGS);
    long began = System.nanoTime();
    int[] ends = new int[3]; // ran, stopped while starting, stopped before its start
    for (int i = 0; i < count; i++) {
      Schedule schedule = Schedule.of(base + i);
      try {
        List<State> history = run(schedule, dir.resolve("run-" + i));
        ends[history.contains(State.RUNNING) ? 0 : history.contains(State.STARTING) ? 1 : 2]++;
      } catch (Throwable e) {
        throw new AssertionError("interleaving " + schedule + " failed: " + e.getMessage() + "\nreplay it with"
            + " mvn -B -o -pl impl -am verify -Dtest=none -Dit.test=" + getClass().getSimpleName()
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dtest.jvm.args=-Dmeshledger.lifecycle.seed=" + schedule.seed(), e);
      }
    }
    System.out.printf("%d interleavings from seed %d in %.1f s: the node ran in %d, was stopped while starting in %d and"
        + " before its start in %d%n", count, base, (System.nanoTime() - began) / 1e9, ends[0], ends[1], ends[2]);
  }

  /** Runs one schedule and checks what must hold after it; returns the states the node went through. */
  private List<State> run(Schedule schedule, Path data) throws Exception {
    int port = freePort();
    Node.Builder builder = Node.builder().genesis(genesis).identity(key).options(options(data, port));
    if (schedule.onHostVertx()) {
      builder.vertx(host);
    }
    Node node = builder.build();
    List<long[]> seen = new CopyOnWriteArrayList<>(); // {nanos, state ordinal}: what status() said, in order
    Thread watcher = watch(node, seen);
    List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
    long zero = System.nanoTime();
    List<Integer> onHostThread = new ArrayList<>();
    for (Op op : schedule.ops()) {
      CompletableFuture<Outcome> outcome = new CompletableFuture<>();
      outcomes.add(outcome);
      switch (op.where()) {
        case HOST_THREAD -> onHostThread.add(outcomes.size() - 1);
        case OTHER_THREAD -> {
          Thread t = new Thread(() -> {
            sleepUntil(zero, op.delayMillis());
            perform(node, op, outcome);
          }, "interleaving-other");
          t.start();
        }
        case EVENT_LOOP -> {
          if (op.delayMillis() == 0) {
            host.runOnContext(v -> perform(node, op, outcome));
          } else {
            host.setTimer(op.delayMillis(), id -> perform(node, op, outcome));
          }
        }
      }
    }
    onHostThread.sort(java.util.Comparator.comparingInt(i -> schedule.ops().get(i).delayMillis()));
    for (int i : onHostThread) { // the host thread makes its calls in the order of their delays
      Op op = schedule.ops().get(i);
      sleepUntil(zero, op.delayMillis());
      perform(node, op, outcomes.get(i));
    }
    List<Outcome> done = new ArrayList<>();
    for (CompletableFuture<Outcome> f : outcomes) {
      done.add(f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }
    State after = node.status().state();
    watcher.interrupt();
    watcher.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));

    assertThat(after).as("the state once every call of %s has returned", schedule).isEqualTo(State.STOPPED);
    List<State> history = ((VertxNode) node).history();
    assertThat(history).as("every state the node went through").isSortedAccordingTo(Enum::compareTo)
        .doesNotHaveDuplicates().endsWith(State.STOPPED);
    List<State> states = seen.stream().map(s -> State.values()[(int) s[1]]).toList();
    assertThat(states).as("the states status() reported, in order: they only go forward").isSortedAccordingTo(Enum::compareTo);
    long firstStopDone = done.stream().filter(o -> o.succeeded() && o.op().action() != Action.START)
        .mapToLong(Outcome::finishedNanos).min().orElse(Long.MAX_VALUE);
    assertThat(seen.stream().filter(s -> s[0] > firstStopDone && s[1] == State.RUNNING.ordinal()))
        .as("RUNNING reported after a stop completed").isEmpty();
    checkOutcomes(done);

    assertThat(bindable(port)).as("port %d can be bound again", port).isTrue();
    Node again = Node.builder().genesis(genesis).identity(key).options(options(data, port)).vertx(host).build();
    await(again.start());
    assertThat(again.status().state()).isEqualTo(State.RUNNING);
    await(again.stop());
    assertThat(host.deploymentIDs()).as("no node left deployed on the host's Vert.x").isEmpty();
    return history;
  }

  private static void checkOutcomes(List<Outcome> done) {
    int tookEffect = 0;
    for (Outcome o : done) {
      switch (o.op().action()) {
        case START -> {
          if (o.succeeded()) {
            tookEffect++;
          } else {
            assertThat(o.failure()).as("a failed start").isInstanceOf(IllegalStateException.class);
            if (o.failure().getMessage().contains("stopped while starting")) {
              tookEffect++;
            } else {
              assertThat(o.failure()).hasMessageContaining("starts once");
            }
          }
        }
        case STOP -> assertThat(o.failure()).as("stop's future").isNull();
        case CLOSE -> {
          if (o.op().where() == Where.EVENT_LOOP) {
            assertThat(o.failure()).as("close() on an event loop").isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stop()");
          } else {
            assertThat(o.failure()).as("close() off the event loop").isNull();
          }
        }
      }
    }
    assertThat(tookEffect).as("starts that began the node's start (a node starts once)").isLessThanOrEqualTo(1);
  }

  /** Makes {@code op}'s call and completes {@code outcome} when it has finished (for start and stop, their future). */
  private static void perform(Node node, Op op, CompletableFuture<Outcome> outcome) {
    try {
      switch (op.action()) {
        case START -> report(node.start(), op, outcome);
        case STOP -> report(node.stop(), op, outcome);
        case CLOSE -> {
          node.close();
          outcome.complete(new Outcome(op, System.nanoTime(), null));
        }
      }
    } catch (Throwable e) {
      outcome.complete(new Outcome(op, System.nanoTime(), e));
    }
  }

  private static void report(Future<Void> f, Op op, CompletableFuture<Outcome> outcome) {
    f.onComplete(ar -> outcome.complete(new Outcome(op, System.nanoTime(), ar.failed() ? ar.cause() : null)));
  }

  /** Samples status() until interrupted, recording each change of state with its time. */
  private static Thread watch(Node node, List<long[]> seen) {
    Thread t = new Thread(() -> {
      State last = null;
      while (!Thread.currentThread().isInterrupted()) {
        State s = node.status().state();
        if (s != last) {
          seen.add(new long[] {System.nanoTime(), s.ordinal()});
          last = s;
        }
        LockSupport.parkNanos(100_000); // sampling interval, not a wait for anything
      }
      State s = node.status().state();
      if (s != last) {
        seen.add(new long[] {System.nanoTime(), s.ordinal()});
      }
    }, "interleaving-watcher");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void sleepUntil(long zero, int delayMillis) {
    long wake = zero + TimeUnit.MILLISECONDS.toNanos(delayMillis);
    for (long left = wake - System.nanoTime(); left > 0; left = wake - System.nanoTime()) {
      LockSupport.parkNanos(left); // the schedule's delay: when the call is made
    }
  }

  private static NodeOptions options(Path data, int port) {
    return new NodeOptions().setDataDir(data).setListenHost("127.0.0.1").setListenPort(port);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("failed: " + e.getCause(), e.getCause());
    }
  }
}
