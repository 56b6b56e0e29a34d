package org.meshledger.samples.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.meshledger.MeshledgerException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code meshledger}: keys, genesis and test networks, a standalone node, and a client of a running node's API. Exit
 * codes follow picocli's conventions: 0 done, 1 failed (the message says why), 2 bad usage.
 */
@Command(name = "meshledger", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Runs Meshledger nodes across hosts and talks to them.%n"
        + "Set up: keygen on each host, genesis from the members' public ids, then node --config node.json.%n"
        + "For a network on one machine: testnet --nodes 4 --out net.",
    subcommands = {KeygenCommand.class, GenesisCommand.class, TestnetCommand.class, NodeCommand.class, StatusCommand.class,
        SubmitCommand.class, GetCommand.class, VerifyCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    int code = run(new PrintWriter(System.out, true, StandardCharsets.UTF_8), new PrintWriter(System.err, true, StandardCharsets.UTF_8), args);
    System.exit(code);
  }

  /** Runs one command line with {@code out} and {@code err}; returns the exit code. For tests and embedding. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main()).setOut(out).setErr(err).setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((e, line, parsed) -> {
          if (e instanceof MeshledgerException || e instanceof IllegalArgumentException) {
            line.getErr().println(line.getCommandSpec().qualifiedName() + ": " + e.getMessage()); // an expected failure: no stack trace
          } else {
            line.getErr().println(line.getCommandSpec().qualifiedName() + ": unexpected failure:");
            e.printStackTrace(line.getErr());
          }
          line.getErr().flush();
          return CommandLine.ExitCode.SOFTWARE;
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command (meshledger help lists them)");
  }

  /** The version from the jar's manifest, when run from the packaged jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"meshledger " + (v == null ? "(development build)" : v), "Java " + Runtime.version()};
    }
  }
}
