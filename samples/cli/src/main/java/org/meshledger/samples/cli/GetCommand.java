package org.meshledger.samples.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code get key|history|transaction|block}: reads from a running node, printed as the API's JSON. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Reads a key's value or history, a receipt, a block, or an account, as JSON.",
    subcommands = {GetCommand.Key.class, GetCommand.History.class, GetCommand.Tx.class, GetCommand.BlockAt.class, GetCommand.Account.class})
final class GetCommand {
  private static int print(CommandSpec spec, JsonObject answer) {
    spec.commandLine().getOut().println(answer.encodePrettily());
    return 0;
  }

  @Command(name = "key", mixinStandardHelpOptions = true, description = "A key's current value, version and writer.")
  static final class Key implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "KEY")
    String key;

    @Override
    public Integer call() {
      return print(spec, client.client().current(key));
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true, description = "A key's versions, oldest first, a page at a time.")
  static final class History implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "KEY")
    String key;

    @Option(names = "--after", defaultValue = "0", description = "versions after this one (default ${DEFAULT-VALUE})")
    long after;

    @Option(names = "--limit", defaultValue = "100", description = "at most this many (default ${DEFAULT-VALUE}, at most 1000)")
    int limit;

    @Override
    public Integer call() {
      return print(spec, client.client().history(key, after, limit));
    }
  }

  @Command(name = "transaction", mixinStandardHelpOptions = true, description = "A final transaction's receipt with its Merkle proof.")
  static final class Tx implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "ID", description = "the transaction id (hex)")
    String id;

    @Override
    public Integer call() {
      return print(spec, client.client().receipt(id));
    }
  }

  @Command(name = "account", mixinStandardHelpOptions = true, description = "An account's balance as of the last block, and the next nonce to"
      + " use (counting this node's waiting transactions).")
  static final class Account implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "ACCOUNT", description = "the account id (hex), as keygen prints it")
    String id;

    @Override
    public Integer call() {
      return print(spec, client.client().account(id));
    }
  }

  @Command(name = "block", mixinStandardHelpOptions = true, description = "The block at a height, with its canonical encoding.")
  static final class BlockAt implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "HEIGHT")
    long height;

    @Override
    public Integer call() {
      return print(spec, client.client().block(height));
    }
  }
}
