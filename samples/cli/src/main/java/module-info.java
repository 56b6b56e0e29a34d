/**
 * The {@code meshledger} command line: keys, genesis files, test networks, a standalone node with its operator HTTP API
 * and Prometheus metrics, and a client of that API. Compiles against the API only; the implementation is found at run time.
 */
module org.meshledger.samples.cli {
  requires transitive org.meshledger; // the exported client and API name its values
  requires info.picocli;
  requires com.fasterxml.jackson.core; // the line and column of a bad config file
  requires transitive io.vertx.core;
  requires transitive io.vertx.web;
  requires micrometer.core;
  requires micrometer.registry.prometheus;
  requires java.net.http;

  exports org.meshledger.samples.cli.client;
  exports org.meshledger.samples.cli.http;

  // picocli fills the commands' annotated fields by reflection
  opens org.meshledger.samples.cli to info.picocli;
}
