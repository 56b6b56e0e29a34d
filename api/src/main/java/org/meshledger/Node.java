package org.meshledger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

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
 * <p><b>Life.</b> {@link #start()} opens the store, listens and dials; {@link #stop()} closes every socket,
 * timer and file; {@link #close()} stops and waits. A node starts once: starting twice, or using a stopped
 * node, fails with an {@link IllegalStateException} that says so.
 *
 * <p><b>Threading.</b> A node's state lives on one Vert.x context (an event loop of its own {@link Vertx},
 * or of the host's when one is given to the builder); every method may be called from any thread, and
 * futures complete on that context. Blocking work (storage, batch signature checks) runs off the event loop.
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
   * Opens the store, starts listening and dials the bootstrap peers. Completes once the node listens; peers
   * connect afterwards, in the background.
   *
   * @return fails with an {@link IllegalStateException} if the node was started before, or with the cause if
   *     the store or the port cannot be opened (the node is stopped then)
   */
  Future<Void> start();

  /** Closes every connection, timer and file. Idempotent; the returned future completes when all is released. */
  Future<Void> stop();

  /** Stops and waits for it, releasing everything, the node's own {@link Vertx} included. Idempotent. */
  @Override
  void close();

  /** A snapshot of the node; cheap, callable from any thread, also before start and after stop. */
  NodeStatus status();

  /** The node's spreading: protocol, statistics, and publish/subscribe of ephemeral messages. */
  Propagator propagator();

  /**
   * The chain this node holds: submit transactions, read final blocks and state, follow new blocks.
   *
   * @throws IllegalStateException before {@link #start()} has opened the store; after a stop the ledger stays
   *     reachable and refuses calls with a message that says the node is not running
   */
  Ledger ledger();

  /**
   * Follows block sync: {@code listener} gets the progress when the node starts catching up (a peer claims at
   * least {@link SyncProgress#CATCHING_UP_GAP} blocks more than it holds), about once a second while it does,
   * and once when it has caught up ({@link SyncProgress#catchingUp()} false). The same figures are in
   * {@link NodeStatus#progress()} at any time. Callable before {@link #start()}.
   *
   * <p>Called on the node's event loop: the listener must return quickly and not block; an exception it
   * throws is logged and does not reach the node or its peers.
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
    private final Map<Class<?>, Object> plugins = new HashMap<>();

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
     * A plug-in object the node uses instead of its default, keyed by the type it implements: for example an
     * {@code org.meshledger.spi.BlockStore} instance (the node then ignores {@link NodeOptions#getStorage()}
     * and does not close the store), or a Micrometer {@code MeterRegistry} for metrics.
     */
    public <T> Builder plugin(Class<T> type, T instance) {
      Objects.requireNonNull(type, "type");
      plugins.put(type, type.cast(Objects.requireNonNull(instance, "instance")));
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

    /** The plug-in registered for {@code type}, or null. */
    public <T> T plugin(Class<T> type) {
      return type.cast(plugins.get(type));
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
      copy.plugins.putAll(plugins);
      for (Factory f : ServiceLoader.load(Factory.class, Node.class.getClassLoader())) {
        return f.create(copy);
      }
      throw new ConfigurationException("no Meshledger implementation found: add org.meshledger:meshledger at run time");
    }
  }
}
