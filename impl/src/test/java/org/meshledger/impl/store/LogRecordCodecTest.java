package org.meshledger.impl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshledger.codec.DecodeException;
import org.meshledger.spi.StateChanges;
import org.meshledger.spi.contract.TestChain;
import org.meshledger.spi.contract.TestChain.ChainBlock;

/** The block log's record body carries the ledger's records, reads the records of earlier versions, and refuses hostile ones. */
class LogRecordCodecTest {
  private final TestChain chain = new TestChain("codec-test", 3);

  @Test
  void recordsRoundTripWithTheRestOfTheChanges() {
    ChainBlock b = chain.next(List.of(), Map.of("meshledger/b", bytes("2"), "meshledger/\ud83d\ude00", new byte[0], "meshledger/\ue000",
        bytes("3")));
    LogRecordCodec.Entry e = LogRecordCodec.decode(LogRecordCodec.encode(b.block(), b.changes()));
    assertThat(e.block()).isEqualTo(b.block());
    assertThat(e.changes()).isEqualTo(b.changes());
    assertThat(e.changes().records().keySet()).containsExactly("meshledger/b", "meshledger/\ue000", "meshledger/\ud83d\ude00");
    for (int i = 0; i < 20; i++) {
      ChainBlock r = chain.next(4);
      assertThat(LogRecordCodec.decode(LogRecordCodec.encode(r.block(), r.changes())).changes()).isEqualTo(r.changes());
    }
  }

  @Test
  void aVersionOneRecordReadsAsABlockThatSetNoRecord() {
    ChainBlock b = chain.next(5);
    StateChanges none = b.changes().withRecords(Map.of());
    byte[] v2 = LogRecordCodec.encode(b.block(), none);
    byte[] v1 = Arrays.copyOf(v2, v2.length - 4); // version 1 ended after the digest: no record count
    v1[0] = 1;
    assertThat(LogRecordCodec.decode(v1).changes()).isEqualTo(none);
    assertThat(LogRecordCodec.header(v1)).isEqualTo(b.block().header());
    v1[0] = 3;
    assertThatThrownBy(() -> LogRecordCodec.decode(v1)).isInstanceOf(DecodeException.class).hasMessageContaining("unsupported version 3");
  }

  @Test
  void hostileRecordsAreRefusedBeforeAllocating() {
    ChainBlock b = chain.next(List.of(), Map.of());
    byte[] body = LogRecordCodec.encode(b.block(), b.changes()); // ends with a record count of 0
    byte[] prefix = Arrays.copyOf(body, body.length - 4);

    assertThatThrownBy(() -> LogRecordCodec.decode(with(prefix, u32(Integer.MAX_VALUE)))).isInstanceOf(DecodeException.class)
        .hasMessageContaining("records");
    assertThatThrownBy(() -> LogRecordCodec.decode(with(prefix, u32(2), entry("b", "1"), entry("a", "1"))))
        .isInstanceOf(DecodeException.class).hasMessageContaining("ascend");
    assertThatThrownBy(() -> LogRecordCodec.decode(with(prefix, u32(2), entry("a", "1"), entry("a", "2"))))
        .isInstanceOf(DecodeException.class).hasMessageContaining("ascend");
    assertThatThrownBy(() -> LogRecordCodec.decode(with(prefix, u32(1), u32(300), new byte[300], u32(0))))
        .isInstanceOf(DecodeException.class).hasMessageContaining("record key");
    assertThatThrownBy(() -> LogRecordCodec.decode(with(prefix, u32(1), u32(1), bytes("k"), u32(StateChanges.MAX_RECORD_VALUE_BYTES + 1))))
        .isInstanceOf(DecodeException.class).hasMessageContaining("value of record 'k'");
    assertThatThrownBy(() -> LogRecordCodec.decode(with(prefix, u32(1), entry("", "1")))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LogRecordCodec.decode(with(prefix, u32(1), entry("a", "1"), new byte[] {0})))
        .isInstanceOf(DecodeException.class).hasMessageContaining("trailing");
    assertThat(LogRecordCodec.decode(with(prefix, u32(2), entry("a", "1"), entry("b", ""))).changes().records()).containsOnlyKeys("a", "b");
  }

  private static byte[] with(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] entry(String key, String value) {
    return with(u32(bytes(key).length), bytes(key), u32(bytes(value).length), bytes(value));
  }

  private static byte[] u32(int v) {
    return ByteBuffer.allocate(4).putInt(v).array();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
