package org.meshledger.samples.supplychain;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.meshledger.TransactionValidator;
import org.meshledger.Verification;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Payload;
import org.meshledger.chain.StateView;
import org.meshledger.chain.Transaction;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Member;

/**
 * The consortium's custody rule for {@code shipment/<id>} entries, run by every node on every DATA write as the
 * host's {@link TransactionValidator}:
 * <ul>
 *   <li>only the manufacturer creates a shipment, and holds it first;
 *   <li>after that, only the current holder writes it: a status update names itself as the holder again, a
 *       handover names the next holder; the next holder must be a member of the genesis;
 *   <li>the value must be a {@link Shipment}.
 * </ul>
 * Other keys are not shipments and are left alone. The rule reads only the transaction, the state before it and
 * the genesis, so every node reaches the same verdict; a refused write stays in its block as FAILED (fee paid) with
 * the reason below.
 */
public final class CustodyRule implements TransactionValidator {
  private final String manufacturer;
  private final Map<AccountId, String> names = new HashMap<>();

  /**
   * @param genesis the chain's members: their accounts are who may hold a shipment
   * @param manufacturer the name of the member that makes (creates) shipments
   * @throws IllegalArgumentException if {@code manufacturer} is not a member
   */
  public CustodyRule(Genesis genesis, String manufacturer) {
    for (Member m : genesis.members()) {
      names.put(m.account(), m.name());
    }
    if (!names.containsValue(manufacturer)) {
      throw new IllegalArgumentException("the manufacturer '" + manufacturer + "' is not a member of the genesis; members: " + names.values());
    }
    this.manufacturer = manufacturer;
  }

  @Override
  public Verification check(Transaction tx, StateView state) {
    if (!(tx.payload() instanceof Payload.DataWrite w) || !w.key().startsWith(Shipment.PREFIX)) {
      return Verification.ok();
    }
    String sender = names.get(tx.sender());
    if (sender == null) {
      return Verification.failed("custody: " + tx.sender() + " is not a member and holds no shipment");
    }
    Shipment next;
    try {
      next = Shipment.fromBytes(w.value());
    } catch (IllegalArgumentException e) {
      return Verification.failed("custody: the value of " + w.key() + " is not a shipment: " + e.getMessage());
    }
    if (!names.containsValue(next.holder())) {
      return Verification.failed("custody: " + w.key() + " names '" + next.holder() + "' as its holder, not a member");
    }
    Optional<DataEntry> current = state.current(w.key());
    if (current.isEmpty()) {
      if (!sender.equals(manufacturer)) {
        return Verification.failed("custody: only the " + manufacturer + " creates a shipment, not the " + sender + " (" + w.key() + ")");
      }
      return next.holder().equals(manufacturer) ? Verification.ok()
          : Verification.failed("custody: a new shipment is held by its maker, the " + manufacturer + ", not the " + next.holder());
    }
    String holder;
    try {
      holder = Shipment.fromBytes(current.get().value()).holder();
    } catch (IllegalArgumentException e) { // written before this rule: nobody holds it
      return Verification.failed("custody: " + w.key() + " v" + current.get().version() + " is not a shipment, so nobody holds it");
    }
    if (!sender.equals(holder)) {
      return Verification.failed("custody: " + w.key() + " is held by the " + holder + "; only its holder hands it over, not the " + sender);
    }
    return Verification.ok();
  }

  /** The member name of {@code account}, or its hex if it is not a member. */
  public String nameOf(AccountId account) {
    return names.getOrDefault(account, account.toHex());
  }
}
