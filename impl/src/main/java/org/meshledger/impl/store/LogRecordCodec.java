package org.meshledger.impl.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Limits;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.TransactionResult;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;
import org.meshledger.spi.StateChanges;

/**
 * The body of a {@link BlockLog} record: a block with what executing it changed, in the canonical encoding.
 *
 * <pre>
 * u8 version (2) || block (Block.writeTo, its own version byte first)
 * || count || (i32 index || i64 version)*          the DATA writes applied, by the index of their transaction
 * || count || (account || i64 balance || i64 nonce)* the accounts touched, sorted
 * || count || (i32 index || u8 outcome || string reason)* the rejected results, sorted
 * || bool || digest?                                 the state digest
 * || count || (string key || bytes value)*           the records set, ascending by key; empty value: removed
 * </pre>
 *
 * A write is stored as its transaction's index and the version it made: key, value, writer and id are the
 * transaction's, so they are not stored twice. Decoding treats the bytes as hostile (every count bounded
 * before allocating, keys strictly ascending, no trailing bytes) even though a CRC guards them. Version 1,
 * written before records existed, ends after the digest and decodes as a block that set no record, so a log
 * written by an earlier version is read as it is.
 */
final class LogRecordCodec {
  static final int VERSION = 2;
  /** The version before records: the same without the records. */
  static final int VERSION_WITHOUT_RECORDS = 1;
  /** Where the block's header starts in a body: after the body's and the block's version bytes. */
  static final int HEADER_OFFSET = 2;

  private LogRecordCodec() {}

  /** A decoded record body. */
  record Entry(Block block, StateChanges changes) {}

  static byte[] encode(Block block, StateChanges changes) {
    SortedMap<String, byte[]> records = changes.records();
    int size = 64 + 12 * changes.writes().size() + 48 * changes.accounts().size() + 64 * changes.rejected().size();
    for (Map.Entry<String, byte[]> e : records.entrySet()) {
      size += 8 + 3 * e.getKey().length() + e.getValue().length;
    }
    size += 512 + 96 * (block.certificate().signatures().size() + block.previousCommitSigners().size());
    for (Transaction t : block.transactions()) {
      size += t.encodedSize();
    }
    CanonicalWriter w = new CanonicalWriter(size);
    w.u8(VERSION);
    block.writeTo(w);
    w.count(changes.writes().size());
    for (DataEntry e : changes.writes()) {
      w.i32(e.index()).i64(e.version());
    }
    w.count(changes.accounts().size());
    for (Map.Entry<AccountId, AccountState> a : changes.accounts().entrySet()) {
      a.getKey().writeTo(w);
      w.i64(a.getValue().balance().units()).i64(a.getValue().nextNonce());
    }
    w.count(changes.rejected().size());
    changes.rejected().forEach((i, r) -> w.i32(i).u8(r.outcome().ordinal()).string(r.reason()));
    w.bool(changes.stateDigest() != null);
    if (changes.stateDigest() != null) {
      changes.stateDigest().writeTo(w);
    }
    w.count(records.size());
    records.forEach((k, v) -> w.string(k).bytes(v));
    return w.toByteArray();
  }

  /** The header of the block in {@code body}, without decoding the transactions. */
  static BlockHeader header(byte[] body) {
    CanonicalReader r = new CanonicalReader(body);
    version(r);
    r.version(Block.VERSION, "block");
    return BlockHeader.readFrom(r);
  }

  /** @throws DecodeException (or IllegalArgumentException from a value's checks) if {@code body} is not a record */
  static Entry decode(byte[] body) {
    CanonicalReader r = new CanonicalReader(body);
    int format = version(r);
    Block block = Block.readFrom(r);
    List<Transaction> txs = block.transactions();
    int n = r.count(Limits.MAX_BLOCK_TRANSACTIONS, 12, "writes");
    List<DataEntry> writes = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      int index = r.i32("write index");
      long version = r.i64("write version");
      if (index < 0 || index >= txs.size() || !(txs.get(index).payload() instanceof Payload.DataWrite d)) {
        throw new DecodeException("write " + k + " names transaction " + index + ", which is not a DATA write of the block");
      }
      Transaction tx = txs.get(index);
      writes.add(new DataEntry(d.key(), d.value(), version, tx.sender(), block.height(), index, tx.id()));
    }
    int a = r.count(2 * Limits.MAX_BLOCK_TRANSACTIONS, AccountId.BYTES + 16, "accounts");
    Map<AccountId, AccountState> accounts = new TreeMap<>();
    for (int k = 0; k < a; k++) {
      AccountId id = AccountId.readFrom(r, "account");
      accounts.put(id, new AccountState(Amount.of(r.i64("balance")), r.i64("nonce")));
    }
    int x = r.count(Limits.MAX_BLOCK_TRANSACTIONS, 9, "rejected results");
    SortedMap<Integer, TransactionResult> rejected = new TreeMap<>();
    TransactionResult.Outcome[] outcomes = TransactionResult.Outcome.values();
    for (int k = 0; k < x; k++) {
      int index = r.i32("result index");
      int code = r.u8("result outcome");
      if (code == 0 || code >= outcomes.length) {
        throw new DecodeException("outcome code " + code + " is not a rejection");
      }
      rejected.put(index, new TransactionResult(outcomes[code], r.string(4 * TransactionResult.MAX_REASON_CHARS, "result reason")));
    }
    Hash digest = r.bool("has digest") ? Hash.readFrom(r, "state digest") : null;
    SortedMap<String, byte[]> records = format == VERSION_WITHOUT_RECORDS ? new TreeMap<>() : readRecords(r);
    r.end("block log record");
    return new Entry(block, new StateChanges(writes, accounts, rejected, digest, records));
  }

  /** The records of a record body: each key above the one before it, each within the record bounds. */
  private static SortedMap<String, byte[]> readRecords(CanonicalReader r) {
    int n = r.count(Integer.MAX_VALUE, 9, "records"); // bounded by the bytes left: a key and a value length, a key byte
    SortedMap<String, byte[]> records = new TreeMap<>(StateChanges.RECORD_KEY_ORDER);
    String previous = null;
    for (int k = 0; k < n; k++) {
      String key = r.string(StateChanges.MAX_RECORD_KEY_BYTES, "record key");
      if (previous != null && StateChanges.RECORD_KEY_ORDER.compare(previous, key) >= 0) {
        throw new DecodeException("record key '" + key + "' does not follow '" + previous + "': keys must ascend");
      }
      records.put(key, r.bytes(StateChanges.MAX_RECORD_VALUE_BYTES, "value of record '" + key + "'"));
      previous = key;
    }
    return records;
  }

  private static int version(CanonicalReader r) {
    int v = r.u8("block log record version");
    if (v != VERSION && v != VERSION_WITHOUT_RECORDS) {
      throw new DecodeException("block log record: unsupported version " + v + " (this build reads " + VERSION_WITHOUT_RECORDS + " and "
          + VERSION + ")");
    }
    return v;
  }
}
