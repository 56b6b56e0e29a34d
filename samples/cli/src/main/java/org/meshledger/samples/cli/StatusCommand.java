package org.meshledger.samples.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code status}: a running node's state in a few lines, or its JSON. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Shows a running node's height, sync state, quorum and peers.")
final class StatusCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ClientOptions client;

  @Option(names = "--json", description = "print the API's JSON")
  boolean json;

  @Override
  public Integer call() {
    JsonObject s = client.client().status();
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.println(s.encodePrettily());
      return 0;
    }
    JsonObject q = s.getJsonObject("quorum");
    o.println(s.getString("name") + " " + s.getString("id") + " " + s.getJsonArray("roles").encode());
    o.println("  chain    " + s.getString("chainId") + " (genesis " + s.getString("genesisHash") + ")");
    o.println("  state    " + s.getString("state") + ", " + s.getString("sync") + (s.getString("fault").isEmpty() ? "" : ": " + s.getString("fault")));
    o.println("  height   " + s.getLong("height") + "; sync " + s.getJsonObject("progress").getString("summary"));
    o.println("  quorum   " + q.getInteger("reachable") + " of " + q.getInteger("validators") + " validators reachable, " + q.getInteger("needed")
        + " needed");
    o.println("  mempool  " + s.getInteger("mempool") + " transactions");
    o.println("  peers    " + s.getJsonArray("peers").size());
    s.getJsonArray("peers").forEach(p -> {
      JsonObject peer = (JsonObject) p;
      o.println("    " + peer.getString("id").substring(0, 16) + "… " + peer.getString("address") + (peer.getBoolean("outbound") ? " out" : " in")
          + ", height " + peer.getLong("height") + ", " + peer.getLong("latencyMs") + " ms");
    });
    return 0;
  }
}
