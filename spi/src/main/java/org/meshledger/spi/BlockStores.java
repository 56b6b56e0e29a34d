package org.meshledger.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import org.meshledger.ConfigurationException;

/** Finds {@link BlockStoreProvider}s by name. */
public final class BlockStores {
  /** The name of the default store: H2, a file under the data directory. */
  public static final String DEFAULT = "h2";

  private BlockStores() {}

  /**
   * The provider called {@code name}.
   *
   * @throws ConfigurationException listing the names available if none is called {@code name}
   */
  public static BlockStoreProvider provider(String name) {
    Objects.requireNonNull(name, "name");
    List<String> names = new ArrayList<>();
    for (BlockStoreProvider p : ServiceLoader.load(BlockStoreProvider.class, BlockStores.class.getClassLoader())) {
      if (p.name().equals(name)) {
        return p;
      }
      names.add(p.name());
    }
    throw new ConfigurationException("no block store called '" + name + "' (available: " + names
        + "); the defaults come with org.meshledger:meshledger");
  }

  /** Opens a store of the provider called {@code name}. */
  public static BlockStore open(String name, StoreContext context) {
    return provider(name).open(context);
  }
}
