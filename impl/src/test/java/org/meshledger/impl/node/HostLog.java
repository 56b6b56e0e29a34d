package org.meshledger.impl.node;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the lines of the {@code org.meshledger.host} logger (System.Logger goes to java.util.logging here) and
 * keeps them, with the host's stack traces, out of the build's output while a test that provokes them runs.
 */
final class HostLog extends Handler implements AutoCloseable {
  private static final Logger LOGGER = Logger.getLogger("org.meshledger.host");
  private final List<String> lines = new CopyOnWriteArrayList<>();

  HostLog() {
    LOGGER.setUseParentHandlers(false);
    LOGGER.addHandler(this);
  }

  @Override
  public void publish(LogRecord r) {
    lines.add(r.getLevel() + " " + r.getMessage());
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    LOGGER.removeHandler(this);
    LOGGER.setUseParentHandlers(true);
  }
}
