package org.meshledger.impl.spreading;

import java.time.Duration;
import java.util.Map;

/** Makes {@link DandelionPlusPlus} instances, under the name {@code "dandelion++"}. */
public final class DandelionPlusPlusProvider extends ProtocolProvider {
  public DandelionPlusPlusProvider() {
    super("dandelion++", Map.of(
        "fluffProbability", "0.1",
        "destinations", "2",
        "epochMean", "10m",
        "embargoMin", "10s",
        "embargoMean", "5s",
        "meanDelay", "200ms",
        "relay", "announce"));
  }

  @Override
  DandelionPlusPlus read(Params p) {
    double q = p.fraction("fluffProbability", 0, 1);
    int destinations = p.integer("destinations", 1, 8);
    Duration epoch = p.positiveDuration("epochMean", Duration.ofDays(1));
    Duration embargoMin = p.duration("embargoMin", Duration.ZERO, Duration.ofHours(1));
    Duration embargoMean = p.duration("embargoMean", Duration.ZERO, Duration.ofHours(1));
    if (embargoMin.plus(embargoMean).isZero()) {
      throw new org.meshledger.ConfigurationException("dandelion++: embargoMin and embargoMean are both 0; a stem node would fluff at once."
          + " Give either a positive value (defaults: 10s and 5s)");
    }
    Duration meanDelay = p.positiveDuration("meanDelay", Duration.ofHours(1));
    Diffusion fluff = new Diffusion(meanDelay, p.relayMode("relay"), false, meanDelay);
    return new DandelionPlusPlus(q, destinations, epoch, embargoMin, embargoMean, fluff);
  }
}
