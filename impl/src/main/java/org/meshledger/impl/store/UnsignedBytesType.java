package org.meshledger.impl.store;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * Byte-array keys for MVStore maps, ordered as unsigned bytes: big-endian numbers appended to a prefix sort
 * as numbers, so {@code prefix || version} keys of one prefix are contiguous and in version order.
 */
final class UnsignedBytesType extends BasicDataType<byte[]> {
  static final UnsignedBytesType INSTANCE = new UnsignedBytesType();

  private UnsignedBytesType() {}

  @Override
  public int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  @Override
  public int getMemory(byte[] obj) {
    return 24 + obj.length;
  }

  @Override
  public void write(WriteBuffer buff, byte[] obj) {
    buff.putVarInt(obj.length).put(obj);
  }

  @Override
  public byte[] read(ByteBuffer buff) {
    int length = DataUtils.readVarInt(buff);
    byte[] b = new byte[length];
    buff.get(b);
    return b;
  }

  @Override
  public byte[][] createStorage(int size) {
    return new byte[size][];
  }
}
