package org.meshledger.impl.node;

import java.util.List;
import org.meshledger.ConfigurationException;
import org.meshledger.spi.BlockStore;

/**
 * The builder's plug-ins sorted by what they are: a {@link BlockStore}, a Micrometer {@code MeterRegistry}
 * (recognized without naming Micrometer, so a host without it never loads {@link MicrometerMetrics}).
 */
record Plugins(BlockStore store, Object meterRegistry) {
  private static final String REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

  /**
   * @throws ConfigurationException naming the object and the kinds known, for an object that is none of them, or
   *     naming the kind given twice
   */
  static Plugins of(List<Object> plugins) {
    Class<?> registryType = registryType();
    BlockStore store = null;
    Object registry = null;
    for (Object p : plugins) {
      if (p instanceof BlockStore s) {
        if (store != null) {
          throw new ConfigurationException("two block stores given as plug-ins (" + store + " and " + s + "): give one");
        }
        store = s;
      } else if (registryType != null && registryType.isInstance(p)) {
        if (registry != null) {
          throw new ConfigurationException("two meter registries given as plug-ins: give one (a Micrometer CompositeMeterRegistry"
              + " feeds several)");
        }
        registry = p;
      } else {
        throw new ConfigurationException("plug-in " + p.getClass().getName() + " is none of the kinds a node uses: an "
            + BlockStore.class.getName() + " or a " + REGISTRY + (registryType == null ? " (Micrometer is not on the class path)" : ""));
      }
    }
    return new Plugins(store, registry);
  }

  private static Class<?> registryType() {
    try {
      return Class.forName(REGISTRY, false, Plugins.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }
}
