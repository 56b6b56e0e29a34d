package org.meshledger.impl.spreading;

import java.time.Duration;
import java.util.Map;
import org.meshledger.spi.SpreadingProtocol;
import org.meshledger.spi.SpreadingProtocolProvider;

/** Makes {@link Diffusion} instances, under the name {@code "diffusion"}. */
public final class DiffusionProvider implements SpreadingProtocolProvider {
  private static final Map<String, String> DEFAULTS = Map.of("meanDelay", "2s", "relay", "announce", "trickle", "false", "inboundMeanDelay", "5s");

  @Override
  public String name() {
    return "diffusion";
  }

  @Override
  public Map<String, String> defaults() {
    return DEFAULTS;
  }

  @Override
  public Map<String, String> validate(Map<String, String> parameters) {
    Params p = Params.of(name(), DEFAULTS, parameters);
    read(p);
    return p.normalised();
  }

  @Override
  public SpreadingProtocol create(Map<String, String> parameters) {
    return read(Params.of(name(), DEFAULTS, parameters));
  }

  private static Diffusion read(Params p) {
    return new Diffusion(p.positiveDuration("meanDelay", Duration.ofHours(1)), p.relayMode("relay"), p.bool("trickle"),
        p.positiveDuration("inboundMeanDelay", Duration.ofHours(1)));
  }
}
