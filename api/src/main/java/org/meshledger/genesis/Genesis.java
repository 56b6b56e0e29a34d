package org.meshledger.genesis;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.meshledger.ConfigurationException;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Limits;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.codec.CanonicalWriter;

/**
 * The founding document of a network: its chain id, its members and their roles, the consensus and incentive
 * parameters, and the initial balances. Every node of a network starts from the same genesis; its
 * {@linkplain #hash() hash} is the chain's identity, checked in every handshake and linked from the first
 * block.
 *
 * <p>Genesis files are JSON (see {@code docs/genesis.md}); {@link #fromJson(Path)} reads one and fails with a
 * {@link ConfigurationException} that names the bad field. The hash is taken over the canonical binary
 * encoding, not the JSON text, so reformatting a file does not change the chain.
 *
 * @param chainId 1 to 64 characters of {@code [A-Za-z0-9._-]}
 * @param genesisTime the chain's start, to the millisecond
 * @param permissioned true if only members may connect (the default); false for an open network
 * @param members the members, unique by name and key, with at least one validator
 * @param consensus the consensus parameters
 * @param incentives how the chain pays for its work ({@link IncentivePolicy#none()} for a chain without a currency)
 * @param balances initial balances, by account (sorted on copy)
 */
public record Genesis(String chainId, Instant genesisTime, boolean permissioned, List<Member> members,
    ConsensusParameters consensus, IncentivePolicy incentives, Map<AccountId, Amount> balances) {
  /** The version byte that starts the encoding. */
  public static final int VERSION = 2;

  public Genesis {
    Limits.checkChainId(chainId);
    Objects.requireNonNull(genesisTime, "genesisTime");
    if (genesisTime.toEpochMilli() < 0 || genesisTime.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException("genesisTime must be after 1970 and whole milliseconds, got " + genesisTime);
    }
    members = List.copyOf(members);
    if (members.size() > Limits.MAX_MEMBERS) {
      throw new IllegalArgumentException("a genesis lists at most " + Limits.MAX_MEMBERS + " members, got " + members.size());
    }
    Set<String> names = new HashSet<>();
    Set<NodeId> keys = new HashSet<>();
    int validators = 0;
    for (Member m : members) {
      if (!names.add(m.name())) {
        throw new IllegalArgumentException("member name '" + m.name() + "' is used twice");
      }
      if (!keys.add(m.key())) {
        throw new IllegalArgumentException("member key " + m.key() + " is listed twice");
      }
      validators += m.has(Role.VALIDATOR) ? 1 : 0;
    }
    if (validators == 0) {
      throw new IllegalArgumentException("a genesis needs at least one member with the role 'validator'");
    }
    if (validators > Limits.MAX_VALIDATORS) {
      throw new IllegalArgumentException("at most " + Limits.MAX_VALIDATORS + " validators, got " + validators);
    }
    Objects.requireNonNull(consensus, "consensus");
    Objects.requireNonNull(incentives, "incentives");
    TreeMap<AccountId, Amount> sorted = new TreeMap<>(balances);
    Amount total = Amount.ZERO;
    for (Amount a : sorted.values()) {
      total = total.plus(Objects.requireNonNull(a, "balance")); // fails on overflow: total supply must fit a long
    }
    balances = java.util.Collections.unmodifiableMap(sorted);
  }

  /**
   * A genesis built in code, beside the JSON file: {@code Genesis.builder("supply-chain").member("carrier", key,
   * Role.VALIDATOR)...treasury(account).build()}. Defaults: permissioned, started now (to the millisecond),
   * {@link ConsensusParameters#DEFAULTS}, no balances.
   */
  public static Builder builder(String chainId) {
    return new Builder(chainId);
  }

  /** Collects a genesis; {@link #build()} checks it as the record's constructor does. Not thread-safe. */
  public static final class Builder {
    private final String chainId;
    private Instant genesisTime = Instant.ofEpochMilli(System.currentTimeMillis());
    private boolean permissioned = true;
    private final List<Member> members = new ArrayList<>();
    private ConsensusParameters consensus = ConsensusParameters.DEFAULTS;
    private IncentivePolicy incentives = IncentivePolicy.none();
    private final Map<AccountId, Amount> balances = new TreeMap<>();

    private Builder(String chainId) {
      this.chainId = Objects.requireNonNull(chainId, "chainId");
    }

    /** The chain's start (truncated to the millisecond); default the moment the builder was made. */
    public Builder genesisTime(Instant time) {
      this.genesisTime = Instant.ofEpochMilli(Objects.requireNonNull(time, "genesisTime").toEpochMilli());
      return this;
    }

    /** An open network: any node may connect and follow (only members validate). Default: members only. */
    public Builder open() {
      this.permissioned = false;
      return this;
    }

    /** A member with its roles, in the order listed (at least one member must be a validator). */
    public Builder member(String name, NodeId key, Role... roles) {
      members.add(Member.of(name, key, roles));
      return this;
    }

    /** The consensus timing and block size; default {@link ConsensusParameters#DEFAULTS}. */
    public Builder consensus(ConsensusParameters consensus) {
      this.consensus = Objects.requireNonNull(consensus, "consensus");
      return this;
    }

    /** How the chain pays for its work; default {@link IncentivePolicy#none()}: no currency minted, fees burnt. */
    public Builder incentives(IncentivePolicy incentives) {
      this.incentives = Objects.requireNonNull(incentives, "incentives");
      return this;
    }

    /** Nothing minted and every fee to {@code treasury}: {@link IncentivePolicy#feesTo}. */
    public Builder treasury(AccountId treasury) {
      return incentives(IncentivePolicy.feesTo(treasury));
    }

    /** An initial balance of {@code account} (given again, the last one counts). */
    public Builder balance(AccountId account, Amount amount) {
      balances.put(Objects.requireNonNull(account, "account"), Objects.requireNonNull(amount, "amount"));
      return this;
    }

    /**
     * @throws ConfigurationException naming what is missing or wrong (the same checks as the JSON file's, without
     *     its field paths)
     */
    public Genesis build() {
      try {
        return new Genesis(chainId, genesisTime, permissioned, members, consensus, incentives, balances);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("genesis '" + chainId + "': " + e.getMessage(), e);
      }
    }
  }

  /** Reads a genesis file; every problem is a {@link ConfigurationException} naming the file and field. */
  public static Genesis fromJson(Path file) {
    return GenesisJson.read(file);
  }

  /** Parses genesis JSON text; every problem is a {@link ConfigurationException} naming the field. */
  public static Genesis fromJson(String json) {
    return GenesisJson.parse(json, "genesis");
  }

  /** This genesis as JSON text that {@link #fromJson(String)} reads back to an equal value. */
  public String toJson() {
    return GenesisJson.write(this);
  }

  /** The sum of the initial balances: the supply before any block mints or burns. */
  public Amount supply() {
    Amount total = Amount.ZERO;
    for (Amount a : balances.values()) {
      total = total.plus(a); // cannot overflow: the constructor checked the same sum
    }
    return total;
  }

  /** The validators, each with one vote. */
  public ValidatorSet validators() {
    List<NodeId> keys = new ArrayList<>();
    members.stream().filter(m -> m.has(Role.VALIDATOR)).forEach(m -> keys.add(m.key()));
    return ValidatorSet.of(keys);
  }

  /** The member with key {@code key}, if any. */
  public Optional<Member> member(NodeId key) {
    return members.stream().filter(m -> m.key().equals(key)).findFirst();
  }

  /** SHA-256 of {@link #encode()}: the chain's identity. */
  public Hash hash() {
    return Hash.sha256(encode());
  }

  /** The canonical encoding (see {@code docs/protocol.md}). Members are written in the order listed. */
  public byte[] encode() {
    CanonicalWriter w = new CanonicalWriter(512 + 200 * members.size());
    w.u8(VERSION).string(chainId).i64(genesisTime.toEpochMilli()).bool(permissioned);
    w.count(members.size());
    for (Member m : members) {
      w.string(m.name());
      m.key().writeTo(w);
      w.u8(Role.mask(m.roles()));
    }
    w.i64(consensus.proposeTimeout().toMillis()).i64(consensus.voteTimeout().toMillis())
        .i64(consensus.timeoutIncrement().toMillis()).i64(consensus.blockInterval().toMillis())
        .i64(consensus.heartbeat().toMillis()).i32(consensus.maxBlockTransactions());
    IncentiveCodec.write(incentives, w);
    w.count(balances.size());
    balances.forEach((account, amount) -> {
      account.writeTo(w);
      w.i64(amount.units());
    });
    return w.toByteArray();
  }
}
