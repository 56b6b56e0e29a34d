package org.meshledger.impl.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  private static final long SEED = Long.getLong("meshledger.seed", System.nanoTime());

  record Frame(int type, byte[] body) {}

  private static List<Frame> decodeInChunks(FrameDecoder d, Buffer stream, SplittableRandom rnd) throws Exception {
    List<Frame> out = new ArrayList<>();
    int pos = 0;
    while (pos < stream.length()) {
      int n = Math.min(stream.length() - pos, 1 + rnd.nextInt(300));
      d.feed(stream.getBuffer(pos, pos + n), (t, b) -> out.add(new Frame(t, b)));
      pos += n;
    }
    return out;
  }

  @Test
  void framesSurviveAnySplitOfTheStream() throws Exception {
    SplittableRandom rnd = new SplittableRandom(SEED);
    List<Frame> sent = new ArrayList<>();
    Buffer stream = Buffer.buffer();
    for (int i = 0; i < 500; i++) {
      byte[] body = new byte[rnd.nextInt(0, 700)];
      rnd.nextBytes(body);
      int type = 0x40 + rnd.nextInt(0x40);
      sent.add(new Frame(type, body));
      Frames.append(stream, type, body);
    }
    FrameDecoder d = new FrameDecoder(1024);
    List<Frame> got = decodeInChunks(d, stream, rnd);
    assertThat(got).as("seed %d", SEED).hasSize(sent.size());
    for (int i = 0; i < sent.size(); i++) {
      assertThat(got.get(i).type()).isEqualTo(sent.get(i).type());
      assertThat(got.get(i).body()).isEqualTo(sent.get(i).body());
    }
    assertThat(d.inFrame()).isFalse();
  }

  @Test
  void oversizedLengthFailsBeforeTheBodyArrives() {
    FrameDecoder d = new FrameDecoder(1024);
    Buffer header = Buffer.buffer().appendInt(1025).appendByte((byte) 0x40);
    assertThatThrownBy(() -> d.feed(header, (t, b) -> true))
        .isInstanceOfSatisfying(FrameDecoder.FrameException.class, e -> assertThat(e.reason).isEqualTo(Reason.FRAME_TOO_LARGE));
    assertThat(d.buffered()).isZero();
    assertThatThrownBy(() -> d.feed(Buffer.buffer("more"), (t, b) -> true)).isInstanceOf(FrameDecoder.FrameException.class);
  }

  @Test
  void negativeAndZeroLengthsAreViolations() {
    for (int len : new int[] {0, -1, Integer.MIN_VALUE}) {
      FrameDecoder d = new FrameDecoder(1024);
      assertThatThrownBy(() -> d.feed(Buffer.buffer().appendInt(len), (t, b) -> true))
          .isInstanceOf(FrameDecoder.FrameException.class);
    }
  }

  @Test
  void holdsAtMostOneFrameWhileBytesTrickleIn() throws Exception {
    FrameDecoder d = new FrameDecoder(1024);
    Buffer frame = Frames.encode(0x41, new byte[1000]);
    for (int i = 0; i < frame.length() - 1; i++) {
      d.feed(frame.getBuffer(i, i + 1), (t, b) -> true);
      assertThat(d.buffered()).isLessThanOrEqualTo(Frames.HEADER_BYTES + 1024);
    }
    assertThat(d.inFrame()).isTrue();
    List<Integer> types = new ArrayList<>();
    d.feed(frame.getBuffer(frame.length() - 1, frame.length()), (t, b) -> types.add(t));
    assertThat(types).containsExactly(0x41);
  }

  @Test
  void randomGarbageEndsInAFrameErrorOrFramesNeverAnythingElse() {
    SplittableRandom rnd = new SplittableRandom(SEED);
    for (int round = 0; round < 2000; round++) {
      byte[] junk = new byte[rnd.nextInt(1, 200)];
      rnd.nextBytes(junk);
      FrameDecoder d = new FrameDecoder(1 << 16);
      try {
        d.feed(Buffer.buffer(junk), (t, b) -> true);
      } catch (FrameDecoder.FrameException e) {
        assertThat(e.reason).isIn(Reason.FRAME_TOO_LARGE, Reason.PROTOCOL_VIOLATION);
      }
      assertThat(d.buffered()).as("seed %d", SEED).isLessThanOrEqualTo(junk.length);
    }
  }

  @Test
  void sinkCanStopDecoding() throws Exception {
    FrameDecoder d = new FrameDecoder(1024);
    Buffer two = Buffer.buffer();
    Frames.append(two, 0x40, new byte[] {1});
    Frames.append(two, 0x41, new byte[] {2});
    List<Integer> types = new ArrayList<>();
    d.feed(two, (t, b) -> types.add(t) && false);
    assertThat(types).containsExactly(0x40);
  }
}
