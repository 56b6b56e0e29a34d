package org.meshledger.samples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.meshledger.ConfigurationException;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.NodeId;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code genesis}: a genesis file (docs/genesis.md) from the members' public ids and roles. */
@Command(name = "genesis", mixinStandardHelpOptions = true, description = {"Writes a genesis file from the members' public ids.",
    "Every node of the network starts from this same file; its hash is the chain's identity."})
final class GenesisCommand implements Callable<Integer> {
  /** The incentive presets: none (no currency), fees (every fee to the treasury), horizen (Horizen's eras, in zatoshi). */
  enum Incentives { NONE, FEES, HORIZEN }

  @Spec
  CommandSpec spec;

  @Option(names = "--chain-id", required = true, description = "the chain's name, unique to this network")
  String chainId;

  @Option(names = "--member", required = true, paramLabel = "NAME=ID[:ROLE,...]", description = {
      "a member: its name, its public id (from keygen) and roles (validator, observer, secure-node, super-node; default validator).",
      "Repeat for each member, in a fixed order: the order is part of the chain's identity."})
  List<String> members;

  @Option(names = "--out", paramLabel = "FILE", description = "where to write the genesis (default: print it)")
  Path out;

  @Option(names = "--force", description = "replace an existing --out file")
  boolean force;

  @Option(names = "--open", description = "an open network: anyone may connect and follow; only members validate")
  boolean open;

  @Option(names = "--genesis-time", paramLabel = "INSTANT", description = "the chain's start, ISO-8601 (default: now)")
  Instant genesisTime;

  @Option(names = "--incentives", defaultValue = "none", paramLabel = "PRESET", description = "none, fees or horizen (default ${DEFAULT-VALUE})")
  Incentives incentives;

  @Option(names = "--treasury", paramLabel = "ACCOUNT", description = "the treasury account (needed by fees and horizen)")
  String treasury;

  @Option(names = "--balance", paramLabel = "ACCOUNT=UNITS", description = "an initial balance; repeat for more")
  Map<String, Long> balances;

  @Option(names = "--propose-timeout", converter = Durations.class, description = "round 0's wait for a proposal (default 1s)")
  Duration proposeTimeout = ConsensusParameters.DEFAULTS.proposeTimeout();

  @Option(names = "--vote-timeout", converter = Durations.class, description = "wait for more votes after two thirds (default 500ms)")
  Duration voteTimeout = ConsensusParameters.DEFAULTS.voteTimeout();

  @Option(names = "--timeout-increment", converter = Durations.class, description = "added to both timeouts per round (default 500ms)")
  Duration timeoutIncrement = ConsensusParameters.DEFAULTS.timeoutIncrement();

  @Option(names = "--block-interval", converter = Durations.class, description = "least time between blocks (default 100ms)")
  Duration blockInterval = ConsensusParameters.DEFAULTS.blockInterval();

  @Option(names = "--heartbeat", converter = Durations.class, description = "longest time without a block while idle (default 10s)")
  Duration heartbeat = ConsensusParameters.DEFAULTS.heartbeat();

  @Option(names = "--max-block-transactions", description = "most transactions a block holds (default 5000)")
  int maxBlockTransactions = ConsensusParameters.DEFAULTS.maxBlockTransactions();

  @Override
  public Integer call() {
    Genesis genesis = build();
    String json = genesis.toJson();
    if (out == null) {
      spec.commandLine().getOut().println(json);
    } else {
      write(out, json, force);
      spec.commandLine().getOut().println("wrote " + out + ": chain '" + genesis.chainId() + "', " + genesis.members().size() + " members, "
          + genesis.validators().size() + " validators (tolerates " + genesis.validators().tolerated() + " failed), genesis hash "
          + genesis.hash().toHex());
    }
    return 0;
  }

  Genesis build() {
    Genesis.Builder b = Genesis.builder(chainId).genesisTime(genesisTime != null ? genesisTime : Instant.now());
    if (open) {
      b.open();
    }
    for (String m : members) {
      Member parsed = Member.parse(m);
      b.member(parsed.name, parsed.key, parsed.roles.toArray(new Role[0]));
    }
    b.consensus(consensus());
    b.incentives(policy());
    if (balances != null) {
      balances.forEach((account, units) -> b.balance(account("--balance", account), Amount.of(units)));
    }
    return b.build();
  }

  private ConsensusParameters consensus() {
    try {
      return new ConsensusParameters(proposeTimeout, voteTimeout, timeoutIncrement, blockInterval, heartbeat, maxBlockTransactions);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("consensus options: " + e.getMessage(), e);
    }
  }

  private IncentivePolicy policy() {
    if (incentives == Incentives.NONE) {
      if (treasury != null) {
        throw new ConfigurationException("--treasury needs --incentives fees or horizen; with none there is no currency");
      }
      return IncentivePolicy.none();
    }
    if (treasury == null) {
      throw new ConfigurationException("--incentives " + incentives.name().toLowerCase(java.util.Locale.ROOT) + " needs --treasury ACCOUNT");
    }
    AccountId t = account("--treasury", treasury);
    return incentives == Incentives.FEES ? IncentivePolicy.feesTo(t) : IncentivePolicy.horizen(t);
  }

  private static AccountId account(String option, String hex) {
    try {
      return AccountId.fromHex(hex.strip());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(option + " " + hex + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code text} to {@code file}, refusing to replace one unless {@code force}. */
  static void write(Path file, String text, boolean force) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      if (force) {
        Files.writeString(file, text, StandardCharsets.UTF_8);
      } else {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      }
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new ConfigurationException(file + " already exists; --force replaces it", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** One {@code --member NAME=ID[:ROLE,...]}. */
  record Member(String name, NodeId key, List<Role> roles) {
    static Member parse(String text) {
      int eq = text.indexOf('=');
      if (eq <= 0) {
        throw new ConfigurationException("--member " + text + ": write NAME=ID[:ROLE,...], such as carrier=204040e3...:validator");
      }
      String name = text.substring(0, eq).strip();
      String rest = text.substring(eq + 1);
      int colon = rest.indexOf(':');
      String id = colon < 0 ? rest : rest.substring(0, colon);
      NodeId key;
      try {
        key = NodeId.fromHex(id.strip());
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("--member " + text + ": the id " + e.getMessage(), e);
      }
      List<Role> roles = new ArrayList<>();
      if (colon < 0) {
        roles.add(Role.VALIDATOR);
      } else {
        for (String r : rest.substring(colon + 1).split(",")) {
          try {
            roles.add(Role.fromJsonName(r.strip()));
          } catch (IllegalArgumentException e) {
            throw new ConfigurationException("--member " + text + ": " + e.getMessage(), e);
          }
        }
      }
      return new Member(name, key, roles);
    }
  }
}
