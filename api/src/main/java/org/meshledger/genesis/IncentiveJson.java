package org.meshledger.genesis;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.meshledger.IncentivePolicy.Era;
import org.meshledger.IncentivePolicy.ServiceRules;
import org.meshledger.IncentivePolicy.Subsidy;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;

/** The {@code incentives} object of a genesis file (see {@code docs/genesis.md}); every error names the field. */
final class IncentiveJson {
  private IncentiveJson() {}

  static IncentivePolicy read(GenesisJson.Fields f, JsonObject json) {
    if (!json.containsKey("incentives")) {
      return IncentivePolicy.none();
    }
    JsonObject inc = f.object(json.getValue("incentives"), "incentives");
    if (inc.containsKey("preset")) {
      f.only(inc, "incentives.", "preset", "treasury");
      String preset = f.string(inc, "preset", "incentives.preset");
      return switch (preset) {
        case "none" -> IncentivePolicy.none();
        case "fees-to-treasury" -> IncentivePolicy.feesTo(treasury(f, inc));
        case "horizen" -> IncentivePolicy.horizen(treasury(f, inc));
        default -> throw f.error("incentives.preset", "must be \"none\", \"fees-to-treasury\" or \"horizen\", got \"" + preset + "\"");
      };
    }
    f.only(inc, "incentives.", "rule", "treasury", "producers", "customPools", "eras", "service");
    IncentivePolicy.Builder b = IncentivePolicy.builder();
    if (inc.containsKey("rule")) {
      b.rule(f.string(inc, "rule", "incentives.rule"));
    }
    if (inc.containsKey("treasury")) {
      b.treasury(treasury(f, inc));
    }
    if (inc.containsKey("producers")) {
      b.producers(f.check("incentives.producers", () -> IncentivePolicy.ProducerRule.valueOf(upper(f.string(inc, "producers", "incentives.producers")))));
    }
    if (inc.containsKey("customPools")) {
      JsonObject pools = f.object(inc.getValue("customPools"), "incentives.customPools");
      for (String name : pools.fieldNames()) {
        String at = "incentives.customPools." + name;
        b.customPool(name, f.check(at, () -> AccountId.fromHex(f.string(pools, name, at))));
      }
    }
    JsonArray eras = f.array(inc, "eras", "incentives.eras");
    for (int i = 0; i < eras.size(); i++) {
      b.era(era(f, eras.getValue(i), "incentives.eras[" + i + "]"));
    }
    if (inc.containsKey("service")) {
      b.service(service(f, f.object(inc.getValue("service"), "incentives.service")));
    }
    return f.check("incentives", b::build);
  }

  private static AccountId treasury(GenesisJson.Fields f, JsonObject inc) {
    return f.check("incentives.treasury", () -> AccountId.fromHex(f.string(inc, "treasury", "incentives.treasury")));
  }

  private static String upper(String name) {
    return name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private static Era era(GenesisJson.Fields f, Object value, String at) {
    JsonObject o = f.object(value, at);
    f.only(o, at + ".", "fromHeight", "subsidy", "outOf", "shares", "fees");
    Subsidy subsidy = Subsidy.NONE;
    if (o.containsKey("subsidy")) {
      JsonObject s = f.object(o.getValue("subsidy"), at + ".subsidy");
      f.only(s, at + ".subsidy.", "initial", "halvingInterval");
      subsidy = f.check(at + ".subsidy", () -> new Subsidy(Amount.of(f.longValue(s, "initial", at + ".subsidy.initial", -1)),
          f.longValue(s, "halvingInterval", at + ".subsidy.halvingInterval", 0)));
    }
    JsonObject sharesJson = f.object(o.getValue("shares"), at + ".shares");
    Map<String, Long> shares = new TreeMap<>();
    for (String pool : sharesJson.fieldNames()) {
      shares.put(pool, f.longValue(sharesJson, pool, at + ".shares." + pool, -1));
    }
    IncentivePolicy.FeeRule fees = o.containsKey("fees")
        ? f.check(at + ".fees", () -> IncentivePolicy.FeeRule.valueOf(upper(f.string(o, "fees", at + ".fees"))))
        : IncentivePolicy.FeeRule.SHARED;
    Subsidy s = subsidy;
    return f.check(at, () -> new Era(f.longValue(o, "fromHeight", at + ".fromHeight", 1), s, new TreeMap<>(shares),
        f.longValue(o, "outOf", at + ".outOf", -1), fees));
  }

  private static ServiceRules service(GenesisJson.Fields f, JsonObject s) {
    String at = "incentives.service";
    f.only(s, at + ".", "epochLength", "challengeInterval", "secureThresholdPercent", "superThresholdPercent", "secureBond", "superBond",
        "unbondingDelay", "share", "maxPenalty");
    ServiceRules d = ServiceRules.DEFAULTS;
    return f.check(at, () -> new ServiceRules(
        f.longValue(s, "epochLength", at + ".epochLength", d.epochLength()),
        f.longValue(s, "challengeInterval", at + ".challengeInterval", d.challengeInterval()),
        s.containsKey("secureThresholdPercent") ? f.intValue(s, "secureThresholdPercent", at + ".secureThresholdPercent") : d.secureThresholdPercent(),
        s.containsKey("superThresholdPercent") ? f.intValue(s, "superThresholdPercent", at + ".superThresholdPercent") : d.superThresholdPercent(),
        Amount.of(f.longValue(s, "secureBond", at + ".secureBond", d.secureBond().units())),
        Amount.of(f.longValue(s, "superBond", at + ".superBond", d.superBond().units())),
        f.longValue(s, "unbondingDelay", at + ".unbondingDelay", d.unbondingDelay()),
        s.containsKey("share") ? IncentivePolicy.ServiceShare.valueOf(upper(f.string(s, "share", at + ".share"))) : d.share(),
        s.containsKey("maxPenalty") ? f.intValue(s, "maxPenalty", at + ".maxPenalty") : d.maxPenalty()));
  }

  static JsonObject write(IncentivePolicy p) {
    JsonObject o = new JsonObject().put("rule", p.rule());
    p.treasury().ifPresent(t -> o.put("treasury", t.toHex()));
    o.put("producers", lower(p.producers().name()));
    if (!p.customPools().isEmpty()) {
      JsonObject pools = new JsonObject();
      p.customPools().forEach((name, account) -> pools.put(name, account.toHex()));
      o.put("customPools", pools);
    }
    JsonArray eras = new JsonArray();
    for (Era e : p.eras()) {
      JsonObject shares = new JsonObject();
      e.shares().forEach(shares::put);
      eras.add(new JsonObject().put("fromHeight", e.fromHeight())
          .put("subsidy", new JsonObject().put("initial", e.subsidy().initial().units()).put("halvingInterval", e.subsidy().halvingInterval()))
          .put("outOf", e.outOf()).put("shares", shares).put("fees", lower(e.fees().name())));
    }
    o.put("eras", eras);
    ServiceRules s = p.service();
    o.put("service", new JsonObject().put("epochLength", s.epochLength()).put("challengeInterval", s.challengeInterval())
        .put("secureThresholdPercent", s.secureThresholdPercent()).put("superThresholdPercent", s.superThresholdPercent())
        .put("secureBond", s.secureBond().units()).put("superBond", s.superBond().units()).put("unbondingDelay", s.unbondingDelay())
        .put("share", lower(s.share().name())).put("maxPenalty", s.maxPenalty()));
    return o;
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
