package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.meshledger.spi.testsupport.Await.await;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.NodeStatus;
import org.meshledger.SyncProgress;
import org.meshledger.chain.Block;
import org.meshledger.chain.CommitSignature;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.spi.testsupport.Await;
import org.meshledger.spi.testsupport.TestGenesis;

/**
 * Block sync on real nodes (TLS, H2): the failures of issue 11 that the consensus traffic used to hide.
 * A node far behind a chain that has halted still catches up (sync asks on its own, from heights that peers
 * announce, not from consensus messages); a validator whose store was wiped heals from its peers and signs
 * again (the network needs its vote to go on); a lone validator whose store lost blocks refuses to start.
 */
class SyncIT {
  /** Idle blocks every 20 ms: a few hundred blocks in seconds. */
  static final ConsensusParameters QUICK = new ConsensusParameters(Duration.ofMillis(400), Duration.ofMillis(200),
      Duration.ofMillis(100), Duration.ofMillis(10), Duration.ofMillis(20), 2000);

  private final Vertx vertx = Vertx.vertx();
  private final List<Node> nodes = new ArrayList<>();

  @AfterEach
  void tearDown() {
    nodes.stream().filter(n -> n != null).forEach(n -> n.stop().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join());
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  @Test
  void aNewNodeCatchesUpWithAHaltedChainAndReportsItsProgress(@TempDir Path dir) throws Exception {
    TestGenesis net = chain(4, 1);
    List<KeyPair> keys = net.keys();
    Genesis genesis = net.genesis();
    for (int i = 0; i < 4; i++) {
      nodes.add(start(genesis, keys.get(i), dir.resolve("node-" + i), peersOf(i)));
    }
    await("300 blocks", () -> nodes.get(0).status().height() >= 300);
    // two of four validators stop: no quorum, no new height, and no new consensus message for a later height
    nodes.get(2).close();
    nodes.get(3).close();
    nodes.set(2, null);
    nodes.set(3, null);
    long halted = Math.max(nodes.get(0).status().height(), nodes.get(1).status().height());

    List<SyncProgress> seen = new CopyOnWriteArrayList<>();
    NodeOptions late = options(dir.resolve("late")).addPeer("127.0.0.1:" + nodes.get(1).status().port()); // one bootstrap peer
    Node follower = Node.builder().options(late).genesis(genesis).identity(keys.get(4)).vertx(vertx).build();
    follower.onSyncProgress(seen::add);
    nodes.add(follower);
    follower.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    await("the new node at the halted chain's height " + halted, () -> follower.status().height() >= halted);
    // a block may still have been decided as the validators stopped; whoever lacks it fetches it (a gap of one)
    await("all three at one height", () -> nodes.get(0).status().height() == nodes.get(1).status().height()
        && follower.status().height() == nodes.get(0).status().height());
    await("the end of catching up reported", () -> !seen.isEmpty() && !seen.get(seen.size() - 1).catchingUp());
    assertThat(seen.get(0).catchingUp()).as("the first report starts catching up: %s", seen).isTrue();
    assertThat(seen.get(0).target()).isGreaterThanOrEqualTo(halted - 1);
    // caught up with a chain that cannot grow: not behind any more, and it says why nothing new comes. A validator
    // counts as reachable for a heartbeat and a few rounds after a vote of it last came through; the halted
    // validators' last votes can still be re-gossiped to the new node, so the verdict may take that long to settle.
    NodeStatus status = Await.until("the new node to report NO_QUORUM", Duration.ofSeconds(60), follower::status,
        st -> st.sync() == NodeStatus.SyncState.NO_QUORUM);
    assertThat(status.quorum().reachable()).isLessThan(status.quorum().needed());
    assertThat(status.progress().height()).isEqualTo(status.progress().target());
  }

  @Test
  void aValidatorWhoseStoreWasWipedHealsFromItsPeersAndSignsAgain(@TempDir Path dir) throws Exception {
    TestGenesis net = chain(4, 0);
    List<KeyPair> keys = net.keys();
    Genesis genesis = net.genesis();
    for (int i = 0; i < 4; i++) {
      nodes.add(start(genesis, keys.get(i), dir.resolve("node-" + i), peersOf(i)));
    }
    await("100 blocks", () -> nodes.get(0).status().height() >= 100);
    nodes.get(3).close();
    nodes.set(3, null);
    Path store = dir.resolve("node-3");
    wipeAllBut(store, SafetyFile.NAME); // the chain is gone, the safety record stays: it signed at a height it no longer holds

    nodes.set(3, start(genesis, keys.get(3), store, peersOf(3)));
    long others = nodes.get(0).status().height();
    await("the rebuilt validator past " + others, () -> nodes.get(3).status().height() > others);
    // without validator 2, every block needs validator 3's precommit
    nodes.get(2).close();
    nodes.set(2, null);
    long from = nodes.get(0).status().height();
    await("10 blocks without validator 2", () -> nodes.get(0).status().height() >= from + 10);
    Block b = LedgerNodeTest.get(nodes.get(0).ledger().block(from + 10)).orElseThrow();
    assertThat(b.certificate().signatures()).extracting(CommitSignature::validator).contains(keys.get(3).nodeId());
  }

  @Test
  void aLoneValidatorWhoseStoreLostBlocksRefusesToStartAndSaysWhy(@TempDir Path dir) throws Exception {
    TestGenesis net = chain(1, 0);
    List<KeyPair> keys = net.keys();
    Genesis genesis = net.genesis();
    Path store = dir.resolve("solo");
    Node solo = start(genesis, keys.get(0), store, List.of());
    await("20 blocks", () -> solo.status().height() >= 20);
    solo.close();
    wipeAllBut(store, SafetyFile.NAME);
    Node again = Node.builder().options(options(store)).genesis(genesis).identity(keys.get(0)).vertx(vertx).build();
    assertThatThrownBy(() -> again.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS))
        .hasMessageContaining("holds 0 blocks").hasMessageContaining("no peer");
  }

  /** Validators then observers, {@link #QUICK}, the fees paid to an account none of the nodes holds. */
  private static TestGenesis chain(int validators, int observers) {
    return TestGenesis.chain("sync-it").validators(validators).observers(observers).consensus(QUICK)
        .treasury(KeyPair.generate().accountId()).build();
  }

  private List<String> peersOf(int index) {
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (i != index && nodes.get(i) != null && nodes.get(i).status().port() > 0) {
        peers.add("127.0.0.1:" + nodes.get(i).status().port());
      }
    }
    return peers;
  }

  private static NodeOptions options(Path dataDir) {
    return new NodeOptions().setDataDir(dataDir).setListenHost("127.0.0.1").setListenPort(0)
        .setKeepAliveInterval(Duration.ofMillis(500)).setIdleTimeout(Duration.ofSeconds(5))
        .setReconnectMin(Duration.ofMillis(50)).setReconnectMax(Duration.ofMillis(500));
  }

  private Node start(Genesis genesis, KeyPair key, Path dataDir, List<String> peers) throws Exception {
    NodeOptions options = options(dataDir);
    peers.forEach(options::addPeer);
    Node node = Node.builder().options(options).genesis(genesis).identity(key).vertx(vertx).build();
    node.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return node;
  }

  private static void wipeAllBut(Path dir, String keep) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals(keep) && Files.isRegularFile(f)) {
          Files.delete(f);
        }
      }
    }
  }
}
