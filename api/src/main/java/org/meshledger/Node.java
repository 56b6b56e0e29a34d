package org.meshledger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import org.meshledger.chain.NodeId;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;

/**
 * A ledger node inside the host's JVM: client and server at once, connected over TLS to the other members'
 * nodes. Build one with {@link #builder()}:
 *
 * <pre>{@code
 * Node node = Node.builder()
 *     .options(new NodeOptions().setDataDir(dir).setListenPort(7001).addPeer("10.0.0.2:7001"))
 *     .genesis(Genesis.fromJson(genesisFile))
 *     .identity(KeyPair.load(keyFile))
 *     .spreading(Spreading.diffusion(Duration.ofMillis(100)))
 *     .build();
 * node.start().await();
 * }</pre>
 *
 * <p><b>Life.</b> {@code NEW -> STARTING -> RUNNING -> STOPPING -> STOPPED}, only ever forward, as
 * {@link NodeStatus#state()} reports at every moment. A node is a Vert.x deployment: {@link #start()} deploys it
 * (it opens the store, listens and dials) on the host's {@link Vertx} or on one it makes for itself;
 * {@link #stop()} undeploys it (it closes every socket, timer and file, and the Vert.x it made). A node starts
 * once; a failed start, and a stop at any point, end in STOPPED, and nothing makes a stopped node run again:
 * build a new node (on the same data dir to keep its chain). A host that undeploys the node or closes the
 * {@code Vertx} it runs on stops it too.
 *
 * <p><b>Outside RUNNING.</b> {@link #id()}, {@link #genesis()}, {@link #status()}, {@link #onSyncProgress},
 * {@link #propagator()}, its {@link Propagator#spreading()}, {@link Propagator#stats()} and
 * {@link Propagator#subscribe} work in every state. Calls that need a running node refuse with an
 * {@link IllegalStateException} whose message names the node's state and what to do: see {@link #ledger()},
 * {@link Propagator#publish} and {@link Ledger}.
 *
 * <p><b>Threading.</b> A node's state lives on one Vert.x context, its deployment's: Vert.x gives each
 * deployment a context of its own on the next event loop, so nodes started on one shared {@code Vertx} spread
 * over its event loops. Every method may be called from any thread, except {@link #close()}, which blocks and
 * refuses an event-loop thread. Futures of the ledger complete on the node's context; those of {@link #start()}
 * and {@link #stop()} on whichever thread ends the start or the stop (their callbacks must not block either).
 * Blocking work (storage, batch signature checks) runs off the event loop.
 */
public interface Node extends AutoCloseable {

  /** A builder that finds the implementation ({@code org.meshledger:meshledger} on the class or module path). */
  static Builder builder() {
    return new Builder();
  }

  /** This node's key. */
  NodeId id();

  /** The genesis this node serves. */
  Genesis genesis();

  /**
   * Deploys the node: it opens the store, starts listening, dials the bootstrap peers and starts consensus. The
   * state is STARTING meanwhile and RUNNING when the future completes; peers connect afterwards, in the background.
   * Does not block.
   *
   * @return completes when the node runs. Fails with an {@link IllegalStateException} at once if the node was
   *     started (or stopped) before ("a node starts once"); with an {@link IllegalStateException} saying "stopped
   *     while starting" if {@link #stop()} came first; or with the cause if the start fails: a
   *     {@link ConfigurationException} for a data dir that is a file or cannot be made, or a port in use (each
   *     naming the path or port and the fix), a {@link StorageException} for a store that cannot be opened. A
   *     failed start ends STOPPED, with everything it had opened released, before its future fails.
   */
  Future<Void> start();

  /**
   * Undeploys the node: it closes every connection, timer and file (the store unless the host gave it, and the
   * {@link Vertx} it made). Idempotent, from any state and any thread; does not block. Stopping a STARTING node
   * makes its start fail ("stopped while starting") and releases what the start had opened.
   *
   * @return completes when the node is STOPPED, its port closed and its store closed (the same future for every
   *     call); fails with the cause if releasing something failed (a store that could not be closed), the node
   *     being STOPPED all the same
   */
  Future<Void> stop();

  /**
   * Stops the node and waits, at most 30 s, until it is STOPPED, releasing everything, the node's own
   * {@link Vertx} included. Idempotent. Blocks the calling thread, so on an event loop call {@link #stop()} and
   * use its future instead.
   *
   * @throws IllegalStateException at once, stopping nothing, if called on a Vert.x event-loop thread
   * @throws MeshledgerException if releasing failed (the cause is the failure itself), or if the node did not stop
   *     within 30 s (it goes on stopping; wait on {@link #stop()}'s future for longer)
   */
  @Override
  void close();

  /**
   * A snapshot of the node; cheap, callable from any thread, in every state. Its state is the node's at that
   * moment; the port is 0 until the node listens and once it is STOPPED.
   */
  NodeStatus status();

  /**
   * The node's spreading: protocol, statistics, and publish/subscribe of ephemeral messages. Available in every
   * state; see {@link Propagator} for what each call does before start and after stop.
   */
  Propagator propagator();

