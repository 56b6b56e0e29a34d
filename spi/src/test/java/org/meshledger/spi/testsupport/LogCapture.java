package org.meshledger.spi.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures one logger's records (System.Logger goes to java.util.logging unless a host binds it elsewhere) while a
 * negative test provokes them, and keeps them and their stack traces out of the build's output, so a clean log
 * means no unexpected trace. Use in try-with-resources and assert the expected record with {@link #has}.
 *
 * <p>Threading: records may arrive on any thread; the list is safe to read from the test's thread. While open, the
 * logger does not pass records to its parents; {@link #close()} restores that.
 */
public final class LogCapture extends Handler implements AutoCloseable {
  private final Logger logger;
  private final boolean parents;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  private LogCapture(String name) {
    logger = Logger.getLogger(name);
    parents = logger.getUseParentHandlers();
    setLevel(Level.ALL);
    logger.addHandler(this);
    logger.setUseParentHandlers(false);
  }

  /** Starts capturing the records of logger {@code name} (and its children). */
  public static LogCapture of(String name) {
    return new LogCapture(name);
  }

  /** True if a record at {@code level} or above says {@code text} in its message or its exception's message. */
  public boolean has(Level level, String text) {
    return records.stream().anyMatch(r -> r.getLevel().intValue() >= level.intValue() && (contains(r.getMessage(), text)
        || r.getThrown() != null && contains(String.valueOf(r.getThrown().getMessage()), text)));
  }

  /** What was captured so far, as "LEVEL message" lines. */
  public List<String> lines() {
    return records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList();
  }

  private static boolean contains(String s, String text) {
    return s != null && s.contains(text);
  }

  @Override
  public void publish(LogRecord r) {
    records.add(r);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setUseParentHandlers(parents);
  }
}
