package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.ConfigurationException;
import org.meshledger.Node;
import org.meshledger.NodeOptions;
import org.meshledger.NodeStatus.State;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.StoreContext;
import org.meshledger.spi.testsupport.TestGenesis;

/**
 * The two errors a user meets first when starting a node, each with a message that names the thing and the fix;
 * the node ends STOPPED having released what it opened.
 */
class NodeStartErrorsIT {
  private final KeyPair key = KeyPair.generate();
  private final Genesis genesis = TestGenesis.chain("start-errors").keys(key).build().genesis();

  private static Throwable startFailure(Node node) throws Exception {
    Future<Void> start = node.start();
    try {
      start.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the node started");
  }

  @Test
  void aDataDirThatIsAFileIsNamedWithTheFix(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("ledger-data"), "not a directory");
    Node node = Node.builder().options(new NodeOptions().setDataDir(file).setListenHost("127.0.0.1").setListenPort(0))
        .genesis(genesis).identity(key).build();
    assertThat(startFailure(node)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("the data dir " + file + " is a file, not a directory")
        .hasMessageContaining("NodeOptions.setDataDir");
    assertThat(node.status().state()).isEqualTo(State.STOPPED);

    Node below = Node.builder().options(new NodeOptions().setDataDir(file.resolve("sub")).setListenHost("127.0.0.1").setListenPort(0))
        .genesis(genesis).identity(key).build();
    assertThat(startFailure(below)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(file + " is a file, not a directory");
    node.close();
    below.close();
  }

  @Test
  void aPortInUseIsNamedWithTheFixAndTheStoreIsReleased(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Node node = Node.builder().options(new NodeOptions().setDataDir(dir).setListenHost("127.0.0.1").setListenPort(port))
          .genesis(genesis).identity(key).build();
      assertThat(startFailure(node)).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("port " + port + " on 127.0.0.1 is in use")
          .hasMessageContaining("NodeOptions.setListenPort");
      node.close();
      assertThat(node.status().state()).isEqualTo(State.STOPPED);
    }
    try (BlockStore store = BlockStores.open("h2", new StoreContext(dir, genesis.chainId(), genesis.hash()))) {
      assertThat(store.height()).as("the H2 store the failed start had opened is closed again: it opens").isZero();
    }
  }
}
