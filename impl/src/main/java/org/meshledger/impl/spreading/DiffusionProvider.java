package org.meshledger.impl.spreading;

import java.time.Duration;
import java.util.Map;

/** Makes {@link Diffusion} instances, under the name {@code "diffusion"}. */
public final class DiffusionProvider extends ProtocolProvider {
  public DiffusionProvider() {
    super("diffusion", Map.of("meanDelay", "2s", "relay", "announce", "trickle", "false", "inboundMeanDelay", "5s"));
  }

  @Override
  Diffusion read(Params p) {
    return new Diffusion(p.positiveDuration("meanDelay", Duration.ofHours(1)), p.relayMode("relay"), p.bool("trickle"),
        p.positiveDuration("inboundMeanDelay", Duration.ofHours(1)));
  }
}
