package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.chain.AccountId;
import org.meshledger.impl.ledger.CommittedState;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.StateChanges;
import org.meshledger.spi.contract.TestChain;
import org.meshledger.spi.contract.TestChain.ChainBlock;

/**
 * The node's in-memory committed view answers record reads during execution without the store: a record it
 * does not hold is a miss (answered as absent, then loaded on a worker by {@link StateLoader}), the records of
 * executed blocks are written through, a load that read the store before a block executed does not undo that
 * block, and trimming keeps the records of blocks not yet durable.
 */
class CommittedViewRecordsTest {
  @TempDir
  Path dir;

  private final TestChain chain = new TestChain("view-records", 9);
  private BlockStore store;
  private StateLoader loader;
  private final CommittedView view = new CommittedView();

  @BeforeEach
  void open() {
    store = BlockStores.open("memory", chain.context(dir));
    loader = new StateLoader(new CommittedState(store, Map.of()), store, java.util.Set.of(), java.util.Set.of());
    ChainBlock b1 = chain.next(List.of(), Map.of("meshledger/registry", bytes("r1"), "meshledger/totals", bytes("t1")));
    store.append(b1.block(), b1.changes());
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aRecordTheViewLacksIsAMissThatALoadFills() {
    assertThat(view.record("meshledger/registry")).as("not held: answered as absent").isEmpty();
    assertThat(view.record("meshledger/unset")).isEmpty();
    StateLoader.Needs misses = view.takeMisses();
    assertThat(misses.records()).containsExactlyInAnyOrder("meshledger/registry", "meshledger/unset");
    assertThat(misses.isEmpty()).isFalse();
    assertThat(view.takeMisses().isEmpty()).as("taking the misses clears them").isTrue();

    load(misses);
    assertThat(text(view.record("meshledger/registry"))).isEqualTo("r1");
    assertThat(view.record("meshledger/unset")).as("held as absent").isEmpty();
    assertThat(view.takeMisses().isEmpty()).as("a held record, set or not, is no miss").isTrue();
    view.record("meshledger/registry").orElseThrow()[0] = 'x';
    assertThat(text(view.record("meshledger/registry"))).as("a copy out").isEqualTo("r1");
  }

  @Test
  void executedRecordsAreWrittenThroughAndALoadReadBeforeThemDoesNotUndoThem() {
    view.loading();
    StateLoader.Loaded stale = loader.load(needs("meshledger/registry", "meshledger/totals")); // read, then block 2 executes
    view.executed(StateChanges.NONE.withRecords(Map.of("meshledger/registry", bytes("r2"), "meshledger/totals", new byte[0])));
    view.loaded(stale);
    assertThat(text(view.record("meshledger/registry"))).isEqualTo("r2");
    assertThat(view.record("meshledger/totals")).as("removed by the executed block").isEmpty();
    assertThat(view.takeMisses().isEmpty()).isTrue();
  }

  @Test
  void trimmingForgetsRecordsButThoseOfBlocksNotYetDurable() {
    load(needs("meshledger/registry"));
    view.executed(StateChanges.NONE.withRecords(Map.of("meshledger/a", bytes("a"))));
    view.written();
    view.executed(StateChanges.NONE.withRecords(Map.of("meshledger/b", bytes("b"), "meshledger/c", new byte[0])));
    assertThat(view.size()).isEqualTo(4);
    view.trim(0, account -> false);
    assertThat(view.holdsRecord("meshledger/registry")).isFalse();
    assertThat(view.holdsRecord("meshledger/a")).isFalse();
    assertThat(text(view.record("meshledger/b"))).as("its block is not in the store yet").isEqualTo("b");
    assertThat(view.holdsRecord("meshledger/c")).isTrue();
    assertThat(view.record("meshledger/c")).isEmpty();
    assertThat(view.record("meshledger/registry")).isEmpty();
    assertThat(view.takeMisses().records()).as("forgotten: loaded again when read").containsExactly("meshledger/registry");
  }

  private void load(StateLoader.Needs needs) {
    view.loading();
    view.loaded(loader.load(needs));
  }

  private static StateLoader.Needs needs(String... records) {
    return new StateLoader.Needs(Set.of(), Set.of(), Set.of(records));
  }

  private static String text(Optional<byte[]> v) {
    return new String(v.orElseThrow(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
