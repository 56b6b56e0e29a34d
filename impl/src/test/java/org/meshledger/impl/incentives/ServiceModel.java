package org.meshledger.impl.incentives;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.meshledger.IncentivePolicy;
import org.meshledger.IncentivePolicy.ServiceRules;
import org.meshledger.IncentiveReport.ServiceOutcome;
import org.meshledger.IncentiveReport;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Payload;
import org.meshledger.chain.TransactionResult;
import org.meshledger.genesis.Role;

/**
 * What the service-node rules say should happen, kept by the test apart from the ledger: who is registered with
 * which bond (registrations refused for a tier no era pays), who is leaving, who answered which window, and each epoch's outcome and penalty. It predicts each
 * service transaction's outcome in block order (with the reason a rejection must name) and, at a block's end,
 * closes the epoch and returns bonds. The test compares it with the ledger's record after every block.
 *
 * <p>The open window is derived the way a service node derives it ({@code ServiceDuty}): from the hash of the
 * block before the window's first block; a window opens only if some node is registered when it starts.
 */
final class ServiceModel {
  /**
   * A prediction of a transaction's result: its outcome and, for a rejection, words one of which its reason contains
   * (none: any reason).
   */
  record Expect(TransactionResult.Outcome outcome, List<String> reasons) {
    static final Expect ACCEPTED = new Expect(TransactionResult.Outcome.ACCEPTED, List.of());

    /** Failed: fee paid, nonce used, nothing else done. */
    static Expect rejected(String... reasons) {
      return new Expect(TransactionResult.Outcome.FAILED, List.of(reasons));
    }

    /** Invalid: no effect at all. */
    static Expect invalid(String... reasons) {
      return new Expect(TransactionResult.Outcome.INVALID, List.of(reasons));
    }

    boolean accepted() {
      return outcome == TransactionResult.Outcome.ACCEPTED;
    }

    boolean valid() {
      return outcome != TransactionResult.Outcome.INVALID;
    }

    /** Whether {@code result} is what this predicts. */
    boolean matches(TransactionResult result) {
      return result.outcome() == outcome && (reasons.isEmpty() || reasons.stream().anyMatch(result.reason()::contains));
    }
  }

  private final String chainId;
  private final Hash genesisHash;
  private final ServiceRules rules;
  private final TreeMap<AccountId, ServiceNode> nodes = new TreeMap<>();
  private final Set<Role> paidTiers = EnumSet.noneOf(Role.class);
  private Challenges.Window open;
  private Challenges.Window previous;

  ServiceModel(String chainId, Hash genesisHash, IncentivePolicy policy, Map<AccountId, Role> genesisTiers) {
    this.chainId = chainId;
    this.genesisHash = genesisHash;
    this.rules = policy.service();
    for (Role tier : List.of(Role.SECURE_NODE, Role.SUPER_NODE)) {
      String pool = tier == Role.SUPER_NODE ? IncentivePolicy.SUPER_NODES : IncentivePolicy.SECURE_NODES;
      if (policy.eras().stream().anyMatch(e -> e.share(pool) > 0)) {
        paidTiers.add(tier);
      }
    }
    genesisTiers.forEach((a, tier) -> nodes.put(a, new ServiceNode(a, tier, Amount.ZERO, 0, -1, 0, -1, 0, false)));
  }

  /** Starts block {@code height}: opens its window if it starts one and someone is registered. */
  void begin(long height, Hash previousHash) {
    if (Challenges.startsWindow(rules, height) && !nodes.isEmpty()) {
      previous = open;
      open = Challenges.window(chainId, rules, height, height == 1 ? genesisHash : previousHash);
    }
  }

  /** The window open at {@code height}, or null. */
  Challenges.Window openAt(long height) {
    return open != null && open.epoch() == rules.epochOf(height) && open.window() == rules.windowOf(height) ? open : null;
  }

  /** The window before the open one, if a challenge was computed for it: an answer to it is late. */
  Challenges.Window previous() {
    return previous;
  }

  ServiceNode node(AccountId account) {
    return nodes.get(account);
  }

  /** The registered nodes, as the ledger's record should list them. */
  List<ServiceNode> nodes() {
    return List.copyOf(nodes.values());
  }

  /** The bonds the escrow should hold. */
  long bonds() {
    return nodes.values().stream().mapToLong(n -> n.bond().units()).sum();
  }

