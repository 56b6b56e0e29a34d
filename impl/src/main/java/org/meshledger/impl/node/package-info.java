/**
 * The node on Vert.x: the driver that runs the sans-IO protocol cores (spreading and consensus) on real
 * sockets.
 *
 * <p>A {@link org.meshledger.impl.node.VertxNode} is a Vert.x deployment whose life
 * ({@link org.meshledger.impl.node.NodeLifecycle}: new, starting, running, stopping, stopped) only goes forward,
 * and it owns the context Vert.x gives that deployment. Its store is opened off the event
 * loop, its {@link org.meshledger.impl.net.Network} and its {@link org.meshledger.impl.spreading.Relay} live on
 * the context, and {@link org.meshledger.impl.node.VertxSpreadingRuntime} gives the relay the same view of
 * the world that the simulator gives it: time, timers on the context, peers, a seeded random source, and a
 * send that encodes frames with {@link org.meshledger.impl.node.SpreadFrameCodec} into the network's
 * application message types. Frames that do not decode cost the sender misbehaviour points.
 *
 * <p>{@link org.meshledger.impl.node.VertxConsensus} is the consensus machine's host on the same context:
 * {@link org.meshledger.impl.node.ConsensusFlood} floods proposals and votes on message type 0x50 whatever
 * the spreading protocol, {@link org.meshledger.impl.node.SafetyFile} keeps the validator's safety record,
 * and every disk write (records, blocks) is durable before any later message leaves. Blocks to propose, the
 * application's part of valid(v) and execution come from a {@link org.meshledger.impl.node.ConsensusApp}:
 * {@link org.meshledger.impl.node.NodeLedger}, which is also the host's {@link org.meshledger.Ledger}.
 */
package org.meshledger.impl.node;
