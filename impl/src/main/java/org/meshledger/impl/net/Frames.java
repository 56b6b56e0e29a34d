package org.meshledger.impl.net;

import io.vertx.core.buffer.Buffer;

/**
 * The frame format and the table of message types. A frame is a 4-byte big-endian length, then that many
 * bytes: a 1-byte type and the type's canonical body. The length counts the type byte, so the smallest frame
 * has length 1. Types below {@link #APP_MIN} belong to the network layer; {@code APP_MIN..APP_MAX} are
 * handed to the application untouched; {@code 0x80..0xFF} are invalid. See {@code docs/networking.md}.
 */
public final class Frames {
  /** Bytes of the length prefix. */
  public static final int HEADER_BYTES = 4;

  /** First message of each side: protocol version, chain, genesis, key, roles, address, height, nonce. */
  public static final int HELLO = 0x01;
  /** Second message of each side: its signature over both hellos (and so both nonces). */
  public static final int AUTH = 0x02;
  /** Last message: a {@link Reason} code, a text, and (for TOO_MANY_PEERS) other peers to try. */
  public static final int DISCONNECT = 0x03;
  /** Keepalive probe carrying an 8-byte token; answered by PONG with the same token. */
  public static final int PING = 0x04;
  public static final int PONG = 0x05;
  /** Asks for known peer addresses; answered by PEERS. */
  public static final int GET_PEERS = 0x06;
  /** A bounded list of (node id, address) pairs. */
  public static final int PEERS = 0x07;

  /** The first application type. */
  public static final int APP_MIN = 0x40;
  /** The last application type. */
  public static final int APP_MAX = 0x7F;

  private Frames() {}

  /** True for the types the network hands to the application. */
  public static boolean isApplication(int type) {
    return type >= APP_MIN && type <= APP_MAX;
  }

  /** True for the network layer's own types. */
  static boolean isInternal(int type) {
    return type >= HELLO && type <= PEERS;
  }

  /** Appends one frame to {@code out}. */
  static Buffer append(Buffer out, int type, byte[] body) {
    return out.appendInt(1 + body.length).appendByte((byte) type).appendBytes(body);
  }

  /** One frame in its own buffer. */
  static Buffer encode(int type, byte[] body) {
    return append(Buffer.buffer(HEADER_BYTES + 1 + body.length), type, body);
  }

  static String name(int type) {
    return switch (type) {
      case HELLO -> "HELLO";
      case AUTH -> "AUTH";
      case DISCONNECT -> "DISCONNECT";
      case PING -> "PING";
      case PONG -> "PONG";
      case GET_PEERS -> "GET_PEERS";
      case PEERS -> "PEERS";
      default -> isApplication(type) ? String.format("APP_0x%02X", type) : String.format("0x%02X", type);
    };
  }
}
