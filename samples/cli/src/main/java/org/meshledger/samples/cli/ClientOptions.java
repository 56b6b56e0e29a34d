package org.meshledger.samples.cli;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.meshledger.samples.cli.client.NodeClient;
import picocli.CommandLine.Option;

/** The options of every command that talks to a running node: where it is, its token, how long to wait. */
final class ClientOptions {
  @Option(names = "--node", defaultValue = "http://127.0.0.1:7002", paramLabel = "URL",
      description = "the node's API (default ${DEFAULT-VALUE}, testnet's node0)")
  URI node;

  @Option(names = "--token", defaultValue = "${env:MESHLEDGER_TOKEN}", paramLabel = "TOKEN",
      description = "the API's bearer token (default: the environment's MESHLEDGER_TOKEN, which ps does not show)")
  String token;

  @Option(names = "--timeout", defaultValue = "90s", converter = Durations.class, description = "how long to wait for an answer (default ${DEFAULT-VALUE})")
  Duration timeout;

  NodeClient client() {
    return new NodeClient(node, Optional.ofNullable(token), timeout);
  }
}
