package org.meshledger.impl.net;

import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.meshledger.chain.Hash;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.spi.testsupport.Await;
import org.meshledger.spi.testsupport.TestGenesis;

/** Real networks on loopback for the integration tests: members, a genesis, fast timeouts, recorders. */
final class TestNet implements AutoCloseable {
  static final long SEED = Long.getLong("meshledger.seed", System.nanoTime());

  final Vertx vertx = Vertx.vertx();
  final List<KeyPair> keys = new ArrayList<>();
  final Genesis genesis;
  final Path root;
  final List<Node> nodes = Collections.synchronizedList(new ArrayList<>());

  /** A started network and what it reported. */
  record Node(Network net, Recorder rec, NetworkConfig config) {}

  TestNet(Path root, int members, boolean permissioned) {
    this(root, members, permissioned, "net-test");
  }

  TestNet(Path root, int members, boolean permissioned, String chain) {
    this.root = root;
    for (int i = 0; i < members; i++) {
      keys.add(key("member-" + i));
    }
    this.genesis = genesis(chain, keys, permissioned, TestGenesis.TIME);
  }

  static KeyPair key(String name) {
    return KeyPair.fromSeed(Hash.sha256((SEED + "/" + name).getBytes(StandardCharsets.UTF_8)).bytes());
  }

  /** The first key validates (and is paid the fees), the others observe; default consensus. */
  static Genesis genesis(String chain, List<KeyPair> keys, boolean permissioned, Instant time) {
    TestGenesis.Builder b = TestGenesis.chain(chain).observers(keys.size() - 1).keys(keys.toArray(KeyPair[]::new)).genesisTime(time);
    return (permissioned ? b : b.open()).build().genesis();
  }

  /** Config of member {@code i}: loopback, ephemeral port, sub-second timers. */
  NetworkConfig config(int i) {
    return fast(new NetworkConfig()).setGenesis(genesis).setKey(keys.get(i)).setDataDir(root.resolve("node-" + i))
        .setRandomSeed(SEED + i);
  }

  static NetworkConfig fast(NetworkConfig c) {
    return c.setListenHost("127.0.0.1").setListenPort(0)
        .setHandshakeTimeout(Duration.ofMillis(3000)).setKeepaliveInterval(Duration.ofMillis(200))
        .setIdleTimeout(Duration.ofMillis(3000)).setFrameTimeout(Duration.ofMillis(600))
        .setReconnectMin(Duration.ofMillis(50)).setReconnectMax(Duration.ofMillis(600))
        .setPeerExchangeInterval(Duration.ofMillis(500)).setBanDuration(Duration.ofSeconds(3))
        .setMaxFrameBytes(64 * 1024);
  }

  Node start(NetworkConfig config) {
    Recorder rec = new Recorder();
    Network net = new Network(vertx, config, rec);
    get(net.start(), "start " + config.getKey().nodeId());
    Node n = new Node(net, rec, config);
    nodes.add(n);
    return n;
  }

  static <T> T get(Future<T> f, String what) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(what + " failed (seed " + SEED + "): " + e, e);
    }
  }

  /** Polls {@code condition} until it holds; fails after {@code timeout} naming the seed. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    Await.until(what + " (replay with -Dmeshledger.seed=" + SEED + ")", timeout, condition);
  }

  @Override
  public void close() {
    for (Node n : List.copyOf(nodes)) {
      get(n.net().stop(), "stop");
    }
    get(vertx.close(), "close vertx");
  }

  /** Records what a network reports; an optional hook sees each message on the network's context. */
  static final class Recorder implements NetworkListener {
    record Msg(PeerConnection from, int type, byte[] body) {}

    final AtomicInteger connects = new AtomicInteger();
    final List<String> disconnects = Collections.synchronizedList(new ArrayList<>());
    final ConcurrentLinkedQueue<Msg> messages = new ConcurrentLinkedQueue<>();
    volatile BiConsumer<PeerConnection, Msg> hook;

    @Override
    public void onConnected(PeerConnection peer) {
      connects.incrementAndGet();
    }

    @Override
    public void onDisconnected(PeerConnection peer, String reason) {
      disconnects.add(reason);
    }

    @Override
    public void onMessage(PeerConnection peer, int type, byte[] body) {
      Msg m = new Msg(peer, type, body);
      messages.add(m);
      BiConsumer<PeerConnection, Msg> h = hook;
      if (h != null) {
        h.accept(peer, m);
      }
    }
  }
}
