package org.meshledger.impl.incentives;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;

/**
 * The ledger record {@value #KEY}: the incentive state after a block. One record, rewritten by every block that
 * changes it, so that the state digest covers it and every validator agrees on it.
 *
 * @param minted everything minted since the genesis
 * @param burnt everything burnt since the genesis
 * @param challenge the challenge of the current window, or null before the first
 * @param previous the challenge of the window before it, or null: an answer to it is late
 * @param nodes the registered service nodes (leaving ones until their bond returns), sorted by account
 * @param epochRewards what each account earned so far in the current epoch, sorted by account
 */
public record IncentiveState(Amount minted, Amount burnt, Challenges.Window challenge, Challenges.Window previous, List<ServiceNode> nodes,
    SortedMap<AccountId, Amount> epochRewards) {
  /** The record's key. */
  public static final String KEY = "meshledger/incentives";
  /** The prefix of each closed epoch's record: {@code meshledger/incentives/epoch/<epoch>}. */
  public static final String EPOCH_PREFIX = "meshledger/incentives/epoch/";
  static final int VERSION = 1;
  private static final int MAX_NODES = 100_000;

  public IncentiveState {
    Objects.requireNonNull(minted, "minted");
    Objects.requireNonNull(burnt, "burnt");
    List<ServiceNode> sorted = new ArrayList<>(nodes);
    sorted.sort((a, b) -> a.account().compareTo(b.account()));
    nodes = List.copyOf(sorted);
    epochRewards = Collections.unmodifiableSortedMap(new TreeMap<>(epochRewards));
  }

  static final IncentiveState EMPTY = new IncentiveState(Amount.ZERO, Amount.ZERO, null, null, List.of(), new TreeMap<>());

  /** The node of {@code account}, or null. */
  public ServiceNode node(AccountId account) {
    for (ServiceNode n : nodes) {
      if (n.account().equals(account)) {
        return n;
      }
    }
    return null;
  }

  IncentiveState withNodes(List<ServiceNode> nodes) {
    return new IncentiveState(minted, burnt, challenge, previous, nodes, epochRewards);
  }

  IncentiveState withNode(ServiceNode node) {
    List<ServiceNode> next = new ArrayList<>();
    for (ServiceNode n : nodes) {
      if (!n.account().equals(node.account())) {
        next.add(n);
      }
    }
    next.add(node);
    return withNodes(next);
  }

  IncentiveState withTotals(Amount minted, Amount burnt, SortedMap<AccountId, Amount> epochRewards) {
    return new IncentiveState(minted, burnt, challenge, previous, nodes, epochRewards);
  }

  IncentiveState withChallenge(Challenges.Window window) {
    return new IncentiveState(minted, burnt, window, challenge, nodes, epochRewards);
  }

  public byte[] encode() {
    CanonicalWriter w = new CanonicalWriter(128 + 80 * nodes.size() + 40 * epochRewards.size());
    w.u8(VERSION).i64(minted.units()).i64(burnt.units()).bool(challenge != null);
    if (challenge != null) {
      challenge.writeTo(w);
    }
    w.bool(previous != null);
    if (previous != null) {
      previous.writeTo(w);
    }
    w.count(nodes.size());
    nodes.forEach(n -> n.writeTo(w));
    w.count(epochRewards.size());
    epochRewards.forEach((a, v) -> {
      a.writeTo(w);
      w.i64(v.units());
    });
    return w.toByteArray();
  }

  public static IncentiveState decode(byte[] bytes) {
    CanonicalReader r = new CanonicalReader(bytes);
    r.version(VERSION, "incentive state");
    Amount minted = Amount.of(r.nonNegative("minted"));
    Amount burnt = Amount.of(r.nonNegative("burnt"));
    Challenges.Window challenge = r.bool("has challenge") ? Challenges.Window.readFrom(r) : null;
    Challenges.Window previous = r.bool("has previous challenge") ? Challenges.Window.readFrom(r) : null;
    int n = r.count(MAX_NODES, 32, "service nodes");
    List<ServiceNode> nodes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      nodes.add(ServiceNode.readFrom(r));
    }
    int m = r.count(MAX_NODES, 40, "epoch rewards");
    TreeMap<AccountId, Amount> rewards = new TreeMap<>();
    for (int i = 0; i < m; i++) {
      rewards.put(AccountId.readFrom(r, "rewarded account"), Amount.of(r.nonNegative("reward")));
    }
    r.end("incentive state");
    return new IncentiveState(minted, burnt, challenge, previous, nodes, rewards);
  }
}
