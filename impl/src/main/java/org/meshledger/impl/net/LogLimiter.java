package org.meshledger.impl.net;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps a flood of hostile connections from flooding the log too: at most {@code perSecond} lines per kind
 * of event each second; the rest are counted and summed up in one line when the next second starts.
 */
final class LogLimiter {
  private static final class Window {
    long start;
    int lines;
    int suppressed;
  }

  private final Logger log;
  private final int perSecond;
  private final Map<String, Window> windows = new HashMap<>();

  LogLimiter(Logger log, int perSecond) {
    this.log = log;
    this.perSecond = perSecond;
  }

  /** Messages quote hostile input (exception texts can hold a whole garbage record): keep them short. */
  static String cut(String message) {
    return message.length() <= 400 ? message : message.substring(0, 400) + "... (" + message.length() + " characters)";
  }

  void log(Level level, String kind, long nowMillis, String message) {
    Window w = windows.computeIfAbsent(kind, k -> new Window());
    if (nowMillis - w.start >= 1000) {
      if (w.suppressed > 0) {
        log.log(level, kind + ": " + w.suppressed + " similar lines suppressed in the last second");
      }
      w.start = nowMillis;
      w.lines = 0;
      w.suppressed = 0;
    }
    if (w.lines++ < perSecond) {
      log.log(level, cut(message));
    } else {
      w.suppressed++;
    }
    if (windows.size() > 64) {
      windows.clear(); // kinds are a fixed small set; this only guards against misuse
    }
  }
}
