package org.meshledger.chain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.meshledger.Ledger;

/**
 * A final block with what executing it did: the event a {@link Ledger} delivers for each block.
 *
 * @param block the block, with its commit certificate
 * @param results one per transaction, in block order
 */
public record CommittedBlock(Block block, List<TransactionResult> results) {
  public CommittedBlock {
    Objects.requireNonNull(block, "block");
    results = List.copyOf(results);
    if (results.size() != block.transactions().size()) {
      throw new IllegalArgumentException("block " + block.height() + " holds " + block.transactions().size() + " transactions, not "
          + results.size() + " results");
    }
  }

  public long height() {
    return block.height();
  }

  /** The receipt of the transaction at {@code index} (its proof costs a pass over the block's ids). */
  public Receipt receipt(int index) {
    Objects.checkIndex(index, results.size());
    return new Receipt(block.transactions().get(index), block.height(), index, block.hash(), results.get(index), block.proof(index));
  }

  /** The receipts of all transactions, in block order; the proofs share one pass over the tree. */
  public List<Receipt> receipts() {
    List<Hash> ids = new ArrayList<>(results.size());
    block.transactions().forEach(t -> ids.add(t.id()));
    List<MerkleProof> proofs = MerkleTree.proofs(ids);
    List<Receipt> out = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      out.add(new Receipt(block.transactions().get(i), block.height(), i, block.hash(), results.get(i), proofs.get(i)));
    }
    return out;
  }
}
