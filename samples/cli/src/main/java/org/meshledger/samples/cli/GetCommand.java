package org.meshledger.samples.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import org.meshledger.samples.cli.client.NodeClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code get key|history|transaction|block|account}: reads from a running node, printed as the API's JSON. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Reads a key's value or history, a receipt, a block, or an account, as JSON.",
    subcommands = {GetCommand.Key.class, GetCommand.History.class, GetCommand.Tx.class, GetCommand.BlockAt.class, GetCommand.Account.class})
final class GetCommand {
  /** A read: the node to ask ({@link ClientOptions}), and its answer printed as the API's JSON. */
  abstract static class Read implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    abstract JsonObject read(NodeClient node);

    @Override
    public Integer call() {
      spec.commandLine().getOut().println(read(client.client()).encodePrettily());
      return 0;
    }
  }

  @Command(name = "key", mixinStandardHelpOptions = true, description = "A key's current value, version and writer.")
  static final class Key extends Read {
    @Parameters(paramLabel = "KEY")
    String key;

    @Override
    JsonObject read(NodeClient node) {
      return node.current(key);
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true, description = "A key's versions, oldest first, a page at a time.")
  static final class History extends Read {
    @Parameters(paramLabel = "KEY")
    String key;

    @Option(names = "--after", defaultValue = "0", description = "versions after this one (default ${DEFAULT-VALUE})")
    long after;

    @Option(names = "--limit", defaultValue = "100", description = "at most this many (default ${DEFAULT-VALUE}, at most 1000)")
    int limit;

    @Override
    JsonObject read(NodeClient node) {
      return node.history(key, after, limit);
    }
  }

  @Command(name = "transaction", mixinStandardHelpOptions = true, description = "A final transaction's receipt with its Merkle proof.")
  static final class Tx extends Read {
    @Parameters(paramLabel = "ID", description = "the transaction id (hex)")
    String id;

    @Override
    JsonObject read(NodeClient node) {
      return node.receipt(id);
    }
  }

  @Command(name = "account", mixinStandardHelpOptions = true, description = "An account's balance as of the last block, and the next nonce to"
      + " use (counting this node's waiting transactions).")
  static final class Account extends Read {
    @Parameters(paramLabel = "ACCOUNT", description = "the account id (hex), as keygen prints it")
    String id;

    @Override
    JsonObject read(NodeClient node) {
      return node.account(id);
    }
  }

  @Command(name = "block", mixinStandardHelpOptions = true, description = "The block at a height, with its canonical encoding.")
  static final class BlockAt extends Read {
    @Parameters(paramLabel = "HEIGHT")
    long height;

    @Override
    JsonObject read(NodeClient node) {
      return node.block(height);
    }
  }
}
