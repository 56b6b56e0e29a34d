package org.meshledger.impl.net;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;

/**
 * Where a node listens: a host name or IP literal and a TCP port. Addresses arrive from the network (in
 * handshakes and peer exchange), so the host is checked against a strict character set and length before
 * anything uses it; nothing here resolves names.
 *
 * @param host a DNS name or an IPv4/IPv6 literal, 1 to 253 characters of {@code [A-Za-z0-9.:-]}
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
      throw new IllegalArgumentException("host '" + host + "' must be 1 to 253 characters of A-Z a-z 0-9 . : -");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1 to 65535, got " + port + " (in '" + host + "')");
    }
  }

  /** Parses {@code host:port} or {@code [ipv6]:port}. */
  public static PeerAddress parse(String text) {
    Objects.requireNonNull(text, "address");
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("peer address '" + text + "' must be host:port, e.g. 10.0.0.2:7001");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("peer address '" + text + "': port is not a number", e);
    }
    return new PeerAddress(text.substring(0, colon), port);
  }

  /** True for 0.0.0.0 and ::, which say "every interface" rather than where to connect. */
  public boolean isWildcard() {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
  }

  public void writeTo(CanonicalWriter w) {
    w.string(host).i32(port);
  }

  /** Reads an address; any bad host or port is a {@link DecodeException}. */
  public static PeerAddress readFrom(CanonicalReader r, String what) {
    String host = r.string(MAX_HOST_BYTES, what + " host");
    int port = r.i32(what + " port");
    try {
      return new PeerAddress(host, port);
    } catch (IllegalArgumentException e) {
      throw new DecodeException(what + ": " + e.getMessage());
    }
  }

  /** Bytes this address takes in the encoding, at least. */
  static int minEncodedBytes() {
    return 4 + 1 + 4;
  }

  int encodedBytes() {
    return 4 + host.getBytes(StandardCharsets.UTF_8).length + 4;
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