  /**
   * The chain this node holds: submit transactions, read final blocks and state, follow new blocks. The ledger
   * exists from the moment the store is open during {@link #start()}; after a stop it stays reachable and refuses
   * what needs the store (see {@link Ledger}).
   *
   * @throws IllegalStateException before the start has opened the store (NEW, early STARTING), or if the node
   *     stopped before it had a ledger; the message names the state and what to do
   */
  Ledger ledger();

  /**
   * Follows block sync: {@code listener} gets the progress when the node starts catching up (a peer claims at
   * least {@link SyncProgress#CATCHING_UP_GAP} blocks more than it holds), about once a second while it does,
   * and once when it has caught up ({@link SyncProgress#catchingUp()} false). The same figures are in
   * {@link NodeStatus#progress()} at any time. Callable before {@link #start()}.
   *
   * <p>Called on the node's event loop: the listener must return quickly and not block; an exception it
   * throws is logged and counted ({@code meshledger.host.callback.failures}, {@code kind=sync-progress}), does not
   * reach the node or its peers, and leaves the listener registered.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  Registration onSyncProgress(java.util.function.Consumer<SyncProgress> listener);

  /** A listener's registration; {@link #close()} removes it. */
  interface Registration extends AutoCloseable {
    /** Removes the listener; idempotent. */
    @Override
    void close();
  }

  /**
   * What an implementation provides: registered with {@link ServiceLoader} ({@code provides} in a module
   * descriptor, or {@code META-INF/services} on the class path). Hosts never call it.
   */
  interface Factory {
    /** Builds a node from what the builder collected; the options are a copy. */
    Node create(Builder builder);
  }

  /**
   * Collects what a node is made of: options (data), then the genesis, identity and plug-ins (objects).
   * Not thread-safe; build once.
   */
  final class Builder {
    private NodeOptions options = new NodeOptions();
    private Genesis genesis;
    private KeyPair identity;
    private Spreading spreading = Spreading.flooding();
    private Vertx vertx;
    private TransactionValidator validator = TransactionValidator.ACCEPT_ALL;
    private final List<Object> plugins = new ArrayList<>();

    Builder() {}

    /** The options; copied when the node is built. */
    public Builder options(NodeOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** The network's genesis (required). */
    public Builder genesis(Genesis genesis) {
      this.genesis = Objects.requireNonNull(genesis, "genesis");
      return this;
    }

    /** The node's key (required): its identity in handshakes and its signing key. */
    public Builder identity(KeyPair identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /** The spreading protocol and its parameters; default {@link Spreading#flooding()}. */
    public Builder spreading(Spreading spreading) {
      this.spreading = Objects.requireNonNull(spreading, "spreading");
      return this;
    }

    /**
     * The host's rules for DATA transactions, consulted when every block executes; default
     * {@link TransactionValidator#ACCEPT_ALL}. Every node of the network must register the same rules (see
     * {@link TransactionValidator} for why they must be deterministic).
     */
    public Builder validator(TransactionValidator validator) {
      this.validator = Objects.requireNonNull(validator, "validator");
      return this;
    }

    /**
     * The host's own Vert.x instance to deploy on; the node then neither creates nor closes one. Default: the
     * node creates its own.
     */
    public Builder vertx(Vertx vertx) {
      this.vertx = Objects.requireNonNull(vertx, "vertx");
      return this;
    }

    /**
     * A plug-in object the node uses instead of a default, recognized by what it is (the interfaces it implements,
     * whatever its class): an {@code org.meshledger.spi.BlockStore} (the node then ignores
     * {@link NodeOptions#getStorage()} and does not close the store), or a Micrometer {@code MeterRegistry} (any
     * kind, for the node's metrics). At most one of each kind; {@link #build()} refuses an object that is none of
     * them, naming the kinds it knows, and a second one of a kind.
     */
    public Builder plugin(Object instance) {
      plugins.add(Objects.requireNonNull(instance, "plug-in"));
      return this;
    }

    public NodeOptions options() {
      return options;
    }

    public Genesis genesis() {
      return genesis;
    }

    public KeyPair identity() {
      return identity;
    }

    public Spreading spreading() {
      return spreading;
    }

    public TransactionValidator validator() {
      return validator;
    }

    /** The host's Vert.x, or null if the node makes its own. */
    public Vertx vertx() {
      return vertx;
    }

    /** The plug-ins given, in the order given; the implementation sorts them by kind. */
    public List<Object> plugins() {
      return List.copyOf(plugins);
    }

    /**
     * Checks what was collected and builds the node (not started).
     *
     * @throws ConfigurationException naming what is missing or inconsistent, or if no implementation is found
     */
    public Node build() {
      if (genesis == null) {
        throw new ConfigurationException("a node needs a genesis: call genesis(Genesis.fromJson(file))");
      }
      if (identity == null) {
        throw new ConfigurationException("a node needs an identity: call identity(KeyPair.load(file))");
      }
      options.validate();
      Builder copy = new Builder();
      copy.options = new NodeOptions(options);
      copy.genesis = genesis;
      copy.identity = identity;
      copy.spreading = spreading;
      copy.vertx = vertx;
      copy.validator = validator;
      copy.plugins.addAll(plugins);
      for (Factory f : ServiceLoader.load(Factory.class, Node.class.getClassLoader())) {
        return f.create(copy);
      }
      throw new ConfigurationException("no Meshledger implementation found: add org.meshledger:meshledger at run time");
    }
  }
}
