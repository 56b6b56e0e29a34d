package org.meshledger.impl.spreading;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.meshledger.ConfigurationException;
import org.meshledger.spi.RelayMode;

/**
 * Reads a protocol's text parameters against its defaults, failing with a message that names the protocol,
 * the parameter, the bad value and what a good one looks like.
 */
final class Params {
  private static final Pattern SIMPLE_DURATION = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s|m|h)");

  private final String protocol;
  private final Map<String, String> given;
  private final Map<String, String> values;

  private Params(String protocol, Map<String, String> values) {
    this.protocol = protocol;
    this.given = Map.copyOf(values);
    this.values = values;
  }

  /** {@code given} over {@code defaults}; any name not in {@code defaults} is an error. */
  static Params of(String protocol, Map<String, String> defaults, Map<String, String> given) {
    TreeMap<String, String> merged = new TreeMap<>(defaults);
    given.forEach((k, v) -> {
      if (!defaults.containsKey(k)) {
        throw new ConfigurationException(protocol + ": unknown parameter '" + k + "' (known: " + String.join(", ", new TreeMap<>(defaults).keySet()) + ")");
      }
      merged.put(k, v);
    });
    return new Params(protocol, merged);
  }

  private ConfigurationException bad(String name, String why) {
    return new ConfigurationException(protocol + ": parameter " + name + "=" + given.get(name) + " " + why);
  }

  Duration duration(String name, Duration min, Duration max) {
    String text = values.get(name).trim();
    Duration d;
    Matcher m = SIMPLE_DURATION.matcher(text.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      double n = Double.parseDouble(m.group(1));
      double unitNanos = switch (m.group(2)) {
        case "ns" -> 1;
        case "us" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      d = Duration.ofNanos(Math.round(n * unitNanos));
    } else if (text.equals("0")) {
      d = Duration.ZERO;
    } else {
      try {
        d = Duration.parse(text);
      } catch (DateTimeParseException e) {
        throw bad(name, "is not a duration; write it like 250ms, 2s, 10m or PT0.25S");
      }
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw bad(name, "is out of range; it must be from " + format(min) + " to " + format(max));
    }
    values.put(name, format(d));
    return d;
  }

  /** A duration strictly above zero and at most {@code max}. */
  Duration positiveDuration(String name, Duration max) {
    Duration d = duration(name, Duration.ZERO, max);
    if (d.isZero()) {
      throw bad(name, "must be above 0");
    }
    return d;
  }

  double fraction(String name, double minExclusive, double maxInclusive) {
    double v;
    try {
      v = Double.parseDouble(values.get(name).trim());
    } catch (NumberFormatException e) {
      throw bad(name, "is not a number");
    }
    if (!(v > minExclusive && v <= maxInclusive)) {
      throw bad(name, "must be above " + minExclusive + " and at most " + maxInclusive);
    }
    values.put(name, Double.toString(v));
    return v;
  }

  int integer(String name, int min, int max) {
    int v;
    try {
      v = Integer.parseInt(values.get(name).trim());
    } catch (NumberFormatException e) {
      throw bad(name, "is not an integer");
    }
    if (v < min || v > max) {
      throw bad(name, "must be from " + min + " to " + max);
    }
    values.put(name, Integer.toString(v));
    return v;
  }

  boolean bool(String name) {
    String v = values.get(name).trim().toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw bad(name, "must be true or false");
    }
    values.put(name, v);
    return v.equals("true");
  }

  RelayMode relayMode(String name) {
    try {
      RelayMode m = RelayMode.parse(values.get(name));
      values.put(name, m.text());
      return m;
    } catch (IllegalArgumentException e) {
      throw bad(name, "must be push (send the message) or announce (send its id; the peer pulls it)");
    }
  }

  /** The parameters as read, normalised; call after reading every one. */
  Map<String, String> normalised() {
    return Map.copyOf(values);
  }

  static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) {
      return "0ms";
    } else if (nanos % 3_600_000_000_000L == 0) {
      return nanos / 3_600_000_000_000L + "h";
    } else if (nanos % 60_000_000_000L == 0) {
      return nanos / 60_000_000_000L + "m";
    } else if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + "s";
    } else if (nanos % 1_000_000L == 0) {
      return nanos / 1_000_000L + "ms";
    } else if (nanos % 1_000L == 0) {
      return nanos / 1_000L + "us";
    }
    return nanos + "ns";
  }
}
