/**
 * The boundary between a node and its host's code. Every callback a host registers runs through
 * {@link org.meshledger.impl.host.HostCallbacks}: a host's bug is the host's, so it is logged (rate-limited),
 * counted in {@code meshledger.host.callback.failures}, and turned into a value the caller acts on (drop the
 * message, reject the transaction, end an asynchronous block subscription), never into a disconnect of the peer
 * that delivered the input, a ban score, or an exception inside consensus, sync or spreading.
 */
package org.meshledger.impl.host;
