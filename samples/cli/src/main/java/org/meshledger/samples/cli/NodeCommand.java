package org.meshledger.samples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code node}: runs a node until SIGTERM or SIGINT. A shutdown hook stops it cleanly (the API, then the node, which
 * closes its store); after SIGKILL nothing is lost either, since the store makes each block durable before the node
 * acknowledges it, and the node heals from its peers whatever it had not yet stored.
 */
@Command(name = "node", mixinStandardHelpOptions = true, description = {"Runs a node from its config until SIGTERM or Ctrl-C.",
    "Serves the operator API (/v1/...), /health and Prometheus /metrics on the config's http address."})
final class NodeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "the node's config file (node.json)")
  Path config;

  @Override
  public Integer call() throws InterruptedException {
    NodeConfig c = NodeConfig.read(config);
    RunningNode running = RunningNode.start(c);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("meshledger: stopping node " + c.name());
      running.close();
      System.err.println("meshledger: node " + c.name() + " stopped");
      stopped.countDown();
    }, "meshledger-stop"));
    var s = running.node().status();
    spec.commandLine().getOut().println("node " + c.name() + " " + s.id().toHex() + " running at height " + s.height() + ": peers on "
        + c.p2pHost() + ":" + s.port() + ", API on http://" + c.httpHost() + ":" + running.httpPort() + " (/v1/status, /health, /metrics)");
    spec.commandLine().getOut().flush();
    stopped.await(); // until the shutdown hook has stopped the node
    return 0;
  }
}
