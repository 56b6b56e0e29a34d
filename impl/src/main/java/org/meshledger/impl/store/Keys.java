package org.meshledger.impl.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.meshledger.AccountId;
import org.meshledger.AccountState;
import org.meshledger.Amount;
import org.meshledger.Block;
import org.meshledger.BlockHeader;
import org.meshledger.CommitCertificate;
import org.meshledger.Hash;
import org.meshledger.StorageException;
import org.meshledger.Transaction;
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

  /** A block's record: {@code hash || header || certificate}. The transactions are stored apart, by position. */
  static byte[] blockRecord(Block block) {
    CanonicalWriter w = new CanonicalWriter(512 + 96 * block.certificate().signatures().size());
    block.hash().writeTo(w);
    block.header().writeTo(w);
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
      CommitCertificate certificate = CommitCertificate.readFrom(r);
      r.end("block record");
      return new Block(header, txs, certificate);
    } catch (RuntimeException e) {
      throw new StorageException("block store " + file + " is corrupt: block " + height + ": " + e.getMessage(), e);
    }
  }
}
