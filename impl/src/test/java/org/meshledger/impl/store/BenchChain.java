package org.meshledger.impl.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.CommitSignature;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Signature;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.spi.StateChanges;
import org.meshledger.spi.StoreContext;

/**
 * Blocks for measuring stores, fast to make: real encodings and ids, but signatures are random bytes (a store
 * never checks them, and signing would dominate the measurement). 80% DATA writes of 100 bytes to 10,000 keys,
 * 20% transfers, among 100 accounts; 4 validators sign each certificate.
 */
final class BenchChain {
  static final String CHAIN = "bench";
  final Hash genesis = Hash.sha256(new byte[] {'g'});
  private final Random random;
  private final List<AccountId> accounts = new ArrayList<>();
  private final ValidatorSet validators;
  private final Map<AccountId, AccountState> states = new HashMap<>();
  private final Map<String, Long> versions = new HashMap<>();
  private long height;
  private Hash last = genesis;
  private java.util.Optional<CommitCertificate> lastCommit = java.util.Optional.empty();

  BenchChain(long seed) {
    random = new Random(seed);
    for (int i = 0; i < 100; i++) {
      accounts.add(new AccountId(bytes(32)));
    }
    List<NodeId> v = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      v.add(new NodeId(bytes(32)));
    }
    validators = ValidatorSet.of(v);
  }

  StoreContext context(java.nio.file.Path dir) {
    return new StoreContext(dir, CHAIN, genesis);
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  record Next(Block block, StateChanges changes) {}

  Next next(int count) {
    height++;
    List<Transaction> txs = new ArrayList<>(count);
    List<DataEntry> writes = new ArrayList<>();
    Map<AccountId, AccountState> touched = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      AccountId sender = accounts.get(random.nextInt(accounts.size()));
      AccountState s = touched.getOrDefault(sender, states.getOrDefault(sender, new AccountState(Amount.of(1_000_000_000L), 0)));
      Payload p = random.nextInt(10) < 8
          ? Payload.DataWrite.of("shipment-" + random.nextInt(10_000), bytes(100))
          : new Payload.Transfer(accounts.get(random.nextInt(accounts.size())), Amount.of(1));
      Transaction tx = Transaction.of(CHAIN, sender, s.nextNonce(), Amount.of(1), p, new Signature(bytes(64)));
      txs.add(tx);
      touched.put(sender, new AccountState(s.balance().minus(Amount.of(1)), s.nextNonce() + 1));
      if (p instanceof Payload.DataWrite w) {
        long version = versions.merge(w.key(), 1L, Long::sum);
        writes.add(new DataEntry(w.key(), w.value(), version, sender, height, i, tx.id()));
      }
    }
    states.putAll(touched);
    BlockHeader h = new BlockHeader(CHAIN, height, last, lastCommit.map(CommitCertificate::hash).orElse(Hash.ZERO), 1_700_000_000_000L + height,
        validators.validators().get(0), MerkleTree.rootOf(txs), txs.size(), Hash.ZERO, validators.hash());
    Hash hash = h.hash();
    List<CommitSignature> sigs = new ArrayList<>();
    for (NodeId v : validators.validators()) {
      sigs.add(new CommitSignature(v, new Signature(bytes(64))));
    }
    last = hash;
    Block block = new Block(h, txs, lastCommit, new CommitCertificate(height, 0, hash, sigs));
    lastCommit = java.util.Optional.of(block.certificate());
    return new Next(block, new StateChanges(writes, touched));
  }
}
