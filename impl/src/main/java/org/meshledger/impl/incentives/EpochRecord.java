package org.meshledger.impl.incentives;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.meshledger.IncentiveReport.ServiceOutcome;
import org.meshledger.IncentiveReport;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.genesis.Role;

/** The codec of a closed epoch's ledger record, {@code meshledger/incentives/epoch/<epoch>}. */
public final class EpochRecord {
  static final int VERSION = 1;
  private static final int MAX_ENTRIES = 1_000_000;

  private EpochRecord() {}

  /** The record key of {@code epoch}. */
  public static String key(long epoch) {
    return IncentiveState.EPOCH_PREFIX + epoch;
  }

  public static byte[] encode(IncentiveReport.EpochRewards e) {
    CanonicalWriter w = new CanonicalWriter(64 + 40 * e.rewards().size() + 80 * e.services().size());
    w.u8(VERSION).i64(e.epoch()).i64(e.lastHeight()).count(e.rewards().size());
    e.rewards().forEach((a, v) -> {
      a.writeTo(w);
      w.i64(v.units());
    });
    w.count(e.services().size());
    for (IncentiveReport.ServiceResult s : e.services()) {
      s.account().writeTo(w);
      w.u8(s.tier() == Role.SECURE_NODE ? 1 : 2).i64(s.answered()).i64(s.windows()).string(s.outcome().name()).i32(s.penalty())
          .i64(s.earned().units());
    }
    return w.toByteArray();
  }

  public static IncentiveReport.EpochRewards decode(byte[] bytes) {
    CanonicalReader r = new CanonicalReader(bytes);
    r.version(VERSION, "epoch record");
    long epoch = r.nonNegative("epoch");
    long last = r.nonNegative("last height");
    int n = r.count(MAX_ENTRIES, 40, "epoch rewards");
    TreeMap<AccountId, Amount> rewards = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      rewards.put(AccountId.readFrom(r, "rewarded account"), Amount.of(r.nonNegative("reward")));
    }
    int m = r.count(MAX_ENTRIES, 60, "service results");
    List<IncentiveReport.ServiceResult> services = new ArrayList<>(m);
    for (int i = 0; i < m; i++) {
      AccountId a = AccountId.readFrom(r, "service node");
      Role tier = r.u8("service tier") == 1 ? Role.SECURE_NODE : Role.SUPER_NODE;
      long answered = r.nonNegative("answered");
      long windows = r.nonNegative("windows");
      ServiceOutcome outcome = ServiceOutcome.valueOf(r.string(32, "outcome"));
      services.add(new IncentiveReport.ServiceResult(a, tier, answered, windows, outcome, r.i32("penalty"), Amount.of(r.nonNegative("earned"))));
    }
    r.end("epoch record");
    return new IncentiveReport.EpochRewards(epoch, last, rewards, services);
  }
}
