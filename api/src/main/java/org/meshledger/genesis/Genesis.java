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
 * @param incentives the reward and service-epoch parameters
 * @param balances initial balances, by account (sorted on copy)
 */
public record Genesis(String chainId, Instant genesisTime, boolean permissioned, List<Member> members,
    ConsensusParameters consensus, IncentiveParameters incentives, Map<AccountId, Amount> balances) {
  /** The version byte that starts the encoding. */
  public static final int VERSION = 1;

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
    w.i64(incentives.blockReward().units());
    incentives.treasury().writeTo(w);
    w.i64(incentives.epochLength()).i64(incentives.responseWindow()).count(incentives.splits().size());
    for (RewardSplit s : incentives.splits()) {
      w.i64(s.fromHeight()).i32(s.producerBps()).i32(s.secureNodesBps()).i32(s.superNodesBps()).i32(s.treasuryBps());
    }
    w.count(balances.size());
    balances.forEach((account, amount) -> {
      account.writeTo(w);
      w.i64(amount.units());
    });
    return w.toByteArray();
  }
}
