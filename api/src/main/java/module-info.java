/**
 * The Meshledger API: what a host application compiles against. It names no third-party type but Vert.x
 * {@code Future} and {@code Vertx}; the implementation is found at run time through {@link java.util.ServiceLoader}.
 */
module org.meshledger {
  requires transitive io.vertx.core;
  requires com.fasterxml.jackson.core;

  exports org.meshledger;
  exports org.meshledger.chain;
  exports org.meshledger.genesis;
  exports org.meshledger.codec;
  exports org.meshledger.crypto;

  uses org.meshledger.crypto.Ed25519Provider;
  uses org.meshledger.Node.Factory;
}
