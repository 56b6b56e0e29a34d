package org.meshledger.impl.net;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the network's log lines (System.Logger goes to java.util.logging here). */
final class LogCapture extends Handler implements AutoCloseable {
  private static final Logger LOGGER = Logger.getLogger("org.meshledger.net");
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

  LogCapture() {
    LOGGER.setLevel(Level.ALL);
    LOGGER.addHandler(this);
  }

  @Override
  public void publish(LogRecord r) {
    lines.add(r.getLevel() + " " + r.getMessage());
  }

  boolean has(String... parts) {
    synchronized (lines) {
      return lines.stream().anyMatch(l -> java.util.Arrays.stream(parts).allMatch(l::contains));
    }
  }

  long count(String part) {
    synchronized (lines) {
      return lines.stream().filter(l -> l.contains(part)).count();
    }
  }

  List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    LOGGER.removeHandler(this);
  }
}
