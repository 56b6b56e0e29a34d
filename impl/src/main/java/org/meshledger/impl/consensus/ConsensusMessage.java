package org.meshledger.impl.consensus;

import org.meshledger.chain.Block;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;

/**
 * What validators and followers exchange. On the wire a message is {@code u8 kind} then the body of its
 * kind, each body starting with its own version byte. Decoding treats its input as hostile: bounded, and
 * {@link DecodeException} is the only exception it throws.
 */
public sealed interface ConsensusMessage permits Proposal, Vote, ConsensusMessage.Decision, ConsensusMessage.SyncRequest,
    ConsensusMessage.Status {
  int KIND_PROPOSAL = 1;
  int KIND_VOTE = 2;
  int KIND_DECISION = 3;
  int KIND_SYNC_REQUEST = 4;
  int KIND_STATUS = 5;
  /** The most blocks one {@link SyncRequest} may ask for. */
  int MAX_SYNC_BLOCKS = 64;

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
   * Asks a peer for the committed blocks {@code height .. height + count - 1}; it answers with a
   * {@link Decision} for each of them it holds, in order. Wire: {@code u8 version=2, i64 height, u8 count}.
   */
  record SyncRequest(long height, int count) implements ConsensusMessage {
    public static final int VERSION = 2;

    public SyncRequest {
      if (height < 1) {
        throw new IllegalArgumentException("sync request height must be at least 1, got " + height);
      }
      if (count < 1 || count > MAX_SYNC_BLOCKS) {
        throw new IllegalArgumentException("a sync request asks for 1 to " + MAX_SYNC_BLOCKS + " blocks, got " + count);
      }
    }

    @Override
    public void writeTo(CanonicalWriter w) {
      w.u8(VERSION).i64(height).u8(count);
    }
  }

  /**
   * The height of the last block the sender holds with its certificate, sent to each peer periodically and on
   * connecting: block sync learns from it who can serve what. A claim, not a proof: a peer that cannot serve
   * the blocks it claims is scored. Wire: {@code u8 version=1, i64 height}.
   */
  record Status(long height) implements ConsensusMessage {
    public static final int VERSION = 1;

    public Status {
      if (height < 0) {
        throw new IllegalArgumentException("status height must not be negative, got " + height);
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
    } else if (m instanceof Status) {
      return KIND_STATUS;
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
        int count = r.u8("sync request count");
        if (h < 1 || count < 1 || count > MAX_SYNC_BLOCKS) {
          throw new DecodeException("sync request for " + count + " blocks from height " + h + ": needs a height from 1 and 1 to "
              + MAX_SYNC_BLOCKS + " blocks");
        }
        yield new SyncRequest(h, count);
      }
      case KIND_STATUS -> {
        r.version(Status.VERSION, "status");
        long h = r.i64("status height");
        if (h < 0) {
          throw new DecodeException("status height must not be negative, got " + h);
        }
        yield new Status(h);
      }
      default -> throw new DecodeException("consensus message: unknown kind " + kind);
    };
    r.end("consensus message");
    return m;
  }
}
