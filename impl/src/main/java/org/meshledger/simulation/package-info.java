/**
 * Deterministic simulators: one for whole nodes under faults ({@link org.meshledger.simulation.NodeSimulation}), one
 * for spreading protocols at scale ({@link org.meshledger.simulation.Simulation}). Both run on a virtual clock with
 * seeded randomness, and both run the very objects that run on real sockets.
 *
 * <p>{@link org.meshledger.simulation.NodeSimulation} runs a network of nodes (consensus, block sync, the ledger,
 * transactions spread in batches) through a fault plan (crashes that lose unfinished writes, lossy and partitioned
 * networks, skewed clocks, up to f Byzantine validators) and checks the nodes' promises at every step; a broken one is
 * an {@link org.meshledger.simulation.InvariantViolation} that carries the plan that replays it.
 *
 * <p>The spreading simulator: thousands of nodes in one JVM, running the protocol objects of real nodes.
 *
 * <p>A {@link org.meshledger.simulation.Simulation} is built from {@link org.meshledger.simulation.SimulationOptions}:
 * a seed, a {@link org.meshledger.simulation.Topology} (random regular, Erdos-Renyi, Barabasi-Albert, explicit
 * edges), a {@link org.meshledger.simulation.LatencyModel} (constant, uniform, log-normal, matrix), optional
 * bandwidth and loss, the protocol, and a share of spy nodes. Each node gets its own random source split from
 * the seed, and events due at the same instant run in the order they were scheduled, so a seed replays a run
 * event for event: a failure found here is a seed that reproduces it.
 *
 * <p>A {@link org.meshledger.simulation.Report} gives what matters about a protocol: coverage latency
 * (L50, L90, L100), fairness (Jain's index, L90/L50), bandwidth per node per message, delivery ratio under
 * churn and faults, and {@link org.meshledger.simulation.Anonymity} against the first-spy estimator.
 * The propagation study ({@code PropagationStudy} in the benchmarks sample, outside the runtime jar; see
 * {@code docs/propagation.md}) compares the protocols and writes a CSV and an SVG plot.
 */
package org.meshledger.simulation;
