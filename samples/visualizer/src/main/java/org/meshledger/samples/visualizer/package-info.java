/**
 * The network visualizer: a local network of real nodes (TLS on loopback, an H2 store each) and a web page that
 * shows it live, where a person adds and deletes nodes, kills validators, partitions the network, loads it with
 * transactions, switches the spreading protocol and watches a message travel hop by hop.
 *
 * <p>The parts: {@link org.meshledger.samples.visualizer.DemoNetwork} runs the nodes and the experiments on one
 * control thread; {@link org.meshledger.samples.visualizer.StatusFeed} reads the nodes' status and the spreading
 * traces into the {@link org.meshledger.samples.visualizer.UpdateHub}, a snapshot-then-numbered-updates stream whose
 * per-client queues merge updates by key and are capped; {@link org.meshledger.samples.visualizer.WebServer} serves the
 * page, the graph library from its WebJar, and the stream as server-sent events. Faults are the implementation's
 * exported test hooks ({@code org.meshledger.testing}), not hacks: a partition is each node's {@code LinkFilter}, the
 * hop animation each node's {@code SpreadTrace}. {@link org.meshledger.samples.visualizer.Headless} runs the same
 * network without the page for scripts.
 */
package org.meshledger.samples.visualizer;
