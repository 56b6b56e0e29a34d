/**
 * Meshledger's implementation: the runtime, protocol cores, crypto, codec and the default storage. Nothing
 * here is API: the module exports no package of its own (the testing and simulation packages will be the
 * exceptions) and plugs in through the services it provides.
 */
module org.meshledger.impl {
  requires org.meshledger;
  requires org.meshledger.spi;
  requires io.vertx.core;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires com.h2database;
  requires com.fasterxml.jackson.databind;
  requires java.sql;

  provides org.meshledger.crypto.Ed25519Provider with org.meshledger.impl.crypto.BouncyCastleEd25519;
  provides org.meshledger.spi.BlockStoreProvider with
      org.meshledger.impl.store.H2BlockStoreProvider,
      org.meshledger.impl.store.InMemoryBlockStoreProvider;
}
