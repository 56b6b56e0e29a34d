package org.meshledger.spi;

import java.util.Objects;
import org.meshledger.Gossip;
import org.meshledger.PropagationStats.Kind;
import org.meshledger.chain.Hash;

/**
 * What spreading nodes send each other. Announcements and requests carry a message id only; payloads carry
 * the message. {@link #encodedSize()} is the size on the wire, which statistics and the simulator's bandwidth
 * model count: a 4-byte length prefix, a 1-byte type, then the id (32 bytes) or the message (its topic and
 * body, each with a 4-byte length).
 */
public sealed interface SpreadFrame permits SpreadFrame.Announce, SpreadFrame.Request, SpreadFrame.Payload, SpreadFrame.Stem {
  /** Length prefix and type byte. */
  int HEADER_BYTES = 5;

  /** The kind, for statistics. */
  Kind kind();

  /** The id of the message the frame is about. */
  Hash id();

  /** The frame's size on the wire, in bytes. */
  int encodedSize();

  private static int messageSize(Gossip g) {
    return HEADER_BYTES + 4 + g.topicSize() + 4 + g.size();
  }

  /** "I have this message; request it if you lack it." */
  record Announce(Hash id) implements SpreadFrame {
    public Announce {
      Objects.requireNonNull(id, "id");
    }

    @Override
    public Kind kind() {
      return Kind.ANNOUNCE;
    }

    @Override
    public int encodedSize() {
      return HEADER_BYTES + Hash.BYTES;
    }
  }

  /** "Send me this message": the answer to an announcement. */
  record Request(Hash id) implements SpreadFrame {
    public Request {
      Objects.requireNonNull(id, "id");
    }

    @Override
    public Kind kind() {
      return Kind.REQUEST;
    }

    @Override
    public int encodedSize() {
      return HEADER_BYTES + Hash.BYTES;
    }
  }

  /** A public message: the receiver may deliver it and spread it on. */
  record Payload(Gossip gossip) implements SpreadFrame {
    public Payload {
      Objects.requireNonNull(gossip, "gossip");
    }

    @Override
    public Kind kind() {
      return Kind.PAYLOAD;
    }

    @Override
    public Hash id() {
      return gossip.id();
    }

    @Override
    public int encodedSize() {
      return messageSize(gossip);
    }
  }

  /** A private message in Dandelion++'s stem phase: the receiver holds it and passes it on to one peer. */
  record Stem(Gossip gossip) implements SpreadFrame {
    public Stem {
      Objects.requireNonNull(gossip, "gossip");
    }

    @Override
    public Kind kind() {
      return Kind.STEM;
    }

    @Override
    public Hash id() {
      return gossip.id();
    }

    @Override
    public int encodedSize() {
      return messageSize(gossip);
    }
  }
}
