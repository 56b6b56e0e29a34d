package org.meshledger.impl.node;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.genesis.Genesis;
import org.meshledger.impl.incentives.IncentiveState;
import org.meshledger.impl.incentives.Incentives;
import org.meshledger.impl.incentives.ServiceNode;

/**
 * The incentive figures of the last stored block, kept in memory for the meters: a scrape reads a volatile snapshot
 * and never the store. The ledger feeds it the record {@link IncentiveState#KEY} that each stored block's execution
 * set ({@link #stored}), and at start what the store held ({@link #resume}, read on a worker). The figures are those
 * {@link org.meshledger.Ledger#incentives()} reports at the same height.
 *
 * <p>Threads: {@link #resume} and {@link #stored} on the node's context; the reads on any thread. One listener
 * ({@link #onStored}) runs on the context after each update; it must not block.
 */
final class IncentiveFigures {
  private static final Logger LOG = System.getLogger("org.meshledger.incentives");
  /** The state after block {@code height} (0: the genesis). */
  private record Snapshot(long height, IncentiveState state) {}

  private final IncentivePolicy policy;
  private final Amount genesisSupply;
  private final IncentiveState initial;
  private volatile Snapshot current;
  private volatile Runnable listener = () -> { };

  IncentiveFigures(Genesis genesis, Incentives incentives) {
    this.policy = genesis.incentives();
    this.genesisSupply = genesis.supply();
    this.initial = incentives.initial();
    this.current = new Snapshot(0, initial);
  }

  /** The state after the stored block {@code height}: its record as the store holds it, if any. On the context. */
  void resume(long height, Optional<byte[]> record) {
    current = new Snapshot(height, decode(record.orElse(null)));
    notifyListener();
  }

  /**
   * Block {@code height} is stored; {@code record} is the value its execution set for {@link IncentiveState#KEY},
   * or null if it left the record as it was. On the context. Never throws: a record that does not decode (execution
   * wrote it, so a bug) is logged and the figures keep the state before it, so the meters cannot break the ledger.
   */
  void stored(long height, byte[] record) {
    IncentiveState state = current.state();
    if (record != null) {
      try {
        state = decode(record);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "the incentive record of block " + height + " does not decode; the incentive meters keep the state"
            + " before it: " + e);
      }
    }
    current = new Snapshot(height, state);
    notifyListener();
  }

  private void notifyListener() {
    try {
      listener.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the incentive meters' listener failed: " + e);
    }
  }

  private IncentiveState decode(byte[] record) {
    return record == null || record.length == 0 ? initial : IncentiveState.decode(record);
  }

  /** Has {@code listener} run on the context after each update (replacing the one before); null for none. */
  void onStored(Runnable listener) {
    this.listener = listener == null ? () -> { } : listener;
  }

  /** The genesis balances plus everything minted minus everything burnt. */
  long supply() {
    IncentiveState s = current.state();
    return genesisSupply.plus(s.minted()).minus(s.burnt()).units();
  }

  long minted() {
    return current.state().minted().units();
  }

  long burnt() {
    return current.state().burnt().units();
  }

  /** The index of the era in force at the next block, as {@link org.meshledger.IncentiveReport#era()}. */
  int era() {
    return policy.eraIndexAt(current.height() + 1);
  }

  /** The epoch of the next block, as {@link org.meshledger.IncentiveReport#epoch()}. */
  long epoch() {
    return policy.service().epochOf(current.height() + 1);
  }

  /** The registered service nodes (leaving ones until their bond returns). */
  int serviceNodes() {
    return current.state().nodes().size();
  }

  /**
   * The windows of the current epoch {@code account} answered on time, if it is a registered service node. A binary
   * search (the nodes are sorted by account): it runs after every stored block until the node is one.
   */
  OptionalLong answered(AccountId account) {
    Objects.requireNonNull(account, "account");
    List<ServiceNode> nodes = current.state().nodes();
    int low = 0;
    int high = nodes.size() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = nodes.get(mid).account().compareTo(account);
      if (c == 0) {
        return OptionalLong.of(nodes.get(mid).answered());
      } else if (c < 0) {
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return OptionalLong.empty();
  }
}
