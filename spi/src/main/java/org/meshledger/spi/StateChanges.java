package org.meshledger.spi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Limits;
import org.meshledger.chain.TransactionResult;

/**
 * What executing one block changed, stored atomically with it: the DATA writes it applied (rejected writes
 * are absent), the new state of every account it touched, the results of the transactions that did not
 * apply (so a receipt can say why, also after a restart), and the ledger's own records it set.
 *
 * <p><b>Records</b> are the ledger's state that is neither an account nor a host's DATA key: what the
 * ledger's rules keep between blocks (a registry, per-epoch standings, totals). A store keeps the latest value
 * of each key only, no history; an empty value removes the record. Host code never writes them: only the
 * ledger's execution does, and the state digest covers them. Keys are 1 to {@value #MAX_RECORD_KEY_BYTES}
 * UTF-8 bytes of well-formed text (no unpaired surrogate, so that every key survives a round trip through
 * UTF-8), sorted by {@link #RECORD_KEY_ORDER}; values are up to {@value #MAX_RECORD_VALUE_BYTES} bytes. Values
 * are copied in, and {@link #records()} returns a copy, so an instance cannot change once built.
 *
 * @param writes the applied writes, in block order; each has the block's height
 * @param accounts the state after the block of each account the block touched, sorted by account
 * @param rejected the result of each transaction of the block that was not accepted, by its index in the
 *     block, sorted; a transaction absent here was accepted
 * @param stateDigest the state digest after the block (the next block's header carries it), or null where
 *     the caller did not execute the block (tools, tests): the store then keeps none
 * @param records the ledger's records the block set, by key in {@link #RECORD_KEY_ORDER}: the latest value of
 *     each (a block that sets a key twice keeps the last), an empty value for a record the block removed
 */