  /** {@code sender}'s registration as {@code tier} with {@code balance} left after the fee. */
  Expect register(AccountId sender, Role tier, long balance, long height) {
    if (!paidTiers.contains(tier)) {
      return Expect.rejected("no era of this chain's incentive policy gives the");
    }
    ServiceNode n = nodes.get(sender);
    if (n != null) {
      return n.leaving() ? Expect.rejected("still leaving") : Expect.rejected("already registered as " + n.tier().jsonName());
    }
    if (balance < rules.bond(tier).units()) {
      return Expect.rejected("cannot lock the " + tier.jsonName() + " bond");
    }
    nodes.put(sender, new ServiceNode(sender, tier, rules.bond(tier), height, -1, 0, -1, 0, false));
    return Expect.ACCEPTED;
  }

  Expect exit(AccountId sender, long height) {
    ServiceNode n = nodes.get(sender);
    if (n == null) {
      return Expect.rejected("not a registered service node");
    }
    if (n.leaving()) {
      return Expect.rejected("already leaving since block " + n.exitHeight());
    }
    nodes.put(sender, new ServiceNode(sender, n.tier(), n.bond(), n.registeredHeight(), height, n.answered(), n.lastAnswered(), n.penalty(),
        n.failedLast()));
    return Expect.ACCEPTED;
  }

  /** {@code sender}'s answer {@code r}; {@code rightProof} says whether its proof is the one for the open window. */
  Expect answer(AccountId sender, Payload.ChallengeResponse r, boolean rightProof, long height) {
    ServiceNode n = nodes.get(sender);
    if (n == null) {
      return Expect.rejected("is not a registered service node");
    }
    if (n.leaving()) {
      return Expect.rejected("leaving the service nodes");
    }
    Challenges.Window w = openAt(height);
    if (w == null) {
      return Expect.rejected("no challenge is open");
    }
    if (r.epoch() != w.epoch() || !r.challenge().equals(w.challenge())) {
      return Expect.rejected("late", "wrong challenge");
    }
    long windowStart = height - (height - 1) % rules.challengeInterval();
    if (n.registeredHeight() >= windowStart) {
      return Expect.rejected("answers count from the next window");
    }
    if (n.lastAnswered() == w.index(rules)) {
      return Expect.rejected("replayed");
    }
    if (!rightProof) {
      return Expect.rejected("wrong proof");
    }
    nodes.put(sender, new ServiceNode(sender, n.tier(), n.bond(), n.registeredHeight(), n.exitHeight(), n.answered() + 1, w.index(rules),
        n.penalty(), n.failedLast()));
    return Expect.ACCEPTED;
  }

  /**
   * Ends block {@code height}: at an epoch's last block returns what each node's result should say (its earnings
   * left 0: the test checks them against the pools), then returns the bonds whose delay is over.
   */
  List<IncentiveReport.ServiceResult> end(long height) {
    List<IncentiveReport.ServiceResult> results = new ArrayList<>();
    if (Challenges.endsEpoch(rules, height)) {
      long epochStart = height - rules.epochLength() + 1;
      for (ServiceNode n : List.copyOf(nodes.values())) {
        int penalty = n.penalty();
        boolean failed = false;
        ServiceOutcome outcome;
        if (n.leaving()) {
          outcome = ServiceOutcome.LEAVING;
        } else if (n.registeredHeight() >= epochStart) {
          outcome = ServiceOutcome.JOINED_MID_EPOCH;
        } else if (n.answered() * 100 >= (long) rules.thresholdPercent(n.tier()) * rules.windowsPerEpoch()) {
          outcome = penalty > 0 && rules.maxPenalty() > 0 ? ServiceOutcome.PENALISED : ServiceOutcome.EARNED;
          penalty = Math.max(0, penalty - 1);
        } else {
          outcome = ServiceOutcome.BELOW_THRESHOLD;
          failed = true;
          if (n.failedLast()) {
            penalty = Math.min(rules.maxPenalty(), penalty + 2);
          }
        }
        results.add(new IncentiveReport.ServiceResult(n.account(), n.tier(), n.answered(), rules.windowsPerEpoch(), outcome, penalty, Amount.ZERO));
        nodes.put(n.account(), new ServiceNode(n.account(), n.tier(), n.bond(), n.registeredHeight(), n.exitHeight(), 0, n.lastAnswered(), penalty,
            failed));
      }
    }
    nodes.values().removeIf(n -> n.leaving() && height >= n.exitHeight() + rules.unbondingDelay());
    return results;
  }
}
