package org.meshledger.impl.store;

import java.util.Objects;

/** Argument checks shared by the stores, with the messages the {@link org.meshledger.spi.BlockStore} contract promises. */
final class Arguments {
  private Arguments() {}

  static void checkHeight(long height) {
    if (height < 1) {
      throw new IllegalArgumentException("block heights start at 1, got " + height);
    }
  }

  static void checkKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("a data key cannot be empty");
    }
  }

  static void checkHistory(String key, long afterVersion, int limit) {
    checkKey(key);
    if (afterVersion < 0) {
      throw new IllegalArgumentException("afterVersion cannot be negative (0 starts at the first write), got " + afterVersion);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("a history page holds at least 1 entry, got limit " + limit);
    }
  }

  static void checkRecordKey(String key) {
    org.meshledger.spi.StateChanges.checkRecordKey(key);
  }

  static void checkRecordsPage(String prefix, String afterKey, int limit) {
    org.meshledger.spi.StateChanges.checkRecordPrefix(prefix);
    Objects.requireNonNull(afterKey, "afterKey");
    org.meshledger.spi.StateChanges.checkRecordPrefix(afterKey); // a key or empty: compared the same way by every store
    if (limit < 1 || limit > org.meshledger.spi.BlockStore.MAX_RECORDS_PAGE) {
      throw new IllegalArgumentException("a records page holds 1 to " + org.meshledger.spi.BlockStore.MAX_RECORDS_PAGE
          + " records, got limit " + limit + "; page through more with the last key of each page as afterKey");
    }
  }
}
