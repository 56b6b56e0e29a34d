package org.meshledger.impl.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.meshledger.AccountId;
import org.meshledger.AccountState;
import org.meshledger.Block;
import org.meshledger.BlockHeader;
import org.meshledger.DataEntry;
import org.meshledger.Hash;
import org.meshledger.LocatedTransaction;
import org.meshledger.MerkleTree;
import org.meshledger.Payload;
import org.meshledger.StorageException;
import org.meshledger.TransactionResult;
import org.meshledger.Transaction;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.StateChanges;
import org.meshledger.spi.StoreContext;

/**
 * The default {@link BlockStore}: one H2 MVStore file, {@value #FILE_NAME}, under the data directory.
 *
 * <p><b>Layout.</b> Main data is keyed by position, which only grows: blocks by height, transactions by
 * {@code height << 17 | index}. Lookups by hash go through compact side maps: the first 8 bytes of a
 * transaction id map to its position (a full-id overflow map takes the rare prefix collision), a block hash
 * to its height. DATA writes are indexed by {@code key || version} and point at the writing transaction,
 * whose payload holds the value, so values are stored once. Account states are kept per
 * {@code account || height}: the history of every account, read as of the visible height.
 *
 * <p><b>Truncation.</b> MVStore opens a file that was cut short at an older version, silently. A small record
 * beside the file, {@value #FILE_NAME}{@code .tip}, holds the height and hash of the last synced block; a store
 * that holds fewer blocks, or another block at that height, is refused at open.
 *
 * <p><b>Durability.</b> Auto-commit is off: the file changes only at the commit that ends an append, followed
 * by an fsync, so after a crash MVStore reopens at the last whole block. The new height is published to
 * readers after the sync; reads never look past it, so a reader sees a block whole or not at all, without
 * locking. See {@code docs/adr/002-h2-access-path.md} for why MVStore rather than SQL.
 */
public final class H2BlockStore implements BlockStore {
  /** The file under the data directory. */
  public static final String FILE_NAME = "ledger.mv";
  /** The layout version written in the file; a file of another version is refused. */
  static final String FORMAT = "1";
  /**
   * How long freed space is kept before reuse. H2's default: with 1 s, H2CrashIT found blocks whose append had
   * returned (and been synced) missing after kill -9 (the tip check caught it); see ADR 002.
   */
  static final int RETENTION_MILLIS = 45_000;
  /** Rewrite sparse chunks every this many blocks. */
  private static final int COMPACT_EVERY = 64;
  private static final int INDEX_BITS = 17; // Limits.MAX_BLOCK_TRANSACTIONS < 2^17

  private final StoreContext context;
  private final Path file;
  private final MVStore store;
  private final MVMap<Long, byte[]> blocks;
  private final MVMap<byte[], Long> blockHashes;
  private final MVMap<Long, byte[]> transactions;
  private final MVMap<Long, Long> transactionIds;
  private final MVMap<byte[], Long> transactionIdCollisions;
  private final MVMap<byte[], Long> writes;
  private final MVMap<byte[], byte[]> accounts;
  private final MVMap<Long, byte[]> outcomes;
  private final TipFile tip;
  private final ReentrantLock appendLock = new ReentrantLock();
  /** The last whole, synced block: readers never look past it. */
  private volatile long height;
  private Hash lastHash;
  private volatile boolean closed;

