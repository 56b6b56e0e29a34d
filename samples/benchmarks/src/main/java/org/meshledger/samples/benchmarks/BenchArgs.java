package org.meshledger.samples.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code name=value} arguments of the harnesses, over their defaults; an unknown name fails naming the known ones. */
final class BenchArgs {
  private BenchArgs() {}

  static Map<String, String> parse(String[] args, Map<String, String> defaults) {
    Map<String, String> a = new LinkedHashMap<>(defaults);
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 0 || !defaults.containsKey(arg.substring(0, eq))) {
        throw new IllegalArgumentException("unknown argument '" + arg + "'; expected name=value with a name of " + defaults.keySet());
      }
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    return a;
  }
}
