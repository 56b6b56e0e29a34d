package org.meshledger.spi.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.meshledger.StorageException;
import org.meshledger.chain.Block;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.StateChanges;
import org.meshledger.spi.contract.TestChain.ChainBlock;

/**
 * The part of the {@link BlockStore} contract about the ledger's records ({@link BlockStore#record},
 * {@link BlockStore#records(String, String, int)}): they are stored with their block, latest value only, read back
 * after a reopen, removed by an empty value, untouched by a rejected append, paged by prefix in
 * {@link StateChanges#RECORD_KEY_ORDER}, and seen whole per block by concurrent readers. {@link BlockStoreContract}
 * extends it, so every store that runs the kit runs these tests too, reported under its own test class.
 */
abstract class RecordsContract {
  /** A fresh store of the test chain, closed after the test; a second call reopens the same directory. */
  protected abstract BlockStore store();

  protected abstract TestChain chain();

  protected abstract boolean persistent();

  @Test
  void recordsAreStoredWithTheirBlockAndTheLatestValueReadsBack() {
    BlockStore store = store();
    TestChain chain = chain();
    assertThat(store.record("meshledger/registry")).isEmpty();
    ChainBlock b1 = chain.next(List.of(write(chain, "k")), Map.of("meshledger/registry", bytes("r1"), "meshledger/totals", bytes("t1"),
        "other", bytes("o1")));
    store.append(b1.block(), b1.changes());
    assertThat(store.record("meshledger/registry")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("r1")));
    assertThat(store.record("meshledger/totals")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("t1")));
    assertThat(store.record("meshledger/none")).isEmpty();
    assertThat(store.record("meshledger")).as("keys are not prefixes").isEmpty();

    ChainBlock b2 = chain.next(List.of(), Map.of("meshledger/totals", bytes("t2"), "other", new byte[0]));
    store.append(b2.block(), b2.changes());
    assertThat(store.record("meshledger/totals")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("t2")));
    assertThat(store.record("other")).as("removed by an empty value").isEmpty();
    assertThat(store.record("meshledger/registry")).as("a record no later block names keeps its value")
        .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("r1")));
    assertThat(store.records("", BlockStore.MAX_RECORDS_PAGE)).as("removed records are not listed").containsOnlyKeys("meshledger/registry",
        "meshledger/totals");

    ChainBlock b3 = chain.next(List.of(), Map.of("other", bytes("o3"), "never-set", new byte[0]));
    store.append(b3.block(), b3.changes());
    assertThat(store.record("other")).as("set again after a removal").hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("o3")));
    assertThat(store.record("never-set")).as("removing what was never set").isEmpty();
    if (persistent()) {
      store.close();
      BlockStore reopened = store();
      assertSameRecords(reopened, chain, "after a reopen");
      ChainBlock b4 = chain.next(List.of(), Map.of("meshledger/registry", bytes("r4")));
      reopened.append(b4.block(), b4.changes());
      assertSameRecords(reopened, chain, "appending after a reopen");
    }
  }

  @Test
  void recordsOfRandomBlocksMatchTheChainAndSurviveAReopen() {
    BlockStore store = store();
    TestChain chain = chain();
    for (int i = 0; i < 30; i++) {
      ChainBlock b = chain.next(3);
      store.append(b.block(), b.changes());
      assertSameRecords(store, chain, "after block " + b.height() + " (seed " + BlockStoreContract.SEED + ")");
    }
    assertThat(chain.records()).as("the random chain sets records").isNotEmpty();
    if (persistent()) {
      store.close();
      assertSameRecords(store(), chain, "after a reopen (seed " + BlockStoreContract.SEED + ")");
    }
  }

  @Test
  void valuesAreTheCallersCopies() {
    BlockStore store = store();
    TestChain chain = chain();
    ChainBlock b1 = chain.next(List.of(), Map.of("meshledger/a", bytes("abc")));
    store.append(b1.block(), b1.changes());
    store.record("meshledger/a").orElseThrow()[0] = 'x';
    store.records("meshledger/", 10).get("meshledger/a")[1] = 'x';
    assertThat(store.record("meshledger/a")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("abc")));
  }

  @Test
  void pagesListKeysUnderAPrefixInUtf8OrderAndPageOnToTheEnd() {
    BlockStore store = store();
    TestChain chain = chain();
    Map<String, byte[]> set = new HashMap<>();
    // U+E000 sorts below U+1F600 in UTF-8 and above it in UTF-16; U+00E9 below both
    for (String k : List.of("meshledger/p/", "meshledger/p/a", "meshledger/p/b", "meshledger/p/b0", "meshledger/p/\u00e9", "meshledger/p/\ue000",
        "meshledger/p/\ud83d\ude00", "meshledger/p/z", "meshledger/o", "meshledger/p", "meshledger/q/a", "a", "\uffff")) {
      set.put(k, bytes("value of " + k));
    }
    ChainBlock b1 = chain.next(List.of(), set);
    store.append(b1.block(), b1.changes());
    SortedMap<String, byte[]> all = chain.records();
    SortedMap<String, byte[]> under = all.subMap("meshledger/p/", "meshledger/p0"); // '0' follows '/'
    assertThat(under).hasSize(8);
    assertThat(List.copyOf(under.keySet()).subList(5, 8)).containsExactly("meshledger/p/\u00e9", "meshledger/p/\ue000",
        "meshledger/p/\ud83d\ude00");

    assertPages(store, "meshledger/p/", 3, under);
    assertPages(store, "meshledger/p/", 1, under);
    assertPages(store, "meshledger/p/", BlockStore.MAX_RECORDS_PAGE, under);
    assertPages(store, "", 4, all);
    assertPages(store, "meshledger/p/\u00e9", 2, all.subMap("meshledger/p/\u00e9", "meshledger/p/\u00e9\u0000"));
    assertThat(store.records("meshledger/r", 10)).isEmpty();
    assertThat(store.records("zzz", 10)).isEmpty();
    assertThat(store.records("meshledger/p/", "a", 2).keySet()).as("an afterKey below the prefix starts at the prefix")
        .containsExactly("meshledger/p/", "meshledger/p/a");
    assertThat(store.records("meshledger/p/", under.lastKey(), 10)).as("after the last key").isEmpty();
    assertThat(store.records("meshledger/p/", "meshledger/q", 10)).as("an afterKey beyond the prefix").isEmpty();
    assertThat(store.records("meshledger/p/", "meshledger/p/b00", 2).keySet()).as("an afterKey that is not a key")
        .containsExactly("meshledger/p/z", "meshledger/p/\u00e9");
  }

  /** Pages through {@code prefix} {@code limit} at a time and expects exactly {@code expected}, in its order. */
  private static void assertPages(BlockStore store, String prefix, int limit, SortedMap<String, byte[]> expected) {
    List<String> keys = new ArrayList<>();
    String after = "";
    while (true) {
      SortedMap<String, byte[]> page = store.records(prefix, after, limit);
      assertThat(page.size()).isLessThanOrEqualTo(limit);
      page.forEach((k, v) -> {
        assertThat(v).as("value of %s", k).isEqualTo(expected.get(k));
        keys.add(k);
      });
      if (page.size() < limit) {
        break;
      }
      after = page.lastKey();
    }
    assertThat(keys).as("keys under '%s', %d a page", prefix, limit).containsExactlyElementsOf(expected.keySet());
  }

  @Test
  void aRejectedAppendLeavesRecordsAsTheyWere() {
    BlockStore store = store();
    TestChain chain = chain();
    ChainBlock b1 = chain.next(List.of(), Map.of("meshledger/a", bytes("1"), "meshledger/b", bytes("1")));
    store.append(b1.block(), b1.changes());
    SortedMap<String, byte[]> before = chain.records();
    Map<String, byte[]> change = Map.of("meshledger/a", bytes("2"), "meshledger/b", new byte[0], "meshledger/c", bytes("2"));
    ChainBlock b2 = chain.next(List.of(), change);
    ChainBlock b3 = chain.next(List.of(), Map.of("meshledger/a", bytes("3")));

    assertThatThrownBy(() -> store.append(b3.block(), b3.changes())).isInstanceOf(StorageException.class);
    Block wrongLink = chain.block(chain.chainId(), 2, Hash.sha256(bytes("elsewhere")), List.of());
    assertThatThrownBy(() -> store.append(wrongLink, b2.changes())).isInstanceOf(StorageException.class);
    assertThat(store.height()).isEqualTo(1);
    assertThat(records(store)).as("records after rejected appends").isEqualTo(text(before));

    // a group whose second block does not fit: the store keeps none of it or the first block, and the records match
    assertThatThrownBy(() -> store.appendAll(List.of(b2.block(), b2.block()), List.of(b2.changes(), b2.changes())))
        .isInstanceOf(StorageException.class);
    if (store.height() == 1) {
      assertThat(records(store)).as("records after a rejected group").isEqualTo(text(before));
      store.append(b2.block(), b2.changes());
    }
    store.append(b3.block(), b3.changes());
    assertSameRecords(store, chain, "after appending the blocks once rejected");
  }

  @Test
  void badArgumentsFailFastAndAClosedStoreRefuses() {
    BlockStore store = store();
    ChainBlock b1 = chain().next(List.of(), Map.of("k", bytes("v")));
    store.append(b1.block(), b1.changes());
    assertThatThrownBy(() -> store.record("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.record("x".repeat(StateChanges.MAX_RECORD_KEY_BYTES + 1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.record("\u00e9".repeat(129))).as("258 UTF-8 bytes").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.record("a\ud800")).as("an unpaired surrogate").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.record(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.records("", "", 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.records("", "", BlockStore.MAX_RECORDS_PAGE + 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(BlockStore.MAX_RECORDS_PAGE));
    assertThatThrownBy(() -> store.records("x".repeat(300), "", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.records("", "x\udc00", 1)).as("an afterKey no key can be").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.records(null, "", 1)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.records("", null, 1)).isInstanceOf(NullPointerException.class);
    assertThat(store.record("x".repeat(StateChanges.MAX_RECORD_KEY_BYTES))).as("the longest key is a key").isEmpty();
    store.close();
    List<Consumer<BlockStore>> calls = List.of(s -> s.record("k"), s -> s.records("", "", 1), s -> s.records("k", 1));
    for (Consumer<BlockStore> call : calls) {
      assertThatThrownBy(() -> call.accept(store)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void concurrentReadersSeeTheRecordsOfWholeBlocks() throws Exception {
    TestChain chain = chain();
    List<ChainBlock> blocks = new ArrayList<>();
    for (int i = 1; i <= 150; i++) {
      byte[] h = ByteBuffer.allocate(8).putLong(i).array();
      blocks.add(chain.next(List.of(), Map.of("meshledger/tip", h, "meshledger/tip-again", h)));
    }
    BlockStore store = store();
    AtomicBoolean done = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(3);
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      Thread t = new Thread(() -> {
        started.countDown();
        try {
          do {
            long below = store.height();
            long tip = store.record("meshledger/tip").map(v -> ByteBuffer.wrap(v).getLong()).orElse(0L);
            long above = store.height();
            assertThat(tip).as("the record of the last block, between two reads of the height").isBetween(below, above);
            SortedMap<String, byte[]> page = store.records("meshledger/tip", 10);
            if (!page.isEmpty()) {
              assertThat(page.get("meshledger/tip-again")).as("records of one block, in one page").isEqualTo(page.get("meshledger/tip"));
            }
          } while (!done.get());
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "records-reader-" + r);
      readers.add(t);
      t.start();
    }
    started.await();
    try {
      for (int i = 0; i < blocks.size(); i += 1 + i % 3) { // single appends and groups of 2 and 3
        List<ChainBlock> group = blocks.subList(i, Math.min(blocks.size(), i + 1 + i % 3));
        store.appendAll(group.stream().map(ChainBlock::block).toList(), group.stream().map(ChainBlock::changes).toList());
      }
    } finally {
      done.set(true);
      for (Thread t : readers) {
        t.join();
      }
    }
    if (!failures.isEmpty()) {
      AssertionError e = new AssertionError("a reader saw the records of part of a block", failures.peek());
      failures.stream().skip(1).forEach(e::addSuppressed);
      throw e;
    }
    assertThat(store.record("meshledger/tip")).hasValueSatisfying(v -> assertThat(ByteBuffer.wrap(v).getLong()).isEqualTo(150));
  }

  /** The store holds exactly the chain's records: read one by one and listed. */
  private static void assertSameRecords(BlockStore store, TestChain chain, String when) {
    SortedMap<String, byte[]> expected = chain.records();
    for (String k : TestChain.RECORD_KEYS) {
      assertThat(store.record(k).map(RecordsContract::hex)).as("record %s %s", k, when).isEqualTo(chain.record(k).map(RecordsContract::hex));
    }
    for (String k : expected.keySet()) {
      assertThat(store.record(k).map(RecordsContract::hex)).as("record %s %s", k, when).isEqualTo(chain.record(k).map(RecordsContract::hex));
    }
    assertThat(records(store)).as("the records listed %s", when).isEqualTo(text(expected));
  }

  /** Every record of {@code store}, as text in key order, to compare with {@link #text}. */
  private static List<String> records(BlockStore store) {
    return text(store.records("", BlockStore.MAX_RECORDS_PAGE));
  }

  private static List<String> text(SortedMap<String, byte[]> records) {
    List<String> lines = new ArrayList<>();
    records.forEach((k, v) -> lines.add(k + "=" + hex(v)));
    return lines;
  }

  private static String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }

  private static Transaction write(TestChain chain, String key) {
    return chain.sign(chain.users().get(0), Payload.DataWrite.of(key, bytes("v")));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
