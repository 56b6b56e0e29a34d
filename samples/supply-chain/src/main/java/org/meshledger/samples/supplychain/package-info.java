/**
 * The supply-chain sample: four organisations share one ledger and none of them controls it.
 *
 * <p><b>Custody is a host rule, not a ledger feature.</b> The ledger knows DATA entries with versions; what a
 * shipment is and who may move it is the consortium's business, so it lives in the host's
 * {@link org.meshledger.TransactionValidator} ({@link org.meshledger.samples.supplychain.CustodyRule}), which every
 * node runs on every write. It reads only the transaction, the state before it and the genesis, so all nodes agree;
 * a refused write is still final, as FAILED with the rule's reason, which is itself evidence.
 *
 * <p><b>Evidence outlives the network.</b> The auditor exports a shipment's history as
 * {@link org.meshledger.chain.ReceiptProof}s and checks them with the genesis file alone, then replays the custody
 * rule over them: no node has to be running, and no member has to be trusted.
 *
 * <p>{@code SupplyChain} tells the story and {@code Consortium} runs the four nodes; {@code ShipmentTracker} is the
 * host-side pattern of following blocks across restarts ({@code docs/ledger.md}).
 */
package org.meshledger.samples.supplychain;
