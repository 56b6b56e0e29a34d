package org.meshledger;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The choice of a spreading protocol: its provider's name and its parameters as text, as a host writes them
 * in configuration. The provider validates the parameters when a node (or a simulation) is built and fails
 * with a message naming the bad one and its valid range; unknown parameter names are errors too.
 *
 * <p>The bundled protocols are {@code "flooding"}, {@code "diffusion"} and {@code "dandelion++"}; see their
 * factories here for what they trade. Durations are written as {@code 250ms}, {@code 2s}, {@code 10m} or ISO-8601
 * ({@code PT0.25S}).
 *
 * @param protocol the provider's name
 * @param parameters parameter names to values; sorted, copied
 */
public record Spreading(String protocol, Map<String, String> parameters) {
  public Spreading {
    Objects.requireNonNull(protocol, "protocol");
    if (protocol.isBlank()) {
      throw new IllegalArgumentException("protocol name is blank; use flooding, diffusion or dandelion++");
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    parameters.forEach((k, v) -> sorted.put(Objects.requireNonNull(k, "parameter name"), Objects.requireNonNull(v, "value of " + k)));
    parameters = Collections.unmodifiableMap(sorted);
  }

  /** {@code protocol} with its default parameters. */
  public static Spreading of(String protocol) {
    return new Spreading(protocol, Map.of());
  }

  /**
   * Flooding with no delay: fastest and fairest, but the first node to hear a message is usually a neighbour of
   * its origin, so an eavesdropper with a few connections names the origin about half the time.
   */
  public static Spreading flooding() {
    return of("flooding");
  }

  /** Diffusion with a mean relay delay: slower than flooding, and it hides the origin better. */
  public static Spreading diffusion(Duration meanDelay) {
    return of("diffusion").with("meanDelay", meanDelay.toString());
  }

  /** Dandelion++ with its defaults: a private stem of about ten hops, then diffusion; the best anonymity of the three. */
  public static Spreading dandelionPlusPlus() {
    return of("dandelion++");
  }

  /** A copy with {@code name} set to {@code value}. */
  public Spreading with(String name, String value) {
    TreeMap<String, String> p = new TreeMap<>(parameters);
    p.put(name, value);
    return new Spreading(protocol, p);
  }

  @Override
  public String toString() {
    return parameters.isEmpty() ? protocol : protocol + parameters;
  }
}
