/**
 * Meshledger's implementation: the runtime, protocol cores, crypto, codec and the default storage. Nothing
 * here is API but the discrete-event simulator ({@code org.meshledger.simulation}) and the fault injection for
 * networks of real nodes ({@code org.meshledger.testing}); the rest plugs in through the services it provides.
 */
module org.meshledger.impl {
  requires transitive org.meshledger; // the simulation API names Gossip, Hash, Spreading, Propagator
  requires org.meshledger.spi;
  requires io.vertx.core;
  requires io.netty.transport; // only to abort a socket whose peer stopped reading (impl.net.Sockets)
  requires io.netty.handler; // and these two only to warm TLS up on a worker (impl.net.TlsWarmUp)
  requires io.netty.buffer;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires com.h2database;
  requires com.fasterxml.jackson.databind;
  requires java.sql;
  requires static micrometer.core; // optional: metrics when the host passes a MeterRegistry

  // API
  exports org.meshledger.simulation;
  exports org.meshledger.testing;

  // SPI defaults
  provides org.meshledger.Node.Factory with org.meshledger.impl.node.VertxNodeFactory;
  provides org.meshledger.crypto.Ed25519Provider with org.meshledger.impl.crypto.BouncyCastleEd25519;
  provides org.meshledger.spi.BlockStoreProvider with
      org.meshledger.impl.store.H2BlockStoreProvider,
      org.meshledger.impl.store.InMemoryBlockStoreProvider;
  provides org.meshledger.spi.SpreadingProtocolProvider with
      org.meshledger.impl.spreading.FloodingProvider,
      org.meshledger.impl.spreading.DiffusionProvider,
      org.meshledger.impl.spreading.DandelionPlusPlusProvider;
  provides org.meshledger.spi.RewardRule with org.meshledger.impl.incentives.DefaultRewardRule;
}