  private H2BlockStore(StoreContext context, Path file, MVStore store, TipFile tip) {
    this.context = context;
    this.file = file;
    this.store = store;
    this.tip = tip;
    this.blocks = store.openMap("blocks", new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
    this.blockHashes = store.openMap("blockHashes", bytesTo(LongDataType.INSTANCE));
    this.transactions = store.openMap("transactions",
        new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
    this.transactionIds = store.openMap("transactionIds", new MVMap.Builder<Long, Long>().keyType(LongDataType.INSTANCE).valueType(LongDataType.INSTANCE));
    this.transactionIdCollisions = store.openMap("transactionIdCollisions", bytesTo(LongDataType.INSTANCE));
    this.writes = store.openMap("writes", bytesTo(LongDataType.INSTANCE));
    this.accounts = store.openMap("accounts", new MVMap.Builder<byte[], byte[]>().keyType(UnsignedBytesType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
    this.outcomes = store.openMap("outcomes", new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
  }

  private static <V> MVMap.Builder<byte[], V> bytesTo(org.h2.mvstore.type.DataType<V> values) {
    return new MVMap.Builder<byte[], V>().keyType(UnsignedBytesType.INSTANCE).valueType(values);
  }

  /**
   * Opens the store of {@code context}, creating the file if there is none (or it is empty).
   *
   * @throws StorageException naming the file if it is not an H2 file, not a Meshledger store, of another
   *     chain or format, corrupt, or locked by another process
   */
  public static H2BlockStore open(StoreContext context) {
    Objects.requireNonNull(context, "context");
    Path file = context.directory().resolve(FILE_NAME);
    MVStore store = H2Files.open(file);
    TipFile tip = null;
    try {
      tip = TipFile.open(context.directory().resolve(FILE_NAME + ".tip"));
      H2BlockStore s = new H2BlockStore(context, file, store, tip);
      s.checkIdentity();
      s.loadTip();
      s.checkTipFile();
      return s;
    } catch (RuntimeException e) {
      store.closeImmediately();
      if (tip != null) {
        tip.close();
      }
      if (e instanceof StorageException) {
        throw e;
      }
      throw new StorageException("block store " + file + " is corrupt: " + e.getMessage(), e);
    }
  }

  /** The file this store keeps its data in. */
  public Path file() {
    return file;
  }

  private void checkIdentity() {
    MVMap<String, String> meta = store.openMap("meshledger");
    if (meta.isEmpty()) {
      if (!store.getMapNames().stream().allMatch(n -> n.equals("meshledger") || isOwnMap(n)) || !blocks.isEmpty()) {
        throw new StorageException("block store " + file + " is an H2 file but not a Meshledger block store (it holds maps " + store.getMapNames() + ")");
      }
      meta.put("format", FORMAT);
      meta.put("chainId", context.chainId());
      meta.put("genesisHash", context.genesisHash().toHex());
      commitAndSync();
      return;
    }
    String format = meta.get("format");
    if (!FORMAT.equals(format)) {
      throw new StorageException("block store " + file + " has layout version " + format + "; this version of Meshledger reads version " + FORMAT);
    }
    String genesis = meta.get("genesisHash");
    String chain = meta.get("chainId");
    if (!context.chainId().equals(chain) || !context.genesisHash().toHex().equals(genesis)) {
      throw new StorageException("block store " + file + " belongs to chain '" + chain + "' with genesis " + genesis + ", not to chain '"
          + context.chainId() + "' with genesis " + context.genesisHash() + "; use another data directory or the right genesis file");
    }
  }

  private static boolean isOwnMap(String name) {
    return List.of("blocks", "blockHashes", "transactions", "transactionIds", "transactionIdCollisions", "writes", "accounts", "outcomes").contains(name);
  }

  /** Finds the last block and reads it whole, so a damaged tail fails at open rather than at the first read. */
  private void loadTip() {
    Long last = blocks.lastKey();
    height = last == null ? 0 : last;
    if (height == 0) {
      lastHash = context.genesisHash();
      return;
    }
    Block tip = readBlock(height);
    lastHash = tip.hash();
    if (!blockHashes.containsKey(lastHash.bytes())) {
      throw new StorageException("block store " + file + " is corrupt: block " + height + " is missing from the hash index");
    }
    if (height > 1 && !readBlock(height - 1).hash().equals(tip.header().previousHash())) {
      throw new StorageException("block store " + file + " is corrupt: block " + height + " does not link to block " + (height - 1));
    }
  }

  /** Compares the store with the tip last recorded beside it: a store that lost committed blocks is refused. */
  private void checkTipFile() {
    Optional<TipFile.Tip> recorded = tip.read();
    if (recorded.isPresent()) {
      TipFile.Tip t = recorded.get();
      if (t.height() > height) {
        throw new StorageException("block store " + file + " is corrupt or truncated: it holds " + height + " blocks, but block " + t.height()
            + " (" + t.hash() + ") was committed to it, as " + tip.path() + " records. Restore the file from a backup, or delete both files"
            + " to sync the chain again from peers");
      }
      if (t.height() > 0 && !Keys.hash(record(t.height())).equals(t.hash())) {
        throw new StorageException("block store " + file + " holds another block " + t.height() + " than the one committed to it ("
            + t.hash() + ", recorded in " + tip.path() + "); it was replaced or is corrupt");
      }
    }
    if (recorded.isEmpty() || recorded.get().height() != height) {
      tip.write(height, lastHash);
    }
  }

  // ---- append ----

  @Override
  public void append(Block block, StateChanges changes) {
    appendLock.lock();
    try {
      checkOpen();
      AppendRules.check(context, height, lastHash, block, changes, this::storedVersion);
      long h = block.height();
      try {
        write(block, changes);
      } catch (RuntimeException e) {
        store.rollback();
        throw new StorageException("cannot append block " + h + " to " + file + "; nothing was written: " + e, e);
      }
      try {
        commitAndSync();
      } catch (RuntimeException e) {
        // whether the commit reached the disk is unknown: stop here, a reopen finds out
        closed = true;
        store.closeImmediately();
        tip.close();
        throw new StorageException("cannot commit block " + h + " to " + file + "; the store is closed, reopen it to continue: " + e, e);
      }
      lastHash = block.hash();
      height = h;
      try {
        tip.write(h, lastHash);
      } catch (StorageException e) {
        // the block is committed; a stale tip only weakens the truncation check at the next open
        System.getLogger(H2BlockStore.class.getName()).log(System.Logger.Level.WARNING, e.getMessage());
      }
      if (h % COMPACT_EVERY == 0) {
        compact();
      }
    } finally {
      appendLock.unlock();
    }
  }

  private void write(Block block, StateChanges changes) {
    long h = block.height();
    List<Transaction> txs = block.transactions();
    for (int i = 0; i < txs.size(); i++) {
      Transaction tx = txs.get(i);
      long position = position(h, i);
      transactions.put(position, tx.encode());
      Long taken = transactionIds.putIfAbsent(prefix(tx.id()), position);
      if (taken != null && !readTransaction(taken).id().equals(tx.id())) {
        transactionIdCollisions.putIfAbsent(tx.id().bytes(), position);
      }
    }
    for (DataEntry w : changes.writes()) {
      writes.put(Keys.write(w.key(), w.version()), position(h, w.index()));
    }
    for (Map.Entry<AccountId, AccountState> a : changes.accounts().entrySet()) {
      accounts.put(Keys.account(a.getKey(), h), Keys.state(a.getValue()));
    }
    if (!changes.rejected().isEmpty() || changes.stateDigest() != null) {
      outcomes.put(h, Keys.outcome(changes.stateDigest(), changes.rejected()));
    }
    blockHashes.put(block.hash().bytes(), h);
    blocks.put(h, Keys.blockRecord(block));
  }

  private void commitAndSync() {
    store.commit();
    store.sync();
  }

  private void compact() {
    try {
      store.compact(80, 16 << 20);
      commitAndSync();
    } catch (RuntimeException e) {
      // compaction only reclaims space; the blocks are committed already
      System.getLogger(H2BlockStore.class.getName()).log(System.Logger.Level.WARNING, "compacting " + file + " failed: " + e);
    }
  }

  private long storedVersion(String key) {
    byte[] prefix = Keys.writePrefix(key);
    byte[] k = writes.floorKey(Keys.write(key, Long.MAX_VALUE));
    return k != null && Keys.startsWith(k, prefix) ? Keys.version(k) : 0;
  }

  // ---- reads ----

  @Override
  public long height() {
    checkOpen();
    return height;
  }

  @Override
  public Optional<Block> block(long height) {
    Arguments.checkHeight(height);
    return read(() -> height <= this.height ? Optional.of(readBlock(height)) : Optional.empty());
  }

  @Override
  public Optional<Block> block(Hash hash) {
    Objects.requireNonNull(hash, "hash");
    return read(() -> {
      Long h = blockHashes.get(hash.bytes());
      return h == null || h > height ? Optional.empty() : Optional.of(readBlock(h));
    });
  }

  @Override
  public Optional<BlockHeader> header(long height) {
    Arguments.checkHeight(height);
    return read(() -> height <= this.height ? Optional.of(Keys.header(record(height), file, height)) : Optional.empty());
  }

  @Override
  public Optional<LocatedTransaction> transaction(Hash id) {
    Objects.requireNonNull(id, "id");
    return read(() -> {
      long visible = height;
      Long position = transactionIds.get(prefix(id));
      if (position == null) {
        return Optional.empty();
      }
      if (position >> INDEX_BITS <= visible) {
        Transaction tx = readTransaction(position);
        if (!tx.id().equals(id)) {
          position = transactionIdCollisions.get(id.bytes());
          if (position == null || position >> INDEX_BITS > visible) {
            return Optional.empty();
          }
          tx = readTransaction(position);
        }
        long h = position >> INDEX_BITS;
        return Optional.of(new LocatedTransaction(tx, h, (int) (position & ((1 << INDEX_BITS) - 1)), Keys.hash(record(h))));
      }
      return Optional.empty();
    });
  }

  @Override
  public Optional<DataEntry> current(String key) {
    Arguments.checkKey(key);
    return read(() -> {
      long visible = height;
      byte[] prefix = Keys.writePrefix(key);
      byte[] k = writes.floorKey(Keys.write(key, Long.MAX_VALUE));
      while (k != null && Keys.startsWith(k, prefix)) {
        long position = writes.get(k);
        if (position >> INDEX_BITS <= visible) {
          return Optional.of(entry(key, Keys.version(k), position));
        }
        k = writes.lowerKey(k); // a write of a block being appended: not visible yet
      }
      return Optional.empty();
    });
  }

  @Override
  public List<DataEntry> history(String key, long afterVersion, int limit) {
    Arguments.checkHistory(key, afterVersion, limit);
    return read(() -> {
      if (afterVersion == Long.MAX_VALUE) {
        return List.of();
      }
      long visible = height;
      byte[] prefix = Keys.writePrefix(key);
      List<DataEntry> page = new ArrayList<>(Math.min(limit, 256));
      Cursor<byte[], Long> c = writes.cursor(Keys.write(key, afterVersion + 1));
      while (page.size() < limit && c.hasNext()) {
        byte[] k = c.next();
        long position = c.getValue();
        if (!Keys.startsWith(k, prefix) || position >> INDEX_BITS > visible) {
          break;
        }
        page.add(entry(key, Keys.version(k), position));
      }
      return List.copyOf(page);
    });
  }

  @Override
  public AccountState account(AccountId account) {
    Objects.requireNonNull(account, "account");
    return read(() -> {
      byte[] k = accounts.floorKey(Keys.account(account, height));
      if (k == null || !Keys.startsWith(k, account.key())) {
        return AccountState.EMPTY;
      }
      return Keys.state(accounts.get(k), file);
    });
  }

  @Override
  public SortedMap<Integer, TransactionResult> rejected(long height) {
    Arguments.checkHeight(height);
    return read(() -> {
      byte[] record = height <= this.height ? outcomes.get(height) : null;
      return record == null ? Collections.emptySortedMap() : Keys.rejected(record, file, height);
    });
  }

  @Override
  public Optional<Hash> stateDigest(long height) {
    Arguments.checkHeight(height);
    return read(() -> {
      byte[] record = height <= this.height ? outcomes.get(height) : null;
      return record == null ? Optional.empty() : Keys.digest(record, file, height);
    });
  }

  private Block readBlock(long h) {
    byte[] record = record(h);
    BlockHeader header = Keys.header(record, file, h);
    List<Transaction> txs = new ArrayList<>(header.transactionCount());
    Iterator<Long> it = transactions.keyIterator(position(h, 0));
    for (int i = 0; i < header.transactionCount(); i++) {
      Long p = it.hasNext() ? it.next() : null;
      if (p == null || p != position(h, i)) {
        throw new StorageException("block store " + file + " is corrupt: transaction " + i + " of block " + h + " is missing");
      }
      txs.add(readTransaction(p));
    }
    Block block = Keys.block(record, header, txs, file, h);
    if (!MerkleTree.rootOf(txs).equals(header.transactionsRoot())) {
      throw new StorageException("block store " + file + " is corrupt: the transactions of block " + h + " do not match its header");
    }
    return block;
  }

  private byte[] record(long h) {
    byte[] record = blocks.get(h);
    if (record == null) {
      throw new StorageException("block store " + file + " is corrupt: block " + h + " is missing below height " + height);
    }
    return record;
  }

  private Transaction readTransaction(long position) {
    byte[] bytes = transactions.get(position);
    if (bytes == null) {
      throw new StorageException("block store " + file + " is corrupt: no transaction at " + (position >> INDEX_BITS) + "/"
          + (position & ((1 << INDEX_BITS) - 1)));
    }
    try {
      return Transaction.decode(bytes);
    } catch (RuntimeException e) {
      throw new StorageException("block store " + file + " is corrupt: transaction at " + (position >> INDEX_BITS) + "/"
          + (position & ((1 << INDEX_BITS) - 1)) + ": " + e.getMessage(), e);
    }
  }

  private DataEntry entry(String key, long version, long position) {
    Transaction tx = readTransaction(position);
    if (!(tx.payload() instanceof Payload.DataWrite w) || !w.key().equals(key)) {
      throw new StorageException("block store " + file + " is corrupt: write of '" + key + "' version " + version + " points at " + tx);
    }
    return new DataEntry(key, w.value(), version, tx.sender(), position >> INDEX_BITS, (int) (position & ((1 << INDEX_BITS) - 1)), tx.id());
  }

  private static long position(long height, int index) {
    return height << INDEX_BITS | index;
  }

  private static long prefix(Hash id) {
    byte[] b = id.bytes();
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | (b[i] & 0xff);
    }
    return v;
  }

  private <T> T read(Supplier<T> reading) {
    checkOpen();
    try {
      return reading.get();
    } catch (StorageException e) {
      throw e;
    } catch (RuntimeException e) {
      checkOpen(); // closed while reading
      throw new StorageException("cannot read " + file + ": " + e, e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("block store " + file + " is closed");
    }
  }

  @Override
  public void close() {
    appendLock.lock();
    try {
      if (!closed) {
        closed = true;
        try {
          store.close();
        } finally {
          tip.close();
        }
      }
    } catch (RuntimeException e) {
      throw new StorageException("cannot close " + file + " cleanly (the blocks appended are committed): " + e, e);
    } finally {
      appendLock.unlock();
    }
  }

  @Override
  public String toString() {
    return "H2BlockStore[" + file + ", height " + height + "]";
  }
}
