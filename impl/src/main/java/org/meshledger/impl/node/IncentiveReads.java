package org.meshledger.impl.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.meshledger.IncentivePolicy;
import org.meshledger.IncentiveReport;
import org.meshledger.chain.Amount;
import org.meshledger.genesis.Genesis;
import org.meshledger.impl.incentives.EpochRecord;
import org.meshledger.impl.incentives.IncentiveState;
import org.meshledger.impl.incentives.Incentives;
import org.meshledger.impl.incentives.ServiceNode;
import org.meshledger.spi.BlockStore;

/**
 * The incentive reads of {@link org.meshledger.Ledger}: what the ledger records say, turned into the API's values.
 * Every method reads the store and blocks: on a worker thread only.
 */
final class IncentiveReads {
  private final Genesis genesis;
  private final BlockStore store;
  private final Incentives incentives;
  private final Amount genesisSupply;

  IncentiveReads(Genesis genesis, BlockStore store, Incentives incentives) {
    this.genesis = genesis;
    this.store = store;
    this.incentives = incentives;
    this.genesisSupply = genesis.supply();
  }

  /** The state record and the height it is of: read again if a block was appended between the two reads. */
  private Snapshot snapshot() {
    while (true) {
      long height = store.height();
      Optional<byte[]> record = store.record(IncentiveState.KEY);
      if (store.height() == height) {
        return new Snapshot(height, record.map(IncentiveState::decode).orElseGet(incentives::initial));
      }
    }
  }

  private record Snapshot(long height, IncentiveState state) {}

  IncentiveReport report() {
    Snapshot s = snapshot();
    IncentivePolicy p = genesis.incentives();
    IncentivePolicy.ServiceRules rules = p.service();
    List<IncentiveReport.ServiceStanding> standings = new ArrayList<>();
    for (ServiceNode n : s.state().nodes()) {
      standings.add(standing(rules, n));
    }
    long next = s.height() + 1;
    return new IncentiveReport(s.height(), genesisSupply.plus(s.state().minted()).minus(s.state().burnt()), s.state().minted(), s.state().burnt(),
        p.eraIndexAt(next), rules.epochOf(next), standings, s.state().epochRewards());
  }

  static IncentiveReport.ServiceStanding standing(IncentivePolicy.ServiceRules rules, ServiceNode n) {
    long needed = (rules.thresholdPercent(n.tier()) * rules.windowsPerEpoch() + 99) / 100; // the least answers that meet it
    return new IncentiveReport.ServiceStanding(n.account(), n.tier(), n.bond(), n.registeredHeight(),
        n.leaving() ? OptionalLong.of(n.exitHeight()) : OptionalLong.empty(), n.answered(), rules.windowsPerEpoch(), needed, n.penalty());
  }

  Optional<IncentiveReport.EpochRewards> rewards(long epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch cannot be negative, got " + epoch);
    }
    return store.record(EpochRecord.key(epoch)).map(EpochRecord::decode);
  }
}
