package org.meshledger.impl.crash;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Block;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.TransactionResult.Outcome;
import org.meshledger.genesis.Genesis;
import org.meshledger.spi.BlockStore;

/**
 * The ledger's rules written again, small and independent of the executor (docs/adr/006-execution.md): the
 * state that replaying the committed transactions from the genesis balances gives, to compare with what each
 * node's store holds. Fees go to the treasury; no rewards are minted in these chains' accounts.
 */
final class Replay {
  private final Genesis genesis;
  private final Map<AccountId, long[]> accounts = new HashMap<>(); // balance, next nonce
  private final Map<String, Long> versions = new HashMap<>();
  private final Map<String, byte[]> values = new HashMap<>();

  Replay(Genesis genesis) {
    this.genesis = genesis;
    genesis.balances().forEach((a, amount) -> accounts.put(a, new long[] {amount.units(), 0}));
  }

  /** Applies {@code block}; returns the outcome of each transaction, in block order. */
  Outcome[] apply(Block block) {
    List<Transaction> txs = block.transactions();
    Outcome[] out = new Outcome[txs.size()];
    for (int i = 0; i < txs.size(); i++) {
      out[i] = apply(txs.get(i));
    }
    return out;
  }

  private Outcome apply(Transaction tx) {
    long[] from = account(tx.sender());
    long fee = tx.fee().units();
    if (!tx.chainId().equals(genesis.chainId()) || tx.nonce() != from[1] || from[0] < fee) {
      return Outcome.INVALID;
    }
    from[0] -= fee;
    from[1]++;
    if (fee > 0) {
      account(genesis.incentives().treasury().orElseThrow())[0] += fee; // the consortium's policy: every fee to the treasury
    }
    if (tx.payload() instanceof Payload.Transfer t) {
      if (from[0] < t.amount().units()) {
        return Outcome.FAILED;
      }
      from[0] -= t.amount().units();
      account(t.to())[0] += t.amount().units();
    } else if (tx.payload() instanceof Payload.DataWrite w) {
      long current = versions.getOrDefault(w.key(), 0L);
      if (w.expectedVersion().isPresent() && w.expectedVersion().getAsLong() != current) {
        return Outcome.FAILED;
      }
      versions.put(w.key(), current + 1);
      values.put(w.key(), w.value());
    }
    return Outcome.ACCEPTED;
  }

  /** Where {@code store}'s state differs from the replayed one, as messages naming {@code node}; empty if nowhere. */
  List<String> differences(String node, BlockStore store, long height) {
    List<String> out = new java.util.ArrayList<>();
    accounts.forEach((a, s) -> {
      AccountState held = store.account(a);
      if (held.balance().units() != s[0] || held.nextNonce() != s[1]) {
        out.add(node + " at height " + height + ": account " + a.toHex().substring(0, 16) + " holds balance " + held.balance().units()
            + " nonce " + held.nextNonce() + "; replaying the chain gives balance " + s[0] + " nonce " + s[1]);
      }
    });
    versions.forEach((key, version) -> {
      Optional<DataEntry> held = store.current(key);
      if (held.isEmpty() || held.get().version() != version || !Arrays.equals(held.get().value(), values.get(key))) {
        out.add(node + " at height " + height + ": key " + key + " is " + held.map(e -> "at version " + e.version()).orElse("absent")
            + "; replaying the chain gives version " + version);
      }
    });
    return out;
  }

  private long[] account(AccountId a) {
    return accounts.computeIfAbsent(a, k -> new long[2]);
  }
}
