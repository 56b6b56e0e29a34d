package org.meshledger.impl.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Hash;
import org.meshledger.spi.StateChanges;

/** The state digest covers the ledger's records, in the byte layout {@code docs/adr/006-execution.md} describes. */
class StateDigestTest {
  private static final Hash PREVIOUS = Hash.sha256(bytes("previous"));

  @Test
  void theBytesAreTheDocumentedLayout() {
    AccountId account = new AccountId(new byte[32]);
    StateChanges changes = new StateChanges(List.of(), Map.of(account, new AccountState(Amount.of(5), 1)), new TreeMap<>(), null)
        .withRecords(Map.of("meshledger/b", new byte[0], "meshledger/a", bytes("xy")));
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(2); // version
    expected.writeBytes(PREVIOUS.bytes());
    expected.writeBytes(ByteBuffer.allocate(8).putLong(7).array()); // height
    expected.writeBytes(u32(0)); // writes
    expected.writeBytes(u32(1)); // accounts
    expected.writeBytes(new byte[32]);
    expected.writeBytes(ByteBuffer.allocate(16).putLong(5).putLong(1).array());
    expected.writeBytes(u32(2)); // records, ascending by key
    expected.writeBytes(u32(12));
    expected.writeBytes(bytes("meshledger/a"));
    expected.writeBytes(u32(2));
    expected.writeBytes(bytes("xy"));
    expected.writeBytes(u32(12));
    expected.writeBytes(bytes("meshledger/b"));
    expected.writeBytes(u32(0)); // removed: an empty value
    assertThat(StateDigest.VERSION).isEqualTo(2);
    assertThat(StateDigest.encode(PREVIOUS, 7, changes)).isEqualTo(expected.toByteArray());
  }

  @Test
  void everyRecordChangeMovesTheDigestAndTheOrderGivenDoesNot() {
    Hash none = StateDigest.next(PREVIOUS, 3, StateChanges.NONE);
    Hash set = digest(Map.of("meshledger/a", bytes("1")));
    assertThat(set).isNotEqualTo(none);
    assertThat(digest(Map.of("meshledger/a", bytes("2")))).isNotEqualTo(set);
    assertThat(digest(Map.of("meshledger/b", bytes("1")))).isNotEqualTo(set);
    assertThat(digest(Map.of("meshledger/a", new byte[0]))).as("a removal is a change").isNotEqualTo(none).isNotEqualTo(set);
    Map<String, byte[]> ab = new LinkedHashMap<>();
    ab.put("meshledger/a", bytes("1"));
    ab.put("meshledger/b", bytes("2"));
    Map<String, byte[]> ba = new LinkedHashMap<>();
    ba.put("meshledger/b", bytes("2"));
    ba.put("meshledger/a", bytes("1"));
    assertThat(digest(ab)).isEqualTo(digest(ba));
    // "a" || "b1" and "ab" || "1" must differ: keys and values carry their lengths
    assertThat(digest(Map.of("a", bytes("b1")))).isNotEqualTo(digest(Map.of("ab", bytes("1"))));
  }

  private static Hash digest(Map<String, byte[]> records) {
    return StateDigest.next(PREVIOUS, 3, StateChanges.NONE.withRecords(records));
  }

  private static byte[] u32(int v) {
    return ByteBuffer.allocate(4).putInt(v).array();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
