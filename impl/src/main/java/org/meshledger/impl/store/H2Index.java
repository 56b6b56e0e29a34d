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
import org.meshledger.StorageException;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.chain.LocatedTransaction;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.TransactionResult;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.StateChanges;
import org.meshledger.spi.StoreContext;

/**
 * The H2 part of {@link H2BlockStore}: indexes and state in one MVStore file, {@value #FILE_NAME}, rebuilt from
 * the {@link BlockLog} whenever it is behind it or unreadable.
 *
 * <p><b>Layout.</b> Main data is keyed by position, which only grows: blocks by height, transactions by
 * {@code height << 17 | index}. Lookups by hash go through compact side maps: the first 8 bytes of a
 * transaction id map to its position (a full-id overflow map takes the rare prefix collision), a block hash
 * to its height. DATA writes are indexed by {@code key || version} and point at the writing transaction,
 * whose payload holds the value, so values are stored once. Account states are kept per
 * {@code account || height}: the history of every account, read as of the visible height. The ledger's records
 * keep their latest value only ({@link H2Records}). The meta map holds the identity and, committed with each
 * block, the log offset of the last block applied (and the height of the last block that changed records).
 *
 * <p><b>Visibility.</b> Auto-commit is off: the file changes only at a commit. The height is published to
 * readers after the commit ({@link #publish}); reads never look past it, so a reader sees a block whole or not
 * at all, without locking. See {@code docs/adr/002-h2-access-path.md} and {@code docs/adr/008-block-log.md}.
 */
final class H2Index implements AutoCloseable {
  /** The file under the data directory. */
  static final String FILE_NAME = "ledger.mv";
  /** The layout version written in the file; a file of another version is refused. 2: blocks carry their previous commit. */
  static final String FORMAT = "2";
  /**
   * How long freed space is kept before reuse: H2's default. A shorter time let MVStore overwrite pages the
   * file's last header still needed (ADR 002); the log now repairs that, but a rebuild costs minutes on a long
   * chain, so the file is kept from needing one.
   */
  static final int RETENTION_MILLIS = 45_000;
  static final int INDEX_BITS = 17; // Limits.MAX_BLOCK_TRANSACTIONS < 2^17
  private static final String LOG_OFFSET = "logOffset";
  private static final String RECORDS_AT = "recordsAt";

  private final Path file;
  private final MVStore store;
  private final MVMap<String, String> meta;
  final MVMap<Long, byte[]> blocks;
  final MVMap<byte[], Long> blockHashes;
  final MVMap<Long, byte[]> transactions;
  final MVMap<Long, Long> transactionIds;
  final MVMap<byte[], Long> transactionIdCollisions;
  final MVMap<byte[], Long> writes;
  final MVMap<byte[], byte[]> accounts;
  final MVMap<Long, byte[]> outcomes;
  private final H2Records records;
  /** The last whole, committed block: readers never look past it. */
  private volatile long height;
  private Hash lastHash;
  private volatile boolean closed;
  /** A test's fault, run before each block is applied; null in production. */
  volatile java.util.function.Consumer<Block> beforeApply;

