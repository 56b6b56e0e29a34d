/**
 * The bundled spreading protocols and the relay engine that runs any of them.
 *
 * <p>A protocol ({@link org.meshledger.impl.spreading.Flooding}, {@link org.meshledger.impl.spreading.Diffusion},
 * {@link org.meshledger.impl.spreading.DandelionPlusPlus}) is a small policy: for each new message, which peers,
 * when, and in which form. Everything that does not change between protocols lives once in
 * {@link org.meshledger.impl.spreading.Relay}: the pull of announced messages (announce, request, deliver, and
 * the next announcer when one does not answer), the bounded seen-cache, the rule that private stem messages are
 * served to nobody, and the frame counters.
 *
 * <p>All of it is sans-IO. It sees time, timers, peers, randomness and sending through a
 * {@link org.meshledger.spi.SpreadingRuntime} only, so the simulator ({@code org.meshledger.simulation}) and the
 * Vert.x runtime drive the same objects, and a simulated run replays event for event from its seed. The
 * providers read text parameters and fail with the parameter's name and its valid range.
 */
package org.meshledger.impl.spreading;
