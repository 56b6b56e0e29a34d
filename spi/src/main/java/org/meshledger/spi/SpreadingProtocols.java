package org.meshledger.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import org.meshledger.ConfigurationException;
import org.meshledger.Spreading;

/** Finds {@link SpreadingProtocolProvider}s by name. */
public final class SpreadingProtocols {
  private SpreadingProtocols() {}

  /**
   * The provider called {@code name}.
   *
   * @throws ConfigurationException listing the names available if none is called {@code name}
   */
  public static SpreadingProtocolProvider provider(String name) {
    Objects.requireNonNull(name, "name");
    List<String> names = new ArrayList<>();
    for (SpreadingProtocolProvider p : ServiceLoader.load(SpreadingProtocolProvider.class, SpreadingProtocols.class.getClassLoader())) {
      if (p.name().equals(name)) {
        return p;
      }
      names.add(p.name());
    }
    throw new ConfigurationException("no spreading protocol called '" + name + "' (available: " + names
        + "); the defaults come with org.meshledger:meshledger");
  }

  /**
   * {@code choice} with its parameters validated and completed with the defaults.
   *
   * @throws ConfigurationException if the protocol is unknown or a parameter is invalid
   */
  public static Spreading validate(Spreading choice) {
    return new Spreading(choice.protocol(), provider(choice.protocol()).validate(choice.parameters()));
  }
}
