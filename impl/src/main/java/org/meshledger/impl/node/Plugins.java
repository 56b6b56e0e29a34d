package org.meshledger.impl.node;

import java.util.List;
import org.meshledger.ConfigurationException;
import org.meshledger.IncentivePolicy;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.RewardRule;
import org.meshledger.spi.RewardRules;

/**
 * The builder's plug-ins sorted by what they are: a {@link BlockStore}, a Micrometer {@code MeterRegistry}
 * (recognized without naming Micrometer, so a host without it never loads {@link MicrometerMetrics}), a
 * {@link RewardRule} (used if the genesis names it; else the rule is found through {@link RewardRules}).
 */
record Plugins(BlockStore store, Object meterRegistry, RewardRule rewardRule) {
  private static final String REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

  /**
   * @throws ConfigurationException naming the object and the kinds known, for an object that is none of them, or
   *     naming the kind given twice
   */
  static Plugins of(List<Object> plugins) {
    Class<?> registryType = registryType();
    BlockStore store = null;
    Object registry = null;
    RewardRule rule = null;
    for (Object p : plugins) {
      if (p instanceof BlockStore s) {
        if (store != null) {
          throw new ConfigurationException("two block stores given as plug-ins (" + store + " and " + s + "): give one");
        }
        store = s;
      } else if (p instanceof RewardRule r) {
        if (rule != null) {
          throw new ConfigurationException("two reward rules given as plug-ins ('" + rule.name() + "' and '" + r.name() + "'): give the one the"
              + " genesis names");
        }
        rule = r;
      } else if (registryType != null && registryType.isInstance(p)) {
        if (registry != null) {
          throw new ConfigurationException("two meter registries given as plug-ins: give one (a Micrometer CompositeMeterRegistry"
              + " feeds several)");
        }
        registry = p;
      } else {
        throw new ConfigurationException("plug-in " + p.getClass().getName() + " is none of the kinds a node uses: an "
            + BlockStore.class.getName() + ", a " + RewardRule.class.getName() + " or a " + REGISTRY + (registryType == null ? " (Micrometer is not on the class path)" : ""));
      }
    }
    return new Plugins(store, registry, rule);
  }

  /**
   * The reward rule {@code policy} names: the plug-in if it has that name, else the one {@link RewardRules} finds.
   *
   * @throws ConfigurationException naming the rule and those available if none has the name
   */
  RewardRule rewardRule(IncentivePolicy policy) {
    if (rewardRule != null && rewardRule.name().equals(policy.rule())) {
      return rewardRule;
    }
    if (rewardRule != null) {
      throw new ConfigurationException("the reward rule given as plug-in is '" + rewardRule.name() + "' but the genesis names '" + policy.rule()
          + "': every node of a chain must run the rule its genesis names");
    }
    return RewardRules.find(policy.rule());
  }

  private static Class<?> registryType() {
    try {
      return Class.forName(REGISTRY, false, Plugins.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }
}
