package org.meshledger.samples.visualizer;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * The README's main command: starts a local network of real nodes and serves the page that shows it, or, with
 * {@code --headless=SECONDS}, runs the same network under load and churn and prints a summary (see {@link Headless}).
 * Settings: {@link VisualizerOptions}.
 */
public final class Visualizer implements AutoCloseable {
  private final DemoNetwork net;
  private final UpdateHub hub = new UpdateHub(WebServer.MAX_QUEUED);
  private final StatusFeed feed;
  private final WebServer web;
  private int port;

  Visualizer(VisualizerOptions options, PrintStream out) {
    this.net = new DemoNetwork(options, out);
    this.feed = new StatusFeed(net, hub);
    this.web = new WebServer(net, feed, hub);
  }

  public static void main(String[] args) throws Exception {
    VisualizerOptions options;
    try {
      options = VisualizerOptions.parse(args, System.getProperties());
    } catch (IllegalArgumentException e) {
      System.err.println("visualizer: " + e.getMessage());
      System.exit(2);
      return;
    }
    quietLogs();
    if (options.headlessSeconds() > 0) {
      System.exit(Headless.run(options, System.out));
      return;
    }
    Visualizer v = new Visualizer(options, System.out);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      v.close();
      stopped.countDown();
    }, "visualizer-shutdown"));
    v.start(options.port());
    System.out.println();
    System.out.println("The network runs. Open http://127.0.0.1:" + v.port() + "/ in a browser (Ctrl-C stops the demo).");
    stopped.await();
  }

  /**
   * Twelve nodes log a great deal at INFO (every connection, every restart); the console shows the demo's own lines
   * and the nodes' warnings. {@code -Dverbose=true} keeps the nodes' INFO lines.
   */
  static void quietLogs() {
    if (!Boolean.getBoolean("verbose")) {
      QUIET[0].setLevel(java.util.logging.Level.WARNING);
      // a listener closing while a peer dials it logs a harmless stack trace from Netty
      QUIET[1].setLevel(java.util.logging.Level.SEVERE);
    }
  }

  /** Held here: java.util.logging keeps loggers weakly, and a collected one would lose its level. */
  private static final java.util.logging.Logger[] QUIET = {java.util.logging.Logger.getLogger("org.meshledger"),
      java.util.logging.Logger.getLogger("io.netty")};

  /** Starts the nodes, then the feed and the page's server. */
  void start(int webPort) throws Exception {
    net.start();
    feed.start();
    port = web.start(webPort);
  }

  int port() {
    return port;
  }

  DemoNetwork network() {
    return net;
  }

  StatusFeed feed() {
    return feed;
  }

  @Override
  public void close() {
    feed.stop();
    try {
      web.stop();
    } catch (Exception e) {
      System.err.println("closing the page's server: " + e);
    }
    net.close();
  }
}
