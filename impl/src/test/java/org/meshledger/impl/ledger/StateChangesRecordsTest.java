package org.meshledger.impl.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.meshledger.chain.Hash;
import org.meshledger.spi.StateChanges;

/** The records of {@link StateChanges}: bounded, copied, sorted by UTF-8 bytes, kept by the other constructors' callers. */
class StateChangesRecordsTest {
  private static final long SEED = Long.getLong("meshledger.test.seed", 1_313L);

  @Test
  void theExistingConstructorsMeanNoRecordsAndWithDigestKeepsThem() {
    assertThat(StateChanges.NONE.records()).isEmpty();
    assertThat(new StateChanges(List.of(), Map.of(), new TreeMap<>(), null).records()).isEmpty();
    StateChanges with = StateChanges.NONE.withRecords(Map.of("meshledger/a", bytes("1"), "meshledger/b", new byte[0]));
    StateChanges digested = with.withDigest(Hash.sha256(bytes("d")));
    assertThat(digested.stateDigest()).isEqualTo(Hash.sha256(bytes("d")));
    assertThat(digested.records()).containsOnlyKeys("meshledger/a", "meshledger/b");
    assertThat(digested.records().get("meshledger/b")).as("an empty value is a removal, kept as such").isEmpty();
    assertThat(digested).isEqualTo(with.withDigest(Hash.sha256(bytes("d"))));
    assertThat(digested.withRecords(Map.of()).records()).isEmpty();
  }

  @Test
  void valuesAreCopiedInAndOut() {
    byte[] value = bytes("abc");
    Map<String, byte[]> in = new HashMap<>(Map.of("k", value));
    StateChanges c = StateChanges.NONE.withRecords(in);
    value[0] = 'x';
    in.put("j", bytes("later"));
    c.records().get("k")[1] = 'x';
    c.records().put("i", bytes("added to a copy"));
    assertThat(c.records()).containsOnlyKeys("k");
    assertThat(c.records().get("k")).isEqualTo(bytes("abc"));
  }

  @Test
  void equalityComparesValuesByContent() {
    StateChanges a = StateChanges.NONE.withRecords(Map.of("k", bytes("v")));
    StateChanges b = StateChanges.NONE.withRecords(Map.of("k", bytes("v")));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(StateChanges.NONE.withRecords(Map.of("k", bytes("w"))));
    assertThat(a).isNotEqualTo(StateChanges.NONE.withRecords(Map.of("k", new byte[0])));
    assertThat(a).isNotEqualTo(StateChanges.NONE);
    assertThat(a.toString()).contains("k=1 bytes");
  }

  @Test
  void keysSortByUtf8BytesWhateverOrderTheyCameIn() {
    Random random = new Random(SEED);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      StringBuilder k = new StringBuilder();
      for (int n = 1 + random.nextInt(4); n > 0; n--) {
        int[] planes = {0x41 + random.nextInt(26), 0xE0 + random.nextInt(32), 0xD7F0 + random.nextInt(16), 0xE000 + random.nextInt(8000),
            0x1F600 + random.nextInt(64)};
        k.appendCodePoint(planes[random.nextInt(planes.length)]);
      }
      keys.add(k.toString());
    }
    Map<String, byte[]> records = new HashMap<>();
    keys.forEach(k -> records.put(k, bytes(k)));
    SortedMap<String, byte[]> sorted = StateChanges.NONE.withRecords(records).records();
    List<String> byBytes = new ArrayList<>(records.keySet());
    byBytes.sort((x, y) -> java.util.Arrays.compareUnsigned(bytes(x), bytes(y)));
    assertThat(List.copyOf(sorted.keySet())).as("seed %d", SEED).containsExactlyElementsOf(byBytes);

    SortedMap<String, byte[]> reversed = new TreeMap<>(Collections.reverseOrder());
    reversed.putAll(records);
    assertThat(List.copyOf(StateChanges.NONE.withRecords(reversed).records().keySet())).as("a map in another order is re-sorted")
        .containsExactlyElementsOf(byBytes);
    assertThat(StateChanges.RECORD_KEY_ORDER.compare("\ue000", "\ud83d\ude00")).as("U+E000 before U+1F600, unlike String order").isNegative();
    assertThat("\ue000".compareTo("\ud83d\ude00")).isPositive();
  }

  @Test
  void keysAndValuesOutOfBoundsAreRefusedNamingTheKey() {
    String longest = "k".repeat(StateChanges.MAX_RECORD_KEY_BYTES);
    byte[] largest = new byte[StateChanges.MAX_RECORD_VALUE_BYTES];
    assertThat(StateChanges.NONE.withRecords(Map.of(longest, largest)).records()).containsOnlyKeys(longest);
    assertThatThrownBy(() -> StateChanges.NONE.withRecords(Map.of("", bytes("v")))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 256");
    assertThatThrownBy(() -> StateChanges.NONE.withRecords(Map.of(longest + "k", bytes("v")))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("257 UTF-8 bytes");
    assertThatThrownBy(() -> StateChanges.NONE.withRecords(Map.of("meshledger/big", new byte[StateChanges.MAX_RECORD_VALUE_BYTES + 1])))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("meshledger/big").hasMessageContaining("65537");
    assertThatThrownBy(() -> StateChanges.NONE.withRecords(Map.of("half \ud83d pair", bytes("v")))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate at index 5");
    assertThatThrownBy(() -> StateChanges.NONE.withRecords(Map.of("lone low \ude00", bytes("v")))).isInstanceOf(IllegalArgumentException.class);
    Map<String, byte[]> nullValue = new HashMap<>();
    nullValue.put("k", null);
    assertThatThrownBy(() -> StateChanges.NONE.withRecords(nullValue)).isInstanceOf(NullPointerException.class).hasMessageContaining("k");
    assertThatThrownBy(() -> new StateChanges(List.of(), Map.of(), new TreeMap<>(), null, null)).isInstanceOf(NullPointerException.class);
    assertThat(StateChanges.checkRecordPrefix("")).isEmpty();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
