/**
 * The node on Vert.x: the driver that runs the sans-IO protocol cores (spreading today; consensus and sync
 * next) on real sockets.
 *
 * <p>A {@link org.meshledger.impl.node.VertxNode} owns one Vert.x context. Its store is opened off the event
 * loop, its {@link org.meshledger.impl.net.Network} and its {@link org.meshledger.impl.spreading.Relay} live on
 * the context, and {@link org.meshledger.impl.node.VertxSpreadingRuntime} gives the relay the same view of
 * the world that the simulator gives it: time, timers on the context, peers, a seeded random source, and a
 * send that encodes frames with {@link org.meshledger.impl.node.SpreadFrameCodec} into the network's
 * application message types. Frames that do not decode cost the sender misbehaviour points.
 */
package org.meshledger.impl.node;
