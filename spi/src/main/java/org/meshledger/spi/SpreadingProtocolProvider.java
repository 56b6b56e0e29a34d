package org.meshledger.spi;

import java.util.Map;

/**
 * Makes the per-node instances of one spreading protocol. Registered with {@link java.util.ServiceLoader}
 * ({@code provides} in a module descriptor, or {@code META-INF/services} on the class path) and chosen by
 * {@link #name()}; see {@link SpreadingProtocols}.
 */
public interface SpreadingProtocolProvider {

  /** The short name a host uses to choose this protocol, such as {@code "diffusion"}; unique among providers. */
  String name();

  /** Every parameter this protocol accepts, with its default value as text. */
  Map<String, String> defaults();

  /**
   * Validates {@code parameters} (a subset of {@link #defaults()}'s names; absent ones take their default) and
   * returns them complete and normalised. Called once per configuration, before any instance is made.
   *
   * @throws org.meshledger.ConfigurationException naming the parameter, the bad value and the valid range, or
   *     the unknown name and the known ones
   */
  Map<String, String> validate(Map<String, String> parameters);

  /**
   * A new instance for one node, with parameters that {@link #validate} accepted.
   *
   * @throws org.meshledger.ConfigurationException if the parameters are invalid
   */
  SpreadingProtocol create(Map<String, String> parameters);
}
