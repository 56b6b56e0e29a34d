/** The network visualizer sample: real nodes through the API, the fault injection impl exports, Vert.x Web. */
module org.meshledger.samples.visualizer {
  requires org.meshledger;
  requires org.meshledger.impl; // only its exported org.meshledger.testing
  requires io.vertx.core;
  requires io.vertx.web;
  requires java.logging; // to quiet the nodes' INFO lines on the demo's console
}