  private H2Index(Path file, MVStore store) {
    this.file = file;
    this.store = store;
    this.meta = store.openMap("meshledger");
    this.blocks = store.openMap("blocks", new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
    this.blockHashes = store.openMap("blockHashes", bytesTo(LongDataType.INSTANCE));
    this.transactions = store.openMap("transactions",
        new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
    this.transactionIds = store.openMap("transactionIds", new MVMap.Builder<Long, Long>().keyType(LongDataType.INSTANCE).valueType(LongDataType.INSTANCE));
    this.transactionIdCollisions = store.openMap("transactionIdCollisions", bytesTo(LongDataType.INSTANCE));
    this.writes = store.openMap("writes", bytesTo(LongDataType.INSTANCE));
    this.accounts = store.openMap("accounts", new MVMap.Builder<byte[], byte[]>().keyType(UnsignedBytesType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
    this.outcomes = store.openMap("outcomes", new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
    this.records = new H2Records(store);
  }

  private static <V> MVMap.Builder<byte[], V> bytesTo(org.h2.mvstore.type.DataType<V> values) {
    return new MVMap.Builder<byte[], V>().keyType(UnsignedBytesType.INSTANCE).valueType(values);
  }

  /**
   * Opens {@code file} for {@code context}, creating it if there is none (or it is empty), and reads its last
   * block whole.
   *
   * @throws H2Files.Unreadable if the file is an H2 file that cannot be read (corrupt): the log can rebuild it
   * @throws StorageException naming the file if it is not an H2 file, not a Meshledger store, of another chain
   *     or format, or locked by another process
   */
  static H2Index open(Path file, StoreContext context) {
    MVStore store = H2Files.open(file);
    try {
      H2Index index = new H2Index(file, store);
      index.checkIdentity(context);
      index.loadTip(context);
      return index;
    } catch (RuntimeException e) {
      store.closeImmediately();
      if (e instanceof StorageException && !(e instanceof H2Files.Unreadable)) {
        throw e;
      }
      throw new H2Files.Unreadable("block store " + file + " is corrupt: " + e.getMessage(), e);
    }
  }

  Path file() {
    return file;
  }

  private void checkIdentity(StoreContext context) {
    if (meta.isEmpty()) {
      if (!store.getMapNames().stream().allMatch(n -> n.equals("meshledger") || isOwnMap(n)) || !blocks.isEmpty()) {
        throw new StorageException("block store " + file + " is an H2 file but not a Meshledger block store (it holds maps " + store.getMapNames() + ")");
      }
      meta.put("format", FORMAT);
      meta.put("chainId", context.chainId());
      meta.put("genesisHash", context.genesisHash().toHex());
      store.commit();
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
    return List.of("blocks", "blockHashes", "transactions", "transactionIds", "transactionIdCollisions", "writes", "accounts", "outcomes",
        H2Records.MAP).contains(name);
  }

  /** Finds the last block and reads it whole, so a damaged tail fails at open rather than at the first read. */
  private void loadTip(StoreContext context) {
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

  long height() {
    return height;
  }

  Hash lastHash() {
    return lastHash;
  }

  /** The log offset of the record of the last block applied, or -1 if the file does not say (written by an older version). */
  long logOffset() {
    String v = meta.get(LOG_OFFSET);
    return v == null ? -1 : Long.parseLong(v);
  }

  /**
   * Writes {@code block} with its changes and the log offset of its record, uncommitted: a reader does not see
   * it before {@link #commit} and {@link #publish}. On failure the maps are rolled back.
   */
  void apply(Block block, StateChanges changes, long logOffset) {
    try {
      java.util.function.Consumer<Block> fault = beforeApply;
      if (fault != null) {
        fault.accept(block);
      }
      write(block, changes);
      SortedMap<String, byte[]> changed = changes.records();
      if (!changed.isEmpty()) {
        records.stage(block.height(), changed);
        meta.put(RECORDS_AT, Long.toString(block.height()));
      }
      meta.put(LOG_OFFSET, Long.toString(logOffset));
    } catch (RuntimeException e) {
      rollback();
      throw e;
    }
  }

  /**
   * The height of the last block that changed records, 0 if none did. H2 keeps no history of records, so it
   * cannot give the log the records of a block above this height (see {@link LogRecovery}).
   */
  long recordsAt() {
    String v = meta.get(RECORDS_AT);
    return v == null ? 0 : Long.parseLong(v);
  }

  /** Records, uncommitted, that the last block applied has its log record at {@code offset}. */
  void setLogOffset(long offset) {
    meta.put(LOG_OFFSET, Long.toString(offset));
  }

  /** H2's estimate of the memory its changes since the last commit take, in bytes. */
  long unsavedBytes() {
    return store.getUnsavedMemory();
  }

  /** Commits what was applied (written to the file, not synced). */
  void commit() {
    records.flushAll();
    store.commit();
  }

  /** Commits, rewrites sparse chunks and syncs the file. */
  void compactAndSync() {
    records.flushAll();
    store.commit();
    try {
      store.compact(80, 16 << 20);
      store.commit();
    } catch (RuntimeException e) {
      // compaction only reclaims space; the blocks are committed already
      System.getLogger(H2Index.class.getName()).log(System.Logger.Level.WARNING, "compacting " + file + " failed: " + e);
    }
    store.sync();
  }

  /** Makes block {@code h} (applied) and the blocks below it visible to readers, with their records. */
  void publish(long h, Hash hash) {
    records.publish(h, () -> {
      lastHash = hash;
      height = h;
    });
  }

  /** Takes back everything applied since the last commit. */
  void rollback() {
    records.discardStaged();
    store.rollback();
  }

  private static boolean tookEffect(SortedMap<Integer, TransactionResult> rejected, int index) {
    TransactionResult r = rejected.get(index);
    return r == null || r.outcome() != TransactionResult.Outcome.INVALID;
  }

  /** Whether the transaction at {@code position} took effect; {@code changes} are those of block {@code h}, being written. */
  private boolean tookEffect(long position, long h, StateChanges changes) {
    long at = position >> INDEX_BITS;
    int index = (int) (position & ((1 << INDEX_BITS) - 1));
    if (at == h) {
      return tookEffect(changes.rejected(), index);
    }
    byte[] record = outcomes.get(at);
    return record == null || tookEffect(Keys.rejected(record, file, at), index);
  }

  private void write(Block block, StateChanges changes) {
    long h = block.height();
    List<Transaction> txs = block.transactions();
    for (int i = 0; i < txs.size(); i++) {
      Transaction tx = txs.get(i);
      long position = position(h, i);
      transactions.put(position, tx.encode());
      Long taken = transactionIds.putIfAbsent(prefix(tx.id()), position);
      if (taken != null) {
        // Should the id be in the chain already (a faulty proposer's replay), the place where it took effect wins
        // (BlockStore#transaction): one that was invalid, with no effect, gives way to a later one that applied.
        boolean replaces = tookEffect(changes.rejected(), i);
        if (!readTransaction(taken).id().equals(tx.id())) {
          Long collided = transactionIdCollisions.putIfAbsent(tx.id().bytes(), position);
          if (collided != null && replaces && !tookEffect(collided, h, changes)) {
            transactionIdCollisions.put(tx.id().bytes(), position);
          }
        } else if (replaces && !tookEffect(taken, h, changes)) {
          transactionIds.put(prefix(tx.id()), position);
        }
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

  long storedVersion(String key) {
    byte[] prefix = Keys.writePrefix(key);
    byte[] k = writes.floorKey(Keys.write(key, Long.MAX_VALUE));
    return k != null && Keys.startsWith(k, prefix) ? Keys.version(k) : 0;
  }

  // ---- reads ----

  Optional<Block> block(long height) {
    Arguments.checkHeight(height);
    return read(() -> height <= this.height ? Optional.of(readBlock(height)) : Optional.empty());
  }

  Optional<Block> block(Hash hash) {
    Objects.requireNonNull(hash, "hash");
    return read(() -> {
      Long h = blockHashes.get(hash.bytes());
      return h == null || h > height ? Optional.empty() : Optional.of(readBlock(h));
    });
  }

  Optional<BlockHeader> header(long height) {
    Arguments.checkHeight(height);
    return read(() -> height <= this.height ? Optional.of(Keys.header(record(height), file, height)) : Optional.empty());
  }

  Optional<LocatedTransaction> transaction(Hash id) {
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

  Optional<DataEntry> current(String key) {
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

  List<DataEntry> history(String key, long afterVersion, int limit) {
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

  AccountState account(AccountId account) {
    Objects.requireNonNull(account, "account");
    return read(() -> {
      byte[] k = accounts.floorKey(Keys.account(account, height));
      if (k == null || !Keys.startsWith(k, account.key())) {
        return AccountState.EMPTY;
      }
      return Keys.state(accounts.get(k), file);
    });
  }

  SortedMap<Integer, TransactionResult> rejected(long height) {
    Arguments.checkHeight(height);
    return read(() -> {
      byte[] record = height <= this.height ? outcomes.get(height) : null;
      return record == null ? Collections.emptySortedMap() : Keys.rejected(record, file, height);
    });
  }

  Optional<Hash> stateDigest(long height) {
    Arguments.checkHeight(height);
    return read(() -> {
      byte[] record = height <= this.height ? outcomes.get(height) : null;
      return record == null ? Optional.empty() : Keys.digest(record, file, height);
    });
  }

  Optional<byte[]> record(String key) {
    Arguments.checkRecordKey(key);
    return read(() -> records.get(key));
  }

  SortedMap<String, byte[]> records(String prefix, String afterKey, int limit) {
    Arguments.checkRecordsPage(prefix, afterKey, limit);
    return read(() -> records.page(prefix, afterKey, limit));
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

  /** Closes the file: with a final commit and sync if {@code cleanly}, else at once (after a failure). */
  void close(boolean cleanly) {
    if (!closed) {
      closed = true;
      if (cleanly) {
        records.flushAll();
        store.close();
      } else {
        store.closeImmediately();
      }
    }
  }

  @Override
  public void close() {
    close(true);
  }

  @Override
  public String toString() {
    return "H2Index[" + file + ", height " + height + "]";
  }
}
