package org.meshledger.impl.node;

import org.meshledger.Gossip;
import org.meshledger.chain.Hash;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;
import org.meshledger.spi.SpreadFrame;

/**
 * Spreading frames on the wire, inside the network's frames (which carry the length and the type byte):
 * announcements and requests carry a 32-byte message id; payloads and stems carry the topic and the body,
 * each with a 4-byte length. The sizes match {@link SpreadFrame#encodedSize()}, so statistics count what
 * the sockets carry.
 */
public final class SpreadFrameCodec {
  /** Network message types of the four kinds; the application range of the network layer. */
  public static final int ANNOUNCE = 0x40;
  public static final int REQUEST = 0x41;
  public static final int PAYLOAD = 0x42;
  public static final int STEM = 0x43;

  private SpreadFrameCodec() {}

  /** True if {@code type} is a spreading frame's type. */
  public static boolean handles(int type) {
    return type >= ANNOUNCE && type <= STEM;
  }

  public static int typeOf(SpreadFrame frame) {
    return switch (frame.kind()) {
      case ANNOUNCE -> ANNOUNCE;
      case REQUEST -> REQUEST;
      case PAYLOAD -> PAYLOAD;
      case STEM -> STEM;
    };
  }

  /** The frame's body, without the network's length and type. */
  public static byte[] encode(SpreadFrame frame) {
    if (frame instanceof SpreadFrame.Announce || frame instanceof SpreadFrame.Request) {
      return frame.id().bytes();
    }
    Gossip g = frame instanceof SpreadFrame.Payload p ? p.gossip() : ((SpreadFrame.Stem) frame).gossip();
    byte[] body = g.body();
    return new CanonicalWriter(body.length + g.topicSize() + 8).string(g.topic()).bytes(body).toByteArray();
  }

  /**
   * Decodes the body of a frame of {@code type}.
   *
   * @throws DecodeException if the bytes are not a frame of that type (bad lengths, bounds, trailing bytes)
   */
  public static SpreadFrame decode(int type, byte[] body) {
    CanonicalReader r = new CanonicalReader(body);
    SpreadFrame frame = switch (type) {
      case ANNOUNCE -> new SpreadFrame.Announce(new Hash(r.fixed(Hash.BYTES, "announced id")));
      case REQUEST -> new SpreadFrame.Request(new Hash(r.fixed(Hash.BYTES, "requested id")));
      case PAYLOAD -> new SpreadFrame.Payload(gossip(r));
      case STEM -> new SpreadFrame.Stem(gossip(r));
      default -> throw new DecodeException("message type 0x" + Integer.toHexString(type) + " is not a spreading frame");
    };
    r.end("spreading frame");
    return frame;
  }

  private static Gossip gossip(CanonicalReader r) {
    String topic = r.string(Gossip.MAX_TOPIC_BYTES, "gossip topic");
    byte[] body = r.bytes(Gossip.MAX_BODY_BYTES, "gossip body");
    try {
      return Gossip.of(topic, body);
    } catch (IllegalArgumentException e) {
      throw new DecodeException("invalid gossip: " + e.getMessage());
    }
  }
}
