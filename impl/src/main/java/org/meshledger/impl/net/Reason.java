package org.meshledger.impl.net;

/**
 * Why a connection ends, as a one-byte code on the wire (in a {@link Frames#DISCONNECT} frame) and in the
 * logs of both sides. Codes are stable: new ones are appended, none is reused. {@link #penalty()} is the
 * misbehaviour score the side that detects it adds to the peer; zero means the peer did nothing wrong.
 */
public enum Reason {
  /** Code 0 is never sent; a DISCONNECT frame carrying it, or any unknown code, reads as this. */
  UNKNOWN(0, 0),
  /** The peer speaks another protocol version. */
  PROTOCOL_VERSION(1, 0),
  /** The peer belongs to another chain id. */
  WRONG_CHAIN(2, 10),
  /** Same chain id, another genesis hash. */
  WRONG_GENESIS(3, 10),
  /** The key claimed in the handshake is not the key of the TLS certificate. */
  KEY_MISMATCH(4, 50),
  /** Permissioned network: the peer's key is not a member of the genesis. */
  NOT_MEMBER(5, 10),
  /** The node connected to itself (its own address learned from a peer). */
  SELF(6, 0),
  /** A connection between the same two nodes exists already; the tie-break keeps exactly one. */
  DUPLICATE(7, 0),
  /** The peer's handshake nonce was seen before. */
  REPLAYED_NONCE(8, 50),
  /** The handshake signature over both nonces does not verify. */
  BAD_SIGNATURE(9, 50),
  /** The node or its address is banned for a while. */
  BANNED(10, 0),
  /** The node has as many inbound peers as it accepts; the DISCONNECT frame lists other peers to try. */
  TOO_MANY_PEERS(11, 0),
  /** A malformed frame, an unknown type, a message out of order or a body that does not decode. */
  PROTOCOL_VIOLATION(12, 25),
  /** A length prefix over the maximum frame size. */
  FRAME_TOO_LARGE(13, 50),
  /** The handshake did not finish in time. */
  HANDSHAKE_TIMEOUT(14, 5),
  /** Nothing arrived for the idle timeout. */
  IDLE_TIMEOUT(15, 0),
  /** A frame was started but not finished in time: a slow sender (slowloris). */
  SLOW_SENDER(16, 25),
  /** The peer does not read what it is sent, so output would pile up. */
  SLOW_READER(17, 0),
  /** The node is stopping. */
  SHUTDOWN(18, 0),
  /** The application closed the connection (see the message). */
  APPLICATION(19, 0),
  /** The misbehaviour score reached the ban threshold. */
  MISBEHAVIOUR(20, 0),
  /** TLS failed: garbage before TLS, a certificate that is not a self-signed Ed25519 one, or a TLS alert. */
  TLS_FAILED(21, 20),
  /** The socket closed or failed without a DISCONNECT frame. */
  CONNECTION_LOST(22, 0);

  private static final Reason[] BY_CODE = new Reason[256];

  static {
    for (Reason r : values()) {
      BY_CODE[r.code] = r;
    }
  }

  private final int code;
  private final int penalty;

  Reason(int code, int penalty) {
    this.code = code;
    this.penalty = penalty;
  }

  /** The byte sent on the wire. */
  public int code() {
    return code;
  }

  /** The misbehaviour points the detecting side adds for this reason. */
  public int penalty() {
    return penalty;
  }

  /** The reason of a wire code; unknown codes read as {@link #UNKNOWN}. */
  public static Reason of(int code) {
    Reason r = code >= 0 && code < 256 ? BY_CODE[code] : null;
    return r == null ? UNKNOWN : r;
  }
}
