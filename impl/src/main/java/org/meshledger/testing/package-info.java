/**
 * Fault injection and observation for networks of real nodes, for a host's own tests and demos: plug-in objects
 * passed to {@code Node.Builder.plugin(Object)}, each a small switch on one node that the node's driver consults.
 * Nothing is mocked: the sockets, TLS, handshakes and protocol code are the production ones.
 *
 * <ul>
 *   <li>{@link org.meshledger.testing.LinkFilter} cuts links: while a peer is blocked the node refuses its
 *       handshakes and closes the live connection to it. A partition is one filter per node, each side blocking
 *       the other side's ids; {@link org.meshledger.testing.LinkFilter#heal()} lifts it, and the nodes reconnect
 *       on their ordinary reconnect schedule ({@code NodeOptions.setReconnectMax} bounds the wait).</li>
 *   <li>{@link org.meshledger.testing.SpreadTrace} watches spreading: the node calls it for every spreading
 *       frame it sends or receives (stem, payload, announcement, request), so a test or a visualizer sees a
 *       message travel hop by hop, and Dandelion++'s stem before its fluff.</li>
 * </ul>
 *
 * <p>Both are read on the node's event loop, so they are built to be cheap there: a filter is a volatile set
 * read per handshake, a trace is a callback whose failures the node logs, counts and otherwise ignores (it never
 * disconnects a peer or stops spreading). A trace must not block: it runs on the node's only thread.
 */
package org.meshledger.testing;
