package org.meshledger.samples.cli;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.samples.cli.client.NodeClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code submit put|transfer}: builds a transaction, signs it here with a key file (the key never leaves this machine),
 * takes the account's next nonce from the node (which counts its pending transactions too), submits it and waits for
 * its receipt.
 */
@Command(name = "submit", mixinStandardHelpOptions = true, description = "Signs a transaction with a key file, submits it and waits until it is final.",
    subcommands = {SubmitCommand.Put.class, SubmitCommand.Transfer.class})
final class SubmitCommand {
  /** What both kinds of transaction share. */
  static final class Signing {
    @Mixin
    ClientOptions client;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "the signer's key file")
    Path key;

    @Option(names = "--fee", defaultValue = "0", description = "the fee in the smallest unit (default ${DEFAULT-VALUE})")
    long fee;

    @Option(names = "--json", description = "print the receipt's JSON")
    boolean json;

    int submit(CommandSpec spec, Payload payload) {
      NodeClient node = client.client();
      KeyPair signer = KeyPair.load(key);
      String chainId = node.status().getString("chainId");
      long nonce = node.account(signer.accountId().toHex()).getLong("nextNonce");
      Transaction tx = Transaction.sign(chainId, signer, nonce, Amount.of(fee), payload);
      JsonObject receipt = node.submit(tx);
      if (json) {
        spec.commandLine().getOut().println(receipt.encodePrettily());
      } else {
        spec.commandLine().getOut().println("final: transaction " + receipt.getString("transactionId") + " " + receipt.getString("outcome")
            + " in block " + receipt.getLong("height") + " at index " + receipt.getInteger("index") + " (nonce " + nonce + ")");
      }
      return 0;
    }
  }

  @Command(name = "put", mixinStandardHelpOptions = true, description = "A DATA write: KEY gets VALUE (UTF-8).")
  static final class Put implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Signing signing;

    @Parameters(index = "0", paramLabel = "KEY")
    String dataKey;

    @Parameters(index = "1", paramLabel = "VALUE")
    String value;

    @Option(names = "--if-version", paramLabel = "N", description = "write only if the key's current version is N (0: the key is new)")
    Long ifVersion;

    @Override
    public Integer call() {
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      Payload p = ifVersion == null ? Payload.DataWrite.of(dataKey, bytes) : Payload.DataWrite.ifVersion(dataKey, bytes, ifVersion);
      return signing.submit(spec, p);
    }
  }

  @Command(name = "transfer", mixinStandardHelpOptions = true, description = "A TRANSFER of AMOUNT units to ACCOUNT.")
  static final class Transfer implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Signing signing;

    @Parameters(index = "0", paramLabel = "ACCOUNT", description = "the receiver's public id")
    String to;

    @Parameters(index = "1", paramLabel = "AMOUNT", description = "units to send")
    long amount;

    @Override
    public Integer call() {
      return signing.submit(spec, new Payload.Transfer(AccountId.fromHex(to), Amount.of(amount)));
    }
  }
}
