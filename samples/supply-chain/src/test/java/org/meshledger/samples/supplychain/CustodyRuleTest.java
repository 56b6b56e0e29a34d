package org.meshledger.samples.supplychain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.meshledger.Verification;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Amount;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Payload;
import org.meshledger.chain.StateView;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Role;

/** Who may create and hand over a shipment, as every node decides it, and the reasons a refused write carries. */
class CustodyRuleTest {
  private static final String KEY = "shipment/42";
  private final Map<String, KeyPair> keys = new HashMap<>();
  private final Genesis genesis;
  private final CustodyRule rule;
  /** The state before the transaction under test: the shipment's current entry, if any. */
  private final Map<String, DataEntry> entries = new HashMap<>();
  private final StateView state = new StateView() {
    @Override
    public AccountState account(AccountId account) {
      return AccountState.EMPTY;
    }

    @Override
    public Optional<DataEntry> current(String key) {
      return Optional.ofNullable(entries.get(key));
    }
  };

  CustodyRuleTest() {
    Genesis.Builder b = Genesis.builder("custody-test");
    for (String m : List.of("manufacturer", "carrier", "retailer", "auditor")) {
      keys.put(m, KeyPair.generate());
      b.member(m, keys.get(m).nodeId(), Role.VALIDATOR);
    }
    genesis = b.build();
    rule = new CustodyRule(genesis, "manufacturer");
  }

  private Verification write(String sender, String key, byte[] value) {
    Transaction tx = Transaction.sign(genesis.chainId(), keys.get(sender), 0, Amount.of(1), Payload.DataWrite.of(key, value));
    return rule.check(tx, state);
  }

  private Verification write(String sender, Shipment next) {
    return write(sender, KEY, next.toBytes());
  }

  private void holds(String holder) {
    long version = entries.containsKey(KEY) ? entries.get(KEY).version() + 1 : 1;
    entries.put(KEY, new DataEntry(KEY, new Shipment(holder, "s", "l").toBytes(), version, keys.get(holder).accountId(), 1, 0, Hash.ZERO));
  }

  @Test
  void onlyTheManufacturerCreatesAShipmentAndHoldsItFirst() {
    assertThat(write("manufacturer", new Shipment("manufacturer", "packed", "plant"))).isEqualTo(Verification.ok());
    assertThat(write("carrier", new Shipment("carrier", "packed", "depot")).reason())
        .isEqualTo("custody: only the manufacturer creates a shipment, not the carrier (shipment/42)");
    assertThat(write("manufacturer", new Shipment("carrier", "packed", "plant")).reason())
        .isEqualTo("custody: a new shipment is held by its maker, the manufacturer, not the carrier");
  }

  @Test
  void onlyTheHolderHandsOverToAMember() {
    holds("manufacturer");
    assertThat(write("manufacturer", new Shipment("carrier", "handed over", "plant"))).isEqualTo(Verification.ok());
    holds("carrier");
    assertThat(write("carrier", new Shipment("carrier", "in transit", "A6"))).as("a status update by the holder").isEqualTo(Verification.ok());
    assertThat(write("retailer", new Shipment("retailer", "received", "store")).reason())
        .isEqualTo("custody: shipment/42 is held by the carrier; only its holder hands it over, not the retailer");
    assertThat(write("manufacturer", new Shipment("manufacturer", "recalled", "plant")).reason()).contains("held by the carrier");
    assertThat(write("carrier", new Shipment("pirate", "gone", "sea")).reason())
        .isEqualTo("custody: shipment/42 names 'pirate' as its holder, not a member");
    holds("retailer");
    assertThat(write("retailer", new Shipment("retailer", "on the shelf", "store"))).isEqualTo(Verification.ok());
  }

  @Test
  void aValueThatIsNotAShipmentIsRefusedAndOtherKeysAreNotShipments() {
    byte[] text = "packed".getBytes(StandardCharsets.UTF_8);
    assertThat(write("manufacturer", KEY, text).reason()).isEqualTo("custody: the value of shipment/42 is not a shipment: not a JSON object");
    assertThat(write("manufacturer", KEY, "{\"holder\":\"manufacturer\"}".getBytes(StandardCharsets.UTF_8)).reason())
        .startsWith("custody: the value of shipment/42 is not a shipment: a shipment has exactly the fields");
    assertThat(write("manufacturer", KEY, "{\"holder\":1,\"status\":\"s\",\"location\":\"l\"}".getBytes(StandardCharsets.UTF_8)).reason())
        .endsWith("the field holder must be a string");
    assertThat(write("carrier", "invoice/7", text)).as("not a shipment key").isEqualTo(Verification.ok());
    KeyPair stranger = KeyPair.generate();
    Transaction tx = Transaction.sign(genesis.chainId(), stranger, 0, Amount.of(1), Payload.DataWrite.of(KEY, text));
    assertThat(rule.check(tx, state).reason()).endsWith("is not a member and holds no shipment");
  }

  @Test
  void theManufacturerMustBeAMember() {
    assertThatThrownBy(() -> new CustodyRule(genesis, "factory")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'factory' is not a member");
  }
}
