package org.meshledger;

import java.util.Objects;

/**
 * Where a node listens: a host name or IP address and a TCP port, written {@code host:port} (IPv6 in
 * brackets: {@code [::1]:7001}).
 *
 * @param host a host name or an IP address, without brackets
 * @param port 1 to 65535
 */
public record PeerAddress(String host, int port) {
  /** The longest host name accepted (DNS's limit). */
  public static final int MAX_HOST_LENGTH = 253;

  public PeerAddress {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty() || host.length() > MAX_HOST_LENGTH) {
      throw new IllegalArgumentException("peer host must be 1 to " + MAX_HOST_LENGTH + " characters, got '" + host + "'");
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (!(Character.isLetterOrDigit(c) && c < 128) && c != '.' && c != '-' && c != ':' && c != '%' && c != '_') {
        throw new IllegalArgumentException("peer host '" + host + "' has a character that no host name or IP address has: '" + c + "'");
      }
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
        throw new IllegalArgumentException("peer address '" + text + "' is not host:port (write IPv6 as [::1]:7001)");
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

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
