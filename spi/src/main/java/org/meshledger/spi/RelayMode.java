package org.meshledger.spi;

import java.util.Locale;

/** How a public message goes to a peer. */
public enum RelayMode {
  /**
   * The full message, at once: one hop costs one link delay, but a node receives a copy from every peer that
   * relays it (about as many as it has peers).
   */
  PUSH,
  /**
   * Its id first; the peer requests the message if it lacks it: each hop costs up to one extra round trip,
   * and a node receives about one copy of the message plus one small announcement per peer.
   */
  ANNOUNCE;

  /** Parses {@code push} or {@code announce}, ignoring case. */
  public static RelayMode parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("relay mode '" + text + "' is neither 'push' nor 'announce'", e);
    }
  }

  /** The name as written in parameters: {@code push} or {@code announce}. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }
}
