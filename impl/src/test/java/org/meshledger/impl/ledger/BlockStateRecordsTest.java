package org.meshledger.impl.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.chain.Hash;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.StateChanges;
import org.meshledger.spi.contract.TestChain;
import org.meshledger.spi.contract.TestChain.ChainBlock;

/**
 * Records during execution: a block reads the committed records, sees its own writes at once (as it sees its
 * own account changes), and its changes carry what it set, which the store then holds.
 */
class BlockStateRecordsTest {
  @TempDir
  Path dir;

  private final TestChain chain = new TestChain("records-exec", 5);

  @Test
  void aBlockReadsItsOwnRecordWritesAndItsChangesCarryThem() {
    try (BlockStore store = BlockStores.open("memory", chain.context(dir))) {
      ChainBlock b1 = chain.next(List.of(), Map.of("meshledger/registry", bytes("r1"), "meshledger/gone", bytes("g"),
          "meshledger/kept", bytes("k")));
      store.append(b1.block(), b1.changes());
      CommittedState committed = new CommittedState(store, Map.of());
      BlockState state = new BlockState(committed);
      assertThat(text(state.record("meshledger/registry"))).isEqualTo("r1");
      assertThat(state.record("meshledger/unset")).isEmpty();

      state.putRecord("meshledger/registry", bytes("r2"));
      state.removeRecord("meshledger/gone");
      byte[] given = bytes("n1");
      state.putRecord("meshledger/new", given);
      given[0] = 'x';
      state.record("meshledger/new").orElseThrow()[1] = 'x';
      assertThat(text(state.record("meshledger/new"))).as("copied in and out").isEqualTo("n1");
      state.putRecord("meshledger/new", bytes("n2"));

      assertThat(text(state.record("meshledger/registry"))).as("read your writes").isEqualTo("r2");
      assertThat(state.record("meshledger/gone")).as("removed in this block").isEmpty();
      assertThat(text(state.record("meshledger/new"))).as("the last write of the block").isEqualTo("n2");
      assertThat(text(state.record("meshledger/kept"))).as("untouched: from the committed state").isEqualTo("k");
      assertThat(text(committed.record("meshledger/registry"))).as("the committed state is not changed by execution").isEqualTo("r1");

      StateChanges changes = state.changes(new TreeMap<>());
      assertThat(changes.records()).containsOnlyKeys("meshledger/gone", "meshledger/new", "meshledger/registry");
      assertThat(changes.records().get("meshledger/gone")).as("a removal is an empty value").isEmpty();
      assertThat(changes.records().get("meshledger/new")).isEqualTo(bytes("n2"));

      store.append(chain.next(List.of()).block(), changes.withDigest(Hash.sha256(bytes("digest 2"))));
      CommittedState after = new CommittedState(store, Map.of());
      assertThat(text(after.record("meshledger/registry"))).isEqualTo("r2");
      assertThat(after.record("meshledger/gone")).isEmpty();
      assertThat(text(after.record("meshledger/new"))).isEqualTo("n2");
      assertThat(text(after.record("meshledger/kept"))).isEqualTo("k");
    }
  }

  @Test
  void writesOutOfBoundsFailAtOnceNamingTheKey() {
    try (BlockStore store = BlockStores.open("memory", chain.context(dir))) {
      BlockState state = new BlockState(new CommittedState(store, Map.of()));
      assertThatThrownBy(() -> state.putRecord("", bytes("v"))).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> state.putRecord("meshledger/huge", new byte[StateChanges.MAX_RECORD_VALUE_BYTES + 1]))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("meshledger/huge");
      assertThatThrownBy(() -> state.putRecord("meshledger/null", null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> state.record("")).isInstanceOf(IllegalArgumentException.class);
      assertThat(state.changes(new TreeMap<>()).records()).as("nothing was set").isEmpty();
    }
  }

  private static String text(Optional<byte[]> v) {
    return new String(v.orElseThrow(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
