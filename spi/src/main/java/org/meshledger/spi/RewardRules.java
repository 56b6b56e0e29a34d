package org.meshledger.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import org.meshledger.ConfigurationException;

/** Finds {@link RewardRule}s by name through {@link ServiceLoader}. */
public final class RewardRules {
  private RewardRules() {}

  /**
   * The rule called {@code name}, looked up on the class or module path of this SPI and of {@code loader}.
   *
   * @throws ConfigurationException listing the names available if none is called {@code name}
   */
  public static RewardRule find(String name, ClassLoader loader) {
    Objects.requireNonNull(name, "name");
    List<String> names = new ArrayList<>();
    for (ClassLoader l : new ClassLoader[] {loader, RewardRules.class.getClassLoader()}) {
      if (l == null) {
        continue;
      }
      for (RewardRule r : ServiceLoader.load(RewardRule.class, l)) {
        if (r.name().equals(name)) {
          return r;
        }
        if (!names.contains(r.name())) {
          names.add(r.name());
        }
      }
    }
    throw new ConfigurationException("no reward rule called '" + name + "' (available: " + names
        + "); the default comes with org.meshledger:meshledger, a custom one needs a ServiceLoader registration");
  }

  /** {@link #find(String, ClassLoader)} with the thread's context class loader. */
  public static RewardRule find(String name) {
    return find(name, Thread.currentThread().getContextClassLoader());
  }
}
