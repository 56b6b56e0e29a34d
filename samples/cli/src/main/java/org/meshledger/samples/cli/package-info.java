/**
 * The {@code meshledger} command (picocli): what an operator needs to run a network across hosts without writing a
 * host application.
 *
 * <p><b>Two halves.</b> Commands that make files ({@code keygen}, {@code genesis}, {@code testnet}) and run a node
 * ({@code node}) use the API in-process; commands that ask a running node something ({@code status}, {@code submit},
 * {@code get}) go through its operator HTTP API ({@link org.meshledger.samples.cli.http}) with a small client
 * ({@link org.meshledger.samples.cli.client}), so they work from any machine that can reach it. A transaction is signed
 * by the CLI with the signer's key file; the node never sees a key but its own.
 *
 * <p><b>Files.</b> A node directory holds {@code node.key}, {@code genesis.json} and {@code node.json}
 * ({@link org.meshledger.samples.cli.NodeConfig}), with paths relative to the directory, so it moves to its host as
 * one piece. Nothing is overwritten by accident: keys, genesis files and test networks refuse an existing target.
 *
 * <p><b>Errors.</b> Expected failures (a missing file, bad JSON naming the field, a port in use, an unreachable node,
 * a rejected transaction) print one line and exit 1; usage errors exit 2, as picocli does; a stack trace means a bug.
 */
package org.meshledger.samples.cli;
