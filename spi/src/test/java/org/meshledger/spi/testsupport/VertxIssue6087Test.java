package org.meshledger.spi.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Only the trace of eclipse-vertx/vert.x#6087 is left out; the same message with another cause still shows. */
class VertxIssue6087Test {
  private static LogRecord record(Level level, String message, Throwable thrown) {
    LogRecord r = new LogRecord(level, message);
    r.setThrown(thrown);
    return r;
  }

  private static IllegalStateException thrownAt(String className, String method) {
    IllegalStateException e = new IllegalStateException();
    e.setStackTrace(new StackTraceElement[] {new StackTraceElement(className, method, "X.java", 37),
        new StackTraceElement("io.netty.bootstrap.ServerBootstrap$ServerBootstrapAcceptor", "channelRead", "ServerBootstrap.java", 249)});
    return e;
  }

  @Test
  void recognisesTheVertxTraceAndNothingElse() {
    String message = "Failed to register an accepted channel: [id: 0x15283668, L:/127.0.0.1:44167 ! R:/127.0.0.1:34864]";
    IllegalStateException vertx = thrownAt("io.vertx.core.net.impl.VertxEventLoopGroup", "next");
    assertThat(VertxIssue6087.isIssue6087(record(Level.WARNING, message, vertx))).isTrue();

    assertThat(VertxIssue6087.isIssue6087(record(Level.WARNING, message, thrownAt("io.netty.channel.SingleThreadEventLoop", "register"))))
        .as("another cause").isFalse();
    assertThat(VertxIssue6087.isIssue6087(record(Level.WARNING, message, new RuntimeException()))).as("another exception").isFalse();
    assertThat(VertxIssue6087.isIssue6087(record(Level.WARNING, message, null))).as("no exception").isFalse();
    assertThat(VertxIssue6087.isIssue6087(record(Level.SEVERE, message, vertx))).as("another level").isFalse();
    assertThat(VertxIssue6087.isIssue6087(record(Level.WARNING, "Failed to bind", vertx))).as("another message").isFalse();
  }
}
