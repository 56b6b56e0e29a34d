package org.meshledger.impl.consensus;

import org.meshledger.Block;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;

/**
 * What validators and followers exchange. On the wire a message is {@code u8 kind} then the body of its
 * kind, each body starting with its own version byte. Decoding treats its input as hostile: bounded, and
 * {@link DecodeException} is the only exception it throws.
 */
public sealed interface ConsensusMessage permits Proposal, Vote, ConsensusMessage.Decision, ConsensusMessage.SyncRequest {
  int KIND_PROPOSAL = 1;
  int KIND_VOTE = 2;
  int KIND_DECISION = 3;
  int KIND_SYNC_REQUEST = 4;

  /** The height this message is about. */
  long height();

  /** Writes the body (without the kind byte). */
  void writeTo(CanonicalWriter w);

  /**
   * A committed block with its certificate: the answer to a {@link SyncRequest}, so a node that fell behind
   * takes the decided block instead of replaying rounds. Wire: {@code u8 version=1, block}.
   */
  record Decision(Block block) implements ConsensusMessage {
    public static final int VERSION = 1;

    public Decision {
      java.util.Objects.requireNonNull(block, "block");
    }

    @Override
    public long height() {
      return block.height();
    }

    @Override
    public void writeTo(CanonicalWriter w) {
      w.u8(VERSION);
      block.writeTo(w);
    }
  }

  /**
   * Asks a peer that is ahead for the committed blocks from {@code height} on. Wire: {@code u8 version=1,
   * i64 height}.
   */
  record SyncRequest(long height) implements ConsensusMessage {
    public static final int VERSION = 1;

    public SyncRequest {
      if (height < 1) {
        throw new IllegalArgumentException("sync request height must be at least 1, got " + height);
      }
    }

    @Override
    public void writeTo(CanonicalWriter w) {
      w.u8(VERSION).i64(height);
    }
  }

  static int kind(ConsensusMessage m) {
    if (m instanceof Proposal) {
      return KIND_PROPOSAL;
    } else if (m instanceof Vote) {
      return KIND_VOTE;
    } else if (m instanceof Decision) {
      return KIND_DECISION;
    }
    return KIND_SYNC_REQUEST;
  }

  static byte[] encode(ConsensusMessage m) {
    CanonicalWriter w = new CanonicalWriter(256);
    w.u8(kind(m));
    m.writeTo(w);
    return w.toByteArray();
  }

  static ConsensusMessage decode(byte[] bytes) {
    CanonicalReader r = new CanonicalReader(bytes);
    int kind = r.u8("consensus message kind");
    ConsensusMessage m = switch (kind) {
      case KIND_PROPOSAL -> Proposal.readFrom(r);
      case KIND_VOTE -> Vote.readFrom(r);
      case KIND_DECISION -> {
        r.version(Decision.VERSION, "decision");
        yield new Decision(Block.readFrom(r));
      }
      case KIND_SYNC_REQUEST -> {
        r.version(SyncRequest.VERSION, "sync request");
        long h = r.i64("sync request height");
        if (h < 1) {
          throw new DecodeException("sync request height must be at least 1, got " + h);
        }
        yield new SyncRequest(h);
      }
      default -> throw new DecodeException("consensus message: unknown kind " + kind);
    };
    r.end("consensus message");
    return m;
  }
}
