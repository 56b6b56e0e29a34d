package org.meshledger.impl.spreading;

import java.time.Duration;
import java.util.Map;
import org.meshledger.spi.SpreadingProtocol;
import org.meshledger.spi.SpreadingProtocolProvider;

/** Makes {@link Flooding} instances, under the name {@code "flooding"}. */
public final class FloodingProvider implements SpreadingProtocolProvider {
  private static final Map<String, String> DEFAULTS = Map.of("delay", "0ms", "relay", "push");

  @Override
  public String name() {
    return "flooding";
  }

  @Override
  public Map<String, String> defaults() {
    return DEFAULTS;
  }

  @Override
  public Map<String, String> validate(Map<String, String> parameters) {
    Params p = Params.of(name(), DEFAULTS, parameters);
    p.duration("delay", Duration.ZERO, Duration.ofHours(1));
    p.relayMode("relay");
    return p.normalised();
  }

  @Override
  public SpreadingProtocol create(Map<String, String> parameters) {
    Params p = Params.of(name(), DEFAULTS, parameters);
    return new Flooding(p.duration("delay", Duration.ZERO, Duration.ofHours(1)), p.relayMode("relay"));
  }
}
