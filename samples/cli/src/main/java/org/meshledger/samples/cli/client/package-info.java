/**
 * The CLI's side of the operator API: a small blocking client over the JDK's {@code java.net.http}, so the commands
 * that talk to a running node ({@code status}, {@code submit}, {@code get}) need no Vert.x event loop of their own.
 *
 * <p>Answers are read with a bound before they are parsed, as anything from the network is. A receipt comes back with
 * its transaction and Merkle proof in their canonical encoding, so {@link org.meshledger.samples.cli.client.NodeClient#receiptOf}
 * rebuilds the API's {@code Receipt} and a caller checks it against a block header it fetched and verified itself,
 * trusting the node for nothing.
 */
package org.meshledger.samples.cli.client;
