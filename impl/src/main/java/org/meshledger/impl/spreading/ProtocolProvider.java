package org.meshledger.impl.spreading;

import java.util.Map;
import java.util.Objects;
import org.meshledger.spi.SpreadingProtocol;
import org.meshledger.spi.SpreadingProtocolProvider;

/**
 * A provider whose protocol is made from its parameters by one {@link #read} function, so that validating
 * and creating cannot disagree: validation is reading and discarding the instance.
 */
abstract class ProtocolProvider implements SpreadingProtocolProvider {
  private final String name;
  private final Map<String, String> defaults;

  ProtocolProvider(String name, Map<String, String> defaults) {
    this.name = Objects.requireNonNull(name, "name");
    this.defaults = Map.copyOf(defaults);
  }

  /** Reads every parameter (failing with a message naming a bad one) and makes an instance. */
  abstract SpreadingProtocol read(Params p);

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Map<String, String> defaults() {
    return defaults;
  }

  @Override
  public final Map<String, String> validate(Map<String, String> parameters) {
    Params p = Params.of(name, defaults, parameters);
    read(p);
    return p.normalised();
  }

  @Override
  public final SpreadingProtocol create(Map<String, String> parameters) {
    return read(Params.of(name, defaults, parameters));
  }
}
