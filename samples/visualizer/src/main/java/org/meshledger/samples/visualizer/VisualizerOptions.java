package org.meshledger.samples.visualizer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The demo's settings, from {@code --name=value} arguments or {@code -Dname=value} system properties (arguments win):
 * {@code port} of the web page (8088; 0 picks a free one), {@code nodes} (12) and {@code validators} (4) to start,
 * {@code data} directory ({@code target/visualizer-data}), {@code headless} seconds (0: serve the page until stopped),
 * {@code protocol} (dandelion++), {@code load} transactions a second for the headless run (5), {@code seed} of the
 * demo's random choices.
 *
 * @param port the web page's port on loopback
 * @param nodes nodes started at first, validators included
 * @param validators validators among them (the genesis names these)
 * @param dataDir where each node's directory goes
 * @param headlessSeconds how long a headless run lasts; 0 for the page
 * @param protocol the spreading protocol to start with
 * @param load transactions a second in a headless run
 * @param seed the seed of which node is deleted, killed, picked
 */
record VisualizerOptions(int port, int nodes, int validators, Path dataDir, int headlessSeconds, String protocol, int load, long seed) {
  static final Map<String, String> DEFAULTS = defaults();

  VisualizerOptions {
    check("port", port, 0, 65535);
    check("validators", validators, 1, 16);
    check("nodes", nodes, validators, 64);
    check("headless", headlessSeconds, 0, 24 * 3600);
    check("load", load, 1, 200);
    if (!DemoNetwork.PROTOCOLS.containsKey(protocol)) {
      throw new IllegalArgumentException("protocol must be one of " + DemoNetwork.PROTOCOLS.keySet() + ", got '" + protocol + "'");
    }
  }

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("port", "8088");
    d.put("nodes", "12");
    d.put("validators", "4");
    d.put("data", "target/visualizer-data");
    d.put("headless", "0");
    d.put("protocol", "dandelion++");
    d.put("load", "5");
    d.put("seed", "0");
    return d;
  }

  /**
   * Reads the settings: {@code args} as {@code --name=value}, else system properties, else the defaults.
   *
   * @throws IllegalArgumentException naming the bad argument and the known names
   */
  static VisualizerOptions parse(String[] args, Properties system) {
    Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
    for (String name : DEFAULTS.keySet()) {
      String s = system.getProperty(name);
      if (s != null) {
        v.put(name, s.trim());
      }
    }
    for (String a : args) {
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("argument '" + a + "' is not --name=value; names: " + DEFAULTS.keySet());
      }
      String name = a.substring(2, eq);
      if (!DEFAULTS.containsKey(name)) {
        throw new IllegalArgumentException("unknown setting '" + name + "'; names: " + DEFAULTS.keySet());
      }
      v.put(name, a.substring(eq + 1).trim());
    }
    long seed = number(v, "seed");
    return new VisualizerOptions((int) number(v, "port"), (int) number(v, "nodes"), (int) number(v, "validators"), Path.of(v.get("data")),
        (int) number(v, "headless"), v.get("protocol"), (int) number(v, "load"), seed == 0 ? System.nanoTime() : seed);
  }

  private static long number(Map<String, String> v, String name) {
    try {
      return Long.parseLong(v.get(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + v.get(name) + "'");
    }
  }

  private static void check(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", got " + value);
    }
  }
}
