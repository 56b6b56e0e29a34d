/**
 * Contracts for swapping parts of a node: storage ({@link org.meshledger.spi.BlockStore}), spreading protocols
 * ({@link org.meshledger.spi.SpreadingProtocol}) and reward rules ({@link org.meshledger.spi.RewardRule}, which
 * compute how a block's subsidy, fees and the service pools are paid under the genesis's
 * {@link org.meshledger.IncentivePolicy}).
 *
 * <p>Each contract comes with a provider interface found through {@link java.util.ServiceLoader} by a short
 * name ({@code "h2"}, {@code "memory"}, {@code "default"}), so a host chooses an implementation in configuration and a third
 * party ships one as a plain jar. Each also comes with a contract test kit in this module's test-jar
 * ({@code org.meshledger.spi.contract}): an abstract JUnit 5 class that an implementation extends to prove it
 * behaves as the node expects. The bundled implementations pass the same kits.
 *
 * <p>Spreading protocols are sans-IO state machines: they see time, timers, peers, randomness and sending only
 * through a {@link org.meshledger.spi.SpreadingRuntime}, so the Vert.x runtime and the discrete-event simulator
 * run the same protocol code.
 *
 * <p>Threading: storage calls may block; a node appends from one thread at a time and reads concurrently with
 * its appends. See {@link org.meshledger.spi.BlockStore} for where the node calls it and what it guarantees
 * after a crash.
 */
package org.meshledger.spi;
