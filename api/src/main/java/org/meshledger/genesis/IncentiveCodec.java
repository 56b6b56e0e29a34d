package org.meshledger.genesis;

import java.util.Map;
import org.meshledger.IncentivePolicy;
import org.meshledger.codec.CanonicalWriter;

/** The canonical bytes of an {@link IncentivePolicy} inside a genesis (layout in {@code docs/protocol.md}); enums by name, never by ordinal. */
final class IncentiveCodec {
  private IncentiveCodec() {}

  static void write(IncentivePolicy p, CanonicalWriter w) {
    w.string(p.rule());
    w.bool(p.treasury().isPresent());
    p.treasury().ifPresent(t -> t.writeTo(w));
    w.string(p.producers().name());
    w.count(p.customPools().size());
    p.customPools().forEach((name, account) -> { // sorted by name
      w.string(name);
      account.writeTo(w);
    });
    w.count(p.eras().size());
    for (IncentivePolicy.Era e : p.eras()) {
      w.i64(e.fromHeight()).i64(e.subsidy().initial().units()).i64(e.subsidy().halvingInterval()).i64(e.outOf()).string(e.fees().name());
      w.count(e.shares().size());
      for (Map.Entry<String, Long> s : e.shares().entrySet()) { // sorted by pool name
        w.string(s.getKey()).i64(s.getValue());
      }
    }
    IncentivePolicy.ServiceRules s = p.service();
    w.i64(s.epochLength()).i64(s.challengeInterval()).i32(s.secureThresholdPercent()).i32(s.superThresholdPercent())
        .i64(s.secureBond().units()).i64(s.superBond().units()).i64(s.unbondingDelay()).string(s.share().name()).i32(s.maxPenalty());
  }
}
