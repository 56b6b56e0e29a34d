package org.meshledger.chain;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One committed write of an application key: the value it set, the version it got (1 for the first write
 * of the key, then one more per write) and where it was written.
 *
 * @param key the application key
 * @param value the value written (copied in and out)
 * @param version the key's version after this write, at least 1
 * @param writer the account that signed the write
 * @param height the height of the block that holds the write
 * @param index the position of the writing transaction in that block
 * @param transactionId the id of the writing transaction
 */
public record DataEntry(String key, byte[] value, long version, AccountId writer, long height, int index, Hash transactionId) {
  public DataEntry {
    Limits.checkUtf8(key, 1, Limits.MAX_DATA_KEY_BYTES, "data key");
    Objects.requireNonNull(value, "value");
    if (value.length > Limits.MAX_DATA_VALUE_BYTES) {
      throw new IllegalArgumentException("data value is " + value.length + " bytes; the maximum is " + Limits.MAX_DATA_VALUE_BYTES);
    }
    value = value.clone();
    if (version < 1) {
      throw new IllegalArgumentException("a data entry's version starts at 1, got " + version);
    }
    Objects.requireNonNull(writer, "writer");
    if (height < 1 || index < 0) {
      throw new IllegalArgumentException("data entry position " + height + "/" + index + " out of range");
    }
    Objects.requireNonNull(transactionId, "transactionId");
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataEntry d && key.equals(d.key) && Arrays.equals(value, d.value) && version == d.version
        && writer.equals(d.writer) && height == d.height && index == d.index && transactionId.equals(d.transactionId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, version, height, index, transactionId);
  }

  @Override
  public String toString() {
    return "DataEntry[key=" + key + ", version=" + version + ", value=" + (value.length <= 32 ? HexFormat.of().formatHex(value) : value.length + " bytes")
        + ", at " + height + "/" + index + ", tx=" + transactionId + "]";
  }
}
