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
import org.meshledger.chain.TransactionResult;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.StateChanges;
import org.meshledger.spi.StoreContext;

/**
 * Blocks shaped like a busy node's, continuing whatever chain a store holds: 1 to 5,000 transactions per block
 * (most blocks small, some large), DATA writes of 10 bytes to 16 KiB over 20,000 keys, transfers (a few of them
 * rejected), a state digest per block, a ledger record ({@link #TIP_RECORD}) set to the block's height. Signatures are random bytes (a store never checks them), so blocks are
 * cheap to make; ids, Merkle roots, hashes and links are real. Key versions and account states are read from
 * the store the first time they are needed, so a chain can continue in a new process after a crash.
 */
final class NodeLikeChain {
  static final String CHAIN = "crash-chain";
  static final Hash GENESIS = Hash.sha256(new byte[] {'c', 'r', 'a', 's', 'h'});
  static final int KEYS = 20_000;
  /** The ledger record every block sets to its own height (8 bytes, big-endian): the last block's is the store's height. */
  static final String TIP_RECORD = "meshledger/crash/tip";
  /**
   * Block {@code h} also sets the record {@link #slot}{@code (h % SLOTS)} to {@code h}: a record lost in the middle
   * of a group of appends stays visible until a block {@code SLOTS} higher sets its slot again, where the tip record
   * is set again by the next block.
   */
  static final int SLOTS = 64;

  private final BlockStore store;
  private final Random random;
  private final List<AccountId> accounts = new ArrayList<>();
  private final ValidatorSet validators;
  private final Map<String, Long> versions = new HashMap<>();
  private final Map<AccountId, AccountState> states = new HashMap<>();
  private long height;
  private Hash last;
  private java.util.Optional<CommitCertificate> lastCommit;

  NodeLikeChain(BlockStore store, long seed) {
    this.store = store;
    this.random = new Random(seed);
    Random fixed = new Random(42); // the same accounts and validators in every process
    for (int i = 0; i < 200; i++) {
      accounts.add(new AccountId(bytes(fixed, 32)));
    }
    List<NodeId> v = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      v.add(new NodeId(bytes(fixed, 32)));
    }
    validators = ValidatorSet.of(v);
    height = store.height();
    last = height == 0 ? GENESIS : store.header(height).orElseThrow().hash();
    lastCommit = height == 0 ? java.util.Optional.empty() : java.util.Optional.of(store.block(height).orElseThrow().certificate());
  }

  static StoreContext context(java.nio.file.Path dir) {
    return new StoreContext(dir, CHAIN, GENESIS);
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** How many transactions the next block holds: 70% up to 20, 22% up to 500, 8% up to 5,000. */
  private int size() {
    int kind = random.nextInt(100);
    return kind < 70 ? 1 + random.nextInt(20) : kind < 92 ? 21 + random.nextInt(480) : 501 + random.nextInt(4_500);
  }

  /** Bytes of a DATA value: 80% up to 200, 19% up to 2,000, 1% up to 16 KiB. */
  private int valueSize() {
    int kind = random.nextInt(100);
    return kind < 80 ? 10 + random.nextInt(190) : kind < 99 ? 200 + random.nextInt(1_800) : 2_000 + random.nextInt(14_385);
  }

  /** The next block and its changes, valid for {@link BlockStore#append}; the caller must append it before asking for another. */
  BenchChain.Next next() {
    height++;
    int count = size();
    List<Transaction> txs = new ArrayList<>(count);
    List<DataEntry> writes = new ArrayList<>();
    Map<AccountId, AccountState> touched = new TreeMap<>();
    TreeMap<Integer, TransactionResult> rejected = new TreeMap<>();
    Map<String, Long> blockVersions = new HashMap<>();
    for (int i = 0; i < count; i++) {
      AccountId sender = accounts.get(random.nextInt(accounts.size()));
      AccountState s = touched.containsKey(sender) ? touched.get(sender) : state(sender);
      Payload p = random.nextInt(10) < 8
          ? Payload.DataWrite.of("k-" + random.nextInt(KEYS), bytes(random, valueSize()))
          : new Payload.Transfer(accounts.get(random.nextInt(accounts.size())), Amount.of(1));
      Transaction tx = Transaction.of(CHAIN, sender, s.nextNonce(), Amount.of(1), p, new Signature(bytes(random, 64)));
      txs.add(tx);
      touched.put(sender, new AccountState(s.balance(), s.nextNonce() + 1));
      if (p instanceof Payload.DataWrite w) {
        long version = blockVersions.computeIfAbsent(w.key(), this::version) + 1;
        blockVersions.put(w.key(), version);
        writes.add(new DataEntry(w.key(), w.value(), version, sender, height, i, tx.id()));
      } else if (random.nextInt(20) == 0) {
        rejected.put(i, TransactionResult.failed("overdraft: a test rejection"));
      }
    }
    versions.putAll(blockVersions);
    states.putAll(touched);
    BlockHeader h = new BlockHeader(CHAIN, height, last, lastCommit.map(CommitCertificate::hash).orElse(Hash.ZERO), 1_700_000_000_000L + height,
        validators.validators().get((int) (height % 4)), MerkleTree.rootOf(txs), txs.size(), Hash.ZERO, validators.hash());
    Hash hash = h.hash();
    List<CommitSignature> sigs = new ArrayList<>();
    for (NodeId v : validators.validators().subList(0, 3)) {
      sigs.add(new CommitSignature(v, new Signature(bytes(random, 64))));
    }
    last = hash;
    Block block = new Block(h, txs, lastCommit, new CommitCertificate(height, 0, hash, sigs));
    lastCommit = java.util.Optional.of(block.certificate());
    return new BenchChain.Next(block, new StateChanges(writes, touched, rejected, Hash.sha256(hash.bytes()))
        .withRecords(Map.of(TIP_RECORD, tip(height), slot(height), tip(height))));
  }

  /** The key of the record of {@code height}'s slot. */
  static String slot(long height) {
    return "meshledger/crash/slot-" + height % SLOTS;
  }

  /** The value of {@link #TIP_RECORD} after block {@code height}. */
  static byte[] tip(long height) {
    return java.nio.ByteBuffer.allocate(8).putLong(height).array();
  }

  private long version(String key) {
    return versions.computeIfAbsent(key, k -> store.current(k).map(DataEntry::version).orElse(0L));
  }

  private AccountState state(AccountId account) {
    return states.computeIfAbsent(account, a -> {
      AccountState s = store.account(a);
      return s.equals(AccountState.EMPTY) ? new AccountState(Amount.of(1_000_000_000L), 0) : s;
    });
  }
}
