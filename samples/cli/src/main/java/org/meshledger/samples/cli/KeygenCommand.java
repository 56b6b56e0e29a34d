package org.meshledger.samples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.meshledger.ConfigurationException;
import org.meshledger.crypto.KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keygen}: a new Ed25519 key, saved owner-only; prints the node id that goes into the genesis. */
@Command(name = "keygen", mixinStandardHelpOptions = true, description = {"Creates a node key and prints its public id.",
    "Give the id (never the file) to whoever writes the genesis."})
final class KeygenCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "where to write the key (mode 600)")
  Path out;

  @Option(names = "--force", description = "replace an existing key file (the old key is lost for good)")
  boolean force;

  @Override
  public Integer call() {
    if (Files.exists(out) && !force) {
      throw new ConfigurationException("key file " + out + " already exists; refusing to overwrite a key (--force replaces it, and the"
          + " old key is lost for good)");
    }
    KeyPair key = KeyPair.generate();
    if (force) {
      try {
        Files.deleteIfExists(out);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot replace " + out, e);
      }
    }
    key.save(out);
    spec.commandLine().getOut().println(key.nodeId().toHex());
    return 0;
  }
}
