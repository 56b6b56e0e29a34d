package org.meshledger.impl.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.meshledger.StorageException;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Limits;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.TransactionResult;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;

/**
 * The byte layouts of the H2 store's keys and values. Numbers are big-endian so that, compared as unsigned
 * bytes, they sort as numbers after a common prefix.
 */
final class Keys {
  private Keys() {}

  /** A DATA write's index key: {@code u16 length || UTF-8 key || u64 version}. */
  static byte[] write(String key, long version) {
    byte[] prefix = writePrefix(key);
    return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(version).array();
  }

  /** The part of {@link #write} shared by all versions of {@code key}; the length keeps "a" from prefixing "ab". */
  static byte[] writePrefix(String key) {
    byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + utf8.length).putShort((short) utf8.length).put(utf8).array();
  }

  static long version(byte[] writeKey) {
    return ByteBuffer.wrap(writeKey, writeKey.length - 8, 8).getLong();
  }

  /** An account state's key: {@code account || u64 height}. */
  static byte[] account(AccountId account, long height) {
    return ByteBuffer.allocate(AccountId.BYTES + 8).put(account.key()).putLong(height).array();
  }

  static byte[] state(AccountState s) {
    return ByteBuffer.allocate(16).putLong(s.balance().units()).putLong(s.nextNonce()).array();
  }

  static AccountState state(byte[] value, Path file) {
    try {
      ByteBuffer b = ByteBuffer.wrap(value);
      AccountState s = new AccountState(Amount.of(b.getLong()), b.getLong());
      if (b.hasRemaining()) {
        throw new IllegalArgumentException(value.length + " bytes");
      }
      return s;
    } catch (RuntimeException e) {
      throw new StorageException("block store " + file + " is corrupt: an account state does not decode: " + e.getMessage(), e);
    }
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  /**
   * A block's record: {@code hash || header || bool hasPreviousCommit || previous commit? || certificate}. The
   * transactions are stored apart, by position.
   */
  static byte[] blockRecord(Block block) {
    int signatures = block.certificate().signatures().size() + block.previousCommitSigners().size();
    CanonicalWriter w = new CanonicalWriter(512 + 96 * signatures);
    block.hash().writeTo(w);
    block.header().writeTo(w);
    w.bool(block.previousCommit().isPresent());
    block.previousCommit().ifPresent(c -> c.writeTo(w));
    block.certificate().writeTo(w);
    return w.toByteArray();
  }

  static Hash hash(byte[] record) {
    return new Hash(Arrays.copyOf(record, Hash.BYTES));
  }

  static BlockHeader header(byte[] record, Path file, long height) {
    try {
      CanonicalReader r = new CanonicalReader(record);
      Hash hash = Hash.readFrom(r, "block hash");
      BlockHeader header = BlockHeader.readFrom(r);
      if (header.height() != height || !header.hash().equals(hash)) {
        throw new IllegalArgumentException("the header stored at height " + height + " is of height " + header.height() + " or hashes otherwise");
      }
      return header;
    } catch (RuntimeException e) {
      throw new StorageException("block store " + file + " is corrupt: block " + height + ": " + e.getMessage(), e);
    }
  }

  static Block block(byte[] record, BlockHeader header, List<Transaction> txs, Path file, long height) {
    try {
      CanonicalReader r = new CanonicalReader(record);
      Hash.readFrom(r, "block hash");
      BlockHeader.readFrom(r);
      java.util.Optional<CommitCertificate> previous = r.bool("block record previous commit present")
          ? java.util.Optional.of(CommitCertificate.readFrom(r)) : java.util.Optional.empty();
      CommitCertificate certificate = CommitCertificate.readFrom(r);
      r.end("block record");
      return new Block(header, txs, previous, certificate);
    } catch (RuntimeException e) {
      throw new StorageException("block store " + file + " is corrupt: block " + height + ": " + e.getMessage(), e);
    }
  }

  /**
   * What executing a block gave beyond its changes: {@code bool hasDigest || digest? || count || (i32 index ||
   * u8 outcome || string reason)*}.
   */
  static byte[] outcome(Hash digest, SortedMap<Integer, TransactionResult> results) {
    CanonicalWriter w = new CanonicalWriter(48 + 64 * results.size());
    w.bool(digest != null);
    if (digest != null) {
      digest.writeTo(w);
    }
    w.count(results.size());
    results.forEach((i, r) -> w.i32(i).u8(r.outcome().ordinal()).string(r.reason()));
    return w.toByteArray();
  }

  static java.util.Optional<Hash> digest(byte[] record, Path file, long height) {
    try {
      CanonicalReader r = new CanonicalReader(record);
      return r.bool("has digest") ? java.util.Optional.of(Hash.readFrom(r, "state digest")) : java.util.Optional.empty();
    } catch (RuntimeException e) {
      throw new StorageException("block store " + file + " is corrupt: state digest of block " + height + ": " + e.getMessage(), e);
    }
  }

  static SortedMap<Integer, TransactionResult> rejected(byte[] record, Path file, long height) {
    try {
      CanonicalReader r = new CanonicalReader(record);
      if (r.bool("has digest")) {
        Hash.readFrom(r, "state digest");
      }
      int n = r.count(Limits.MAX_BLOCK_TRANSACTIONS, 6, "rejected results");
      TreeMap<Integer, TransactionResult> results = new TreeMap<>();
      TransactionResult.Outcome[] outcomes = TransactionResult.Outcome.values();
      for (int k = 0; k < n; k++) {
        int index = r.i32("result index");
        int code = r.u8("result outcome");
        if (code == 0 || code >= outcomes.length) {
          throw new IllegalArgumentException("outcome code " + code + " is not a rejection");
        }
        results.put(index, new TransactionResult(outcomes[code], r.string(4 * TransactionResult.MAX_REASON_CHARS, "result reason")));
      }
      r.end("rejected results");
      return Collections.unmodifiableSortedMap(results);
    } catch (RuntimeException e) {
      throw new StorageException("block store " + file + " is corrupt: rejected results of block " + height + ": " + e.getMessage(), e);
    }
  }
}
