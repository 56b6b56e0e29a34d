package org.meshledger.impl.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.chain.LocatedTransaction;
import org.meshledger.chain.TransactionResult;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.StateChanges;
import org.meshledger.spi.StoreContext;

/**
 * A {@link BlockStore} in the heap, for tests and the simulator: nothing survives {@link #close()} or the
 * JVM. Appends and reads exclude each other through a read-write lock, so a reader sees a block whole or not
 * at all; many readers run at once.
 */
public final class InMemoryBlockStore implements BlockStore {
  private final StoreContext context;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final List<Block> blocks = new ArrayList<>();
  private final Map<Hash, Long> heightsByHash = new HashMap<>();
  private final Map<Hash, long[]> transactions = new HashMap<>();
  private final Map<String, List<DataEntry>> writes = new HashMap<>();
  private final Map<AccountId, AccountState> accounts = new HashMap<>();
  private final Map<Long, SortedMap<Integer, TransactionResult>> rejected = new HashMap<>();
  private final Map<Long, Hash> digests = new HashMap<>();
  private final TreeMap<String, byte[]> records = new TreeMap<>(StateChanges.RECORD_KEY_ORDER);
  private boolean closed;

  public InMemoryBlockStore(StoreContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  /** Whether the transaction at {@code index} of a block whose rejected results are {@code rejected} (or null) took effect. */
  private static boolean tookEffect(SortedMap<Integer, TransactionResult> rejected, int index) {
    TransactionResult r = rejected == null ? null : rejected.get(index);
    return r == null || r.outcome() != TransactionResult.Outcome.INVALID;
  }

  @Override
  public void append(Block block, StateChanges changes) {
    lock.writeLock().lock();
    try {
      checkOpen();
      long height = blocks.size();
      Hash last = height == 0 ? context.genesisHash() : blocks.get((int) height - 1).hash();
      AppendRules.check(context, height, last, block, changes, key -> {
        List<DataEntry> h = writes.get(key);
        return h == null ? 0 : h.size();
      });
      blocks.add(block);
      heightsByHash.put(block.hash(), block.height());
      for (int i = 0; i < block.transactions().size(); i++) {
        long[] place = transactions.get(block.transactions().get(i).id());
        if (place == null || tookEffect(changes.rejected(), i) && !tookEffect(rejected.get(place[0]), (int) place[1])) {
          transactions.put(block.transactions().get(i).id(), new long[] {block.height(), i}); // see BlockStore#transaction
        }
      }
      for (DataEntry w : changes.writes()) {
        writes.computeIfAbsent(w.key(), k -> new ArrayList<>()).add(w);
      }
      accounts.putAll(changes.accounts());
      if (!changes.rejected().isEmpty()) {
        rejected.put(block.height(), changes.rejected());
      }
      if (changes.stateDigest() != null) {
        digests.put(block.height(), changes.stateDigest());
      }
      changes.records().forEach((k, v) -> { // a copy: the arrays are the store's
        if (v.length == 0) {
          records.remove(k);
        } else {
          records.put(k, v);
        }
      });
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public long height() {
    return read(() -> (long) blocks.size());
  }

  @Override
  public Optional<Block> block(long height) {
    Arguments.checkHeight(height);
    return read(() -> height <= blocks.size() ? Optional.of(blocks.get((int) height - 1)) : Optional.empty());
  }

  @Override
  public Optional<Block> block(Hash hash) {
    Objects.requireNonNull(hash, "hash");
    return read(() -> Optional.ofNullable(heightsByHash.get(hash)).map(h -> blocks.get((int) (long) h - 1)));
  }

  @Override
  public Optional<BlockHeader> header(long height) {
    return block(height).map(Block::header);
  }

  @Override
  public Optional<LocatedTransaction> transaction(Hash id) {
    Objects.requireNonNull(id, "id");
    return read(() -> {
      long[] at = transactions.get(id);
      if (at == null) {
        return Optional.empty();
      }
      Block b = blocks.get((int) at[0] - 1);
      return Optional.of(new LocatedTransaction(b.transactions().get((int) at[1]), at[0], (int) at[1], b.hash()));
    });
  }

  @Override
  public Optional<DataEntry> current(String key) {
    Arguments.checkKey(key);
    return read(() -> {
      List<DataEntry> h = writes.get(key);
      return h == null ? Optional.empty() : Optional.of(h.get(h.size() - 1));
    });
  }

  @Override
  public List<DataEntry> history(String key, long afterVersion, int limit) {
    Arguments.checkHistory(key, afterVersion, limit);
    return read(() -> {
      List<DataEntry> h = writes.getOrDefault(key, List.of());
      if (afterVersion >= h.size()) {
        return List.of();
      }
      int from = (int) afterVersion; // versions are 1..n at indexes 0..n-1
      return List.copyOf(h.subList(from, (int) Math.min(h.size(), (long) from + limit)));
    });
  }

  @Override
  public SortedMap<Integer, TransactionResult> rejected(long height) {
    Arguments.checkHeight(height);
    return read(() -> rejected.getOrDefault(height, Collections.emptySortedMap()));
  }

  @Override
  public Optional<Hash> stateDigest(long height) {
    Arguments.checkHeight(height);
    return read(() -> Optional.ofNullable(digests.get(height)));
  }

  @Override
  public AccountState account(AccountId account) {
    Objects.requireNonNull(account, "account");
    return read(() -> accounts.getOrDefault(account, AccountState.EMPTY));
  }

  @Override
  public Optional<byte[]> record(String key) {
    Arguments.checkRecordKey(key);
    return read(() -> Optional.ofNullable(records.get(key)).map(byte[]::clone));
  }

  @Override
  public SortedMap<String, byte[]> records(String prefix, String afterKey, int limit) {
    Arguments.checkRecordsPage(prefix, afterKey, limit);
    return read(() -> {
      SortedMap<String, byte[]> page = new TreeMap<>(StateChanges.RECORD_KEY_ORDER);
      boolean fromPrefix = StateChanges.RECORD_KEY_ORDER.compare(afterKey, prefix) < 0;
      for (Map.Entry<String, byte[]> e : (fromPrefix ? records.tailMap(prefix, true) : records.tailMap(afterKey, false)).entrySet()) {
        if (page.size() == limit || !e.getKey().startsWith(prefix)) {
          break; // the keys under a prefix are contiguous
        }
        page.put(e.getKey(), e.getValue().clone());
      }
      return page;
    });
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        blocks.clear();
        heightsByHash.clear();
        transactions.clear();
        writes.clear();
        accounts.clear();
        rejected.clear();
        digests.clear();
        records.clear();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private <T> T read(Supplier<T> reading) {
    lock.readLock().lock();
    try {
      checkOpen();
      return reading.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the in-memory block store of chain '" + context.chainId() + "' is closed");
    }
  }

  @Override
  public String toString() {
    return "InMemoryBlockStore[" + context.chainId() + "]";
  }
}