public record StateChanges(List<DataEntry> writes, Map<AccountId, AccountState> accounts, SortedMap<Integer, TransactionResult> rejected,
    Hash stateDigest, SortedMap<String, byte[]> records) {
  /** Record keys: 1 to 256 UTF-8 bytes, as DATA keys. */
  public static final int MAX_RECORD_KEY_BYTES = Limits.MAX_DATA_KEY_BYTES;
  /** Record values: up to 64 KiB, as DATA values. */
  public static final int MAX_RECORD_VALUE_BYTES = Limits.MAX_DATA_VALUE_BYTES;
  /**
   * The order of record keys: by their UTF-8 bytes compared unsigned, which is the order of their Unicode code
   * points. It differs from {@link String#compareTo} (UTF-16 units) only where a character above U+FFFF meets
   * one from U+E000 to U+FFFF; it is used because it is the same in every language, and the state digest
   * hashes records in it.
   */
  public static final Comparator<String> RECORD_KEY_ORDER = StateChanges::compareCodePoints;

  /** A block that changed nothing. */
  public static final StateChanges NONE = new StateChanges(List.of(), Map.of());

  /**
   * @throws IllegalArgumentException if a rejected result is accepted or has a negative index, or a record's
   *     key or value is out of bounds ({@link #checkRecord})
   * @throws NullPointerException if a list, map, key, value or account state is null
   */
  public StateChanges {
    writes = List.copyOf(writes);
    TreeMap<AccountId, AccountState> sorted = new TreeMap<>(accounts);
    sorted.values().forEach(v -> Objects.requireNonNull(v, "account state"));
    accounts = Collections.unmodifiableMap(sorted);
    TreeMap<Integer, TransactionResult> results = new TreeMap<>(rejected);
    results.forEach((i, r) -> {
      if (i < 0 || r.isAccepted()) {
        throw new IllegalArgumentException("rejected results need an index from 0 and a rejection, got " + i + " " + r.outcome());
      }
    });
    rejected = Collections.unmodifiableSortedMap(results);
    records = copy(Objects.requireNonNull(records, "records"), true);
  }

  /** Changes with these writes, accounts, rejected results and digest, and no records. */
  public StateChanges(List<DataEntry> writes, Map<AccountId, AccountState> accounts, SortedMap<Integer, TransactionResult> rejected,
      Hash stateDigest) {
    this(writes, accounts, rejected, stateDigest, Collections.emptySortedMap());
  }

  /** Changes of a block whose transactions were all accepted, without a state digest or records. */
  public StateChanges(List<DataEntry> writes, Map<AccountId, AccountState> accounts) {
    this(writes, accounts, new TreeMap<>(), null);
  }

  /** These changes with the state digest they lead to (the records stay). */
  public StateChanges withDigest(Hash digest) {
    return new StateChanges(writes, accounts, rejected, Objects.requireNonNull(digest, "digest"), records);
  }

  /**
   * These changes with {@code records} in place of theirs (copied and sorted; an empty value removes the record).
   *
   * @throws IllegalArgumentException if a key or value is out of bounds ({@link #checkRecord})
   */
  public StateChanges withRecords(Map<String, byte[]> records) {
    return new StateChanges(writes, accounts, rejected, stateDigest, copy(records, true));
  }

  /** A copy of the records: the caller may change it and its arrays without changing these changes. */
  @Override
  public SortedMap<String, byte[]> records() {
    return copy(records, false);
  }

  /**
   * Fails unless {@code key} can name a record: 1 to {@value #MAX_RECORD_KEY_BYTES} UTF-8 bytes, with no
   * unpaired surrogate (UTF-8 cannot carry one, so such a key would change in a store).
   *
   * @return {@code key}
   * @throws IllegalArgumentException naming the key and the rule it breaks
   * @throws NullPointerException if {@code key} is null
   */
  public static String checkRecordKey(String key) {
    Objects.requireNonNull(key, "record key");
    checkWellFormed(key, "record key");
    int n = key.getBytes(StandardCharsets.UTF_8).length;
    if (n < 1 || n > MAX_RECORD_KEY_BYTES) {
      throw new IllegalArgumentException("record key '" + abbreviate(key) + "' is " + n + " UTF-8 bytes; a record key has 1 to "
          + MAX_RECORD_KEY_BYTES);
    }
    return key;
  }

  /**
   * Fails unless {@code prefix} can begin a record key: what {@link #checkRecordKey} allows, or empty.
   *
   * @return {@code prefix}
   * @throws IllegalArgumentException naming the prefix and the rule it breaks
   * @throws NullPointerException if {@code prefix} is null
   */
  public static String checkRecordPrefix(String prefix) {
    Objects.requireNonNull(prefix, "record key prefix");
    return prefix.isEmpty() ? prefix : checkRecordKey(prefix);
  }

  /**
   * Fails unless {@code key} and {@code value} can form a record: the key as {@link #checkRecordKey}, the value at
   * most {@value #MAX_RECORD_VALUE_BYTES} bytes (empty for a removal).
   *
   * @throws IllegalArgumentException naming the key and the bound it exceeds
   * @throws NullPointerException if either is null
   */
  public static void checkRecord(String key, byte[] value) {
    checkRecordKey(key);
    Objects.requireNonNull(value, "value of record '" + key + "'");
    if (value.length > MAX_RECORD_VALUE_BYTES) {
      throw new IllegalArgumentException("record '" + abbreviate(key) + "' has a value of " + value.length + " bytes; the maximum is "
          + MAX_RECORD_VALUE_BYTES + " (split it over several keys)");
    }
  }

  /**
   * Fails if {@code text} holds an unpaired surrogate, which UTF-8 cannot encode (it would become {@code '?'}).
   *
   * @throws IllegalArgumentException naming {@code what} and the position of the surrogate
   */
  private static void checkWellFormed(String text, String what) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(what + " '" + abbreviate(text) + "' holds an unpaired surrogate at index " + i
            + " (U+" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + "), which UTF-8 cannot encode");
      }
    }
  }

  private static SortedMap<String, byte[]> copy(Map<String, byte[]> records, boolean check) {
    TreeMap<String, byte[]> sorted = new TreeMap<>(RECORD_KEY_ORDER);
    records.forEach((k, v) -> {
      if (check) {
        checkRecord(k, v);
      }
      sorted.put(k, v.clone());
    });
    return check ? Collections.unmodifiableSortedMap(sorted) : sorted;
  }

  /** Code point order (= UTF-8 byte order) without encoding: UTF-16 order with surrogates moved above U+FFFF. */
  private static int compareCodePoints(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return fixUp(x) - fixUp(y);
      }
    }
    return a.length() - b.length();
  }

  private static int fixUp(char c) {
    if (c >= Character.MIN_SURROGATE) {
      return c <= Character.MAX_SURROGATE ? c + 0x2000 : c - 0x800; // surrogates last, U+E000..U+FFFF before them
    }
    return c;
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 60) + "...";
  }

  /** Equal if every component is; record values compare by content. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof StateChanges c) || !writes.equals(c.writes) || !accounts.equals(c.accounts) || !rejected.equals(c.rejected)
        || !Objects.equals(stateDigest, c.stateDigest) || records.size() != c.records.size()) {
      return false;
    }
    for (Map.Entry<String, byte[]> e : records.entrySet()) {
      if (!Arrays.equals(e.getValue(), c.records.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(writes, accounts, rejected, stateDigest);
    for (Map.Entry<String, byte[]> e : records.entrySet()) {
      h = 31 * h + e.getKey().hashCode() * 17 + Arrays.hashCode(e.getValue());
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder r = new StringBuilder("{");
    records.forEach((k, v) -> r.append(r.length() > 1 ? ", " : "").append(k).append('=').append(v.length == 0 ? "removed" : v.length + " bytes"));
    return "StateChanges[writes=" + writes + ", accounts=" + accounts + ", rejected=" + rejected + ", stateDigest=" + stateDigest
        + ", records=" + r.append('}') + "]";
  }
}
