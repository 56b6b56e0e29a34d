package org.meshledger.impl.spreading;

import java.time.Duration;
import java.util.Map;

/** Makes {@link Flooding} instances, under the name {@code "flooding"}. */
public final class FloodingProvider extends ProtocolProvider {
  public FloodingProvider() {
    super("flooding", Map.of("delay", "0ms", "relay", "push"));
  }

  @Override
  Flooding read(Params p) {
    return new Flooding(p.duration("delay", Duration.ZERO, Duration.ofHours(1)), p.relayMode("relay"));
  }
}
