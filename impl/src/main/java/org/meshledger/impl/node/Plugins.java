package org.meshledger.impl.node;

import java.util.List;
import org.meshledger.ConfigurationException;
import org.meshledger.IncentivePolicy;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.RewardRule;
import org.meshledger.spi.RewardRules;
import org.meshledger.testing.LinkFilter;
import org.meshledger.testing.SpreadTrace;

/**
 * The builder's plug-ins sorted by what they are: a {@link BlockStore}, a Micrometer {@code MeterRegistry}
 * (recognized without naming Micrometer, so a host without it never loads {@link MicrometerMetrics}), a
 * {@link RewardRule} (used if the genesis names it; else the rule is found through {@link RewardRules}), and the
 * test hooks of {@code org.meshledger.testing}: a {@link LinkFilter} and a {@link SpreadTrace}.
 */
record Plugins(BlockStore store, Object meterRegistry, RewardRule rewardRule, LinkFilter linkFilter, SpreadTrace spreadTrace) {
  Plugins(BlockStore store, Object meterRegistry, RewardRule rewardRule) {
    this(store, meterRegistry, rewardRule, null, null);
  }

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
    LinkFilter filter = null;
    SpreadTrace trace = null;
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
      } else if (p instanceof LinkFilter f) {
        if (filter != null) {
          throw new ConfigurationException("two link filters given as plug-ins: give one (block several peers with one filter)");
        }
        filter = f;
      } else if (p instanceof SpreadTrace t) {
        if (trace != null) {
          throw new ConfigurationException("two spread traces given as plug-ins: give one (it may fan out to several)");
        }
        trace = t;
      } else if (registryType != null && registryType.isInstance(p)) {
        if (registry != null) {
          throw new ConfigurationException("two meter registries given as plug-ins: give one (a Micrometer CompositeMeterRegistry"
              + " feeds several)");
        }
        registry = p;
      } else {
        throw new ConfigurationException("plug-in " + p.getClass().getName() + " is none of the kinds a node uses: an "
            + BlockStore.class.getName() + ", a " + RewardRule.class.getName() + ", a " + LinkFilter.class.getName() + ", a "
            + SpreadTrace.class.getName() + " or a " + REGISTRY + (registryType == null ? " (Micrometer is not on the class path)" : ""));
      }
    }
    return new Plugins(store, registry, rule, filter, trace);
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
