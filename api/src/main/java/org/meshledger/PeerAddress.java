package org.meshledger;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;

/**
 * Where a node listens: a host name or IP literal and a TCP port, written {@code host:port} (IPv6 in
 * brackets: {@code [::1]:7001}). Addresses also arrive from the network (in handshakes and peer exchange),
 * so the host is checked against a strict character set and length before anything uses it; nothing here
 * resolves names.
 *
 * @param host a DNS name or an IPv4/IPv6 literal without brackets, 1 to 253 characters of {@code [A-Za-z0-9.:-]}
 * @param port 1 to 65535
 */
public record PeerAddress(String host, int port) {
  /** The longest host accepted (the longest DNS name). */
  public static final int MAX_HOST_BYTES = 253;
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:-]{1,253}");

  public PeerAddress {
    Objects.requireNonNull(host, "host");
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (!HOST.matcher(host).matches()) {
      throw new IllegalArgumentException("peer host '" + host + "' must be 1 to 253 characters of A-Z a-z 0-9 . : -");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("peer port must be 1 to 65535, got " + port + " (in " + host + ")");
    }
  }

  /**
   * Parses {@code host:port} or {@code [ipv6]:port}.
   *
   * @throws IllegalArgumentException naming the text and what is wrong with it
   */
  public static PeerAddress parse(String text) {
    Objects.requireNonNull(text, "address");
    String t = text.strip();
    String host;
    String port;
    if (t.startsWith("[")) {
      int close = t.indexOf("]:");
      if (close < 0) {
        throw new IllegalArgumentException("peer address '" + text + "' is not [ipv6]:port");
      }
      host = t.substring(1, close);
      port = t.substring(close + 2);
    } else {
      int colon = t.lastIndexOf(':');
      if (colon <= 0 || t.indexOf(':') != colon) {
        throw new IllegalArgumentException("peer address '" + text + "' is not host:port, e.g. 10.0.0.2:7001 (write IPv6 as [::1]:7001)");
      }
      host = t.substring(0, colon);
      port = t.substring(colon + 1);
    }
    try {
      return new PeerAddress(host, Integer.parseInt(port));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("peer address '" + text + "' has no numeric port", e);
    }
  }

  /** True for 0.0.0.0 and ::, which say "every interface" rather than where to connect. */
  public boolean isWildcard() {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
  }

  /** Writes the host (length-prefixed UTF-8) and the port. */
  public void writeTo(CanonicalWriter w) {
    w.string(host).i32(port);
  }

  /** Reads an address; any bad host or port is a {@link DecodeException} naming {@code what}. */
  public static PeerAddress readFrom(CanonicalReader r, String what) {
    String host = r.string(MAX_HOST_BYTES, what + " host");
    int port = r.i32(what + " port");
    try {
      return new PeerAddress(host, port);
    } catch (IllegalArgumentException e) {
      throw new DecodeException(what + ": " + e.getMessage());
    }
  }

  /** The fewest bytes an encoded address takes. */
  public static int minEncodedSize() {
    return 4 + 1 + 4;
  }

  /** The bytes this address takes encoded. */
  public int encodedSize() {
    return 4 + host.getBytes(StandardCharsets.UTF_8).length + 4;
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
