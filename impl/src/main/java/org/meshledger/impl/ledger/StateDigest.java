package org.meshledger.impl.ledger;

import java.util.Map;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.genesis.Genesis;
import org.meshledger.spi.StateChanges;

/**
 * The state digest: a SHA-256 chain over each block's state changes, starting from the genesis hash. Block
 * {@code h}'s header carries the digest after block {@code h - 1}; block 1's carries {@link #initial}. It covers
 * everything a block changed: DATA writes, accounts and the ledger's records. The exact bytes are in
 * {@code docs/adr/006-execution.md}.
 */
public final class StateDigest {
  /** The version byte that starts the hashed bytes: 2 since the digest covers the ledger's records. */
  public static final int VERSION = 2;

  private StateDigest() {}

  /** The digest before any block: the genesis hash, which binds the initial balances the store does not keep. */
  public static Hash initial(Genesis genesis) {
    return genesis.hash();
  }

  /** The digest after block {@code height} changed {@code changes}, the digest before it being {@code previous}. */
  public static Hash next(Hash previous, long height, StateChanges changes) {
    return Hash.sha256(encode(previous, height, changes));
  }

  static byte[] encode(Hash previous, long height, StateChanges changes) {
    CanonicalWriter w = new CanonicalWriter(256);
    w.u8(VERSION);
    previous.writeTo(w);
    w.i64(height);
    w.count(changes.writes().size());
    for (DataEntry e : changes.writes()) {
      w.string(e.key()).bytes(e.value()).i64(e.version());
      e.writer().writeTo(w);
      w.i32(e.index());
      e.transactionId().writeTo(w);
    }
    w.count(changes.accounts().size());
    for (Map.Entry<AccountId, AccountState> a : changes.accounts().entrySet()) { // sorted by account bytes
      a.getKey().writeTo(w);
      w.i64(a.getValue().balance().units()).i64(a.getValue().nextNonce());
    }
    java.util.SortedMap<String, byte[]> records = changes.records(); // sorted by UTF-8 bytes; an empty value is a removal
    w.count(records.size());
    records.forEach((k, v) -> w.string(k).bytes(v));
    return w.toByteArray();
  }
}
