package org.meshledger.spi.contract;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.crypto.KeyPair;
import org.meshledger.spi.StateChanges;
import org.meshledger.spi.StoreContext;

/**
 * A deterministic chain of real, verifiable blocks for testing stores: Ed25519 keys derived from a seed,
 * transactions signed by their senders, headers linked to the genesis hash and to each other, and commit
 * certificates signed by a quorum of a {@link ValidatorSet}, so {@link Block#verify(ValidatorSet)} accepts
 * every block. A small executor beside it produces the {@link StateChanges} a node would store with each
 * block: DATA writes with their versions (a write whose expected version is stale is left out, as the node
 * rejects it), the new balance and nonce of every account a block touched, and (in {@link #next(int)}, unless
 * {@link #withoutRandomRecords()}) a few of the ledger's records set or removed, over {@link #RECORD_KEYS}, which
 * include keys whose order differs between UTF-16 and UTF-8.
 *
 * <p>The same chain id and seed always give the same blocks. Signing needs an
 * {@link org.meshledger.crypto.Ed25519Provider} at run time ({@code org.meshledger:meshledger} on the test class path).
 * Not thread-safe: build blocks on one thread, then hand them to others.
 */
public final class TestChain {
  /** Every user account starts with this balance (as a genesis would give it). */
  public static final long INITIAL_BALANCE = 1_000_000;
  /** DATA keys that {@link #next(int)} writes: {@code key-0} to {@code key-7}. */
  public static final int KEYS = 8;
  /**
   * The record keys {@link #next(int)} sets and removes: five under {@code meshledger/test/} (among them U+E000
   * and U+1F600, which UTF-16 and UTF-8 order differently) and one outside it.
   */
  public static final List<String> RECORD_KEYS = List.of("meshledger/test/a", "meshledger/test/b", "meshledger/test/\u00e9",
      "meshledger/test/\ue000", "meshledger/test/\ud83d\ude00", "other/z");

  /** A block and what executing it changed: the two arguments of {@code BlockStore.append}. */
  public record ChainBlock(Block block, StateChanges changes) {
    public long height() {
      return block.height();
    }

    public Hash hash() {
      return block.hash();
    }
  }

  private final String chainId;
  private final Hash genesisHash;
  private final List<KeyPair> validatorKeys = new ArrayList<>();
  private final ValidatorSet validators;
  private final List<KeyPair> users = new ArrayList<>();
  private final Random random;

  private long height;
  private Hash lastHash;
  private Hash stateDigest = Hash.ZERO;
  private final Map<String, Long> versions = new HashMap<>();
  private final Map<AccountId, AccountState> accounts = new HashMap<>();
  private final Map<AccountId, Long> pendingNonces = new HashMap<>();
  private final Random recordRandom;
  private boolean randomRecords = true;
  private final TreeMap<String, byte[]> records = new TreeMap<>(StateChanges.RECORD_KEY_ORDER);

  /** A chain of 4 validators and 5 users whose genesis hash is derived from {@code chainId}. */
  public TestChain(String chainId, long seed) {
    this(chainId, Hash.sha256(("genesis of " + chainId).getBytes(StandardCharsets.UTF_8)), 4, seed);
  }

  public TestChain(String chainId, Hash genesisHash, int validatorCount, long seed) {
    this.chainId = chainId;
    this.genesisHash = genesisHash;
    this.lastHash = genesisHash;
    this.random = new Random(seed);
    this.recordRandom = new Random(seed * 31 + 7); // apart, so records leave the blocks of a seed as they were
    for (int i = 0; i < validatorCount; i++) {
      validatorKeys.add(key(seed, 1000 + i));
    }
    this.validators = ValidatorSet.of(validatorKeys.stream().map(KeyPair::nodeId).toList());
    for (int i = 0; i < 5; i++) {
      users.add(key(seed, i));
    }
  }

  private static KeyPair key(long seed, int index) {
    return KeyPair.fromSeed(Hash.sha256(("test key " + seed + "/" + index).getBytes(StandardCharsets.UTF_8)).bytes());
  }

  /** Makes {@link #next(int)} set no records (a chain as stores held before records existed); returns this chain. */
  public TestChain withoutRandomRecords() {
    randomRecords = false;
    return this;
  }

  public String chainId() {
    return chainId;
  }

  public Hash genesisHash() {
    return genesisHash;
  }

  public ValidatorSet validators() {
    return validators;
  }

  /** The user accounts that sign transactions, 5 of them. */
  public List<KeyPair> users() {
    return List.copyOf(users);
  }

  /** The height of the last block built, 0 before the first. */
  public long height() {
    return height;
  }

  /** The hash of the last block built, the genesis hash before the first. */
  public Hash lastHash() {
    return lastHash;
  }

  /** The context a store of this chain opens with, its files under {@code directory}. */
  public StoreContext context(Path directory) {
    return new StoreContext(directory, chainId, genesisHash);
  }

  /** Signs {@code payload} from {@code sender} with the sender's next unused nonce. */
  public Transaction sign(KeyPair sender, Payload payload) {
    AccountId account = sender.accountId();
    long nonce = pendingNonces.getOrDefault(account, state(account).nextNonce());
    pendingNonces.put(account, nonce + 1);
    return Transaction.sign(chainId, sender, nonce, Amount.of(1), payload);
  }

  /** Builds the next block from {@code count} random transactions: mostly DATA writes, some transfers, some stale writes. */
  public ChainBlock next(int count) {
    List<Transaction> txs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      KeyPair sender = users.get(random.nextInt(users.size()));
      int kind = random.nextInt(10);
      Payload payload;
      if (kind < 6) {
        byte[] value = new byte[1 + random.nextInt(40)];
        random.nextBytes(value);
        payload = Payload.DataWrite.of("key-" + random.nextInt(KEYS), value);
      } else if (kind < 7) {
        // a conditional write that is stale (version 0 of a key that was written): the executor rejects it
        payload = Payload.DataWrite.ifVersion("key-" + random.nextInt(KEYS), new byte[] {(byte) i}, height == 0 ? 1_000 : 0);
      } else {
        payload = new Payload.Transfer(users.get(random.nextInt(users.size())).accountId(), Amount.of(1 + random.nextInt(100)));
      }
      txs.add(sign(sender, payload));
    }
    return next(txs, randomRecords ? randomRecordChanges() : Map.of());
  }

  /** 0 to 2 records of {@link #RECORD_KEYS}, each set to 1 to 40 random bytes or (one in four) removed. */
  private Map<String, byte[]> randomRecordChanges() {
    Map<String, byte[]> changes = new HashMap<>();
    for (int i = recordRandom.nextInt(3); i > 0; i--) {
      byte[] value = new byte[recordRandom.nextInt(4) == 0 ? 0 : 1 + recordRandom.nextInt(40)];
      recordRandom.nextBytes(value);
      changes.put(RECORD_KEYS.get(recordRandom.nextInt(RECORD_KEYS.size())), value);
    }
    return changes;
  }

  /** Builds the next block holding {@code transactions}, executes them and moves the chain on; it sets no record. */
  public ChainBlock next(List<Transaction> transactions) {
    return next(transactions, Map.of());
  }

  /**
   * Builds the next block holding {@code transactions}, executes them, sets the ledger's records
   * {@code recordChanges} (an empty value removes one) and moves the chain on.
   */
  public ChainBlock next(List<Transaction> transactions, Map<String, byte[]> recordChanges) {
    Block block = block(chainId, height + 1, lastHash, transactions);
    StateChanges changes = execute(block).withRecords(recordChanges);
    changes.records().forEach((k, v) -> {
      if (v.length == 0) {
        records.remove(k);
      } else {
        records.put(k, v);
      }
    });
    height = block.height();
    lastHash = block.hash();
    stateDigest = Hash.sha256(stateDigest.bytes(), lastHash.bytes());
    pendingNonces.clear();
    return new ChainBlock(block, changes);
  }

  /**
   * Builds the next block holding {@code transactions}, all of them invalid there (no effect at all, as a faulty
   * proposer's replay of a transaction ahead of its sender's earlier nonce, or after it was used), and moves the
   * chain on. Transactions signed before stay pending: they may still apply in a later block.
   */
  public ChainBlock nextInvalid(List<Transaction> transactions) {
    Block block = block(chainId, height + 1, lastHash, transactions);
    java.util.TreeMap<Integer, org.meshledger.chain.TransactionResult> rejected = new java.util.TreeMap<>();
    for (int i = 0; i < transactions.size(); i++) {
      Transaction tx = transactions.get(i);
      rejected.put(i, org.meshledger.chain.TransactionResult.invalid("nonce " + tx.nonce() + " is not the sender's next ("
          + state(tx.sender()).nextNonce() + ")"));
    }
    StateChanges changes = new StateChanges(List.of(), Map.of(), rejected, Hash.sha256(block.hash().bytes()));
    height = block.height();
    lastHash = block.hash();
    stateDigest = Hash.sha256(stateDigest.bytes(), lastHash.bytes());
    return new ChainBlock(block, changes);
  }

  /**
   * A signed, certified block that this chain's validators would accept on its own ({@link Block#verify}
   * passes) but that may break the chain's rules: any height, previous hash or chain id. Above height 1 it carries
   * a previous commit of the same quorum for {@code previous} (for the chain's own last block, the certificate that
   * block has: signatures are deterministic). For rejection tests; the chain does not move on.
   */
  public Block block(String chainId, long height, Hash previous, List<Transaction> transactions) {
    Optional<CommitCertificate> previousCommit = height > 1 ? Optional.of(certificate(chainId, height - 1, previous)) : Optional.empty();
    BlockHeader header = new BlockHeader(chainId, height, previous, previousCommit.map(CommitCertificate::hash).orElse(Hash.ZERO),
        1_700_000_000_000L + height * 1_000, validators.validators().get((int) (height % validators.size())),
        MerkleTree.rootOf(transactions), transactions.size(), stateDigest, validators.hash());
    return new Block(header, transactions, previousCommit, certificate(chainId, height, header.hash()));
  }

  /** Precommits of the first quorum of this chain's validators for {@code hash} at {@code height}, in round 0. */
  private CommitCertificate certificate(String chainId, long height, Hash hash) {
    List<CommitSignature> votes = new ArrayList<>();
    for (KeyPair v : validatorKeys.subList(0, validators.quorum())) {
      votes.add(CommitCertificate.precommit(v, chainId, height, 0, hash));
    }
    return new CommitCertificate(height, 0, hash, votes);
  }

  /** The state this chain's executor holds for {@code account} after the last block built. */
  public AccountState state(AccountId account) {
    AccountState s = accounts.get(account);
    if (s != null) {
      return s;
    }
    for (KeyPair u : users) {
      if (u.accountId().equals(account)) {
        return new AccountState(Amount.of(INITIAL_BALANCE), 0);
      }
    }
    return AccountState.EMPTY;
  }

  /** The value of record {@code key} after the last block built, empty if none set it or the last that did removed it. */
  public java.util.Optional<byte[]> record(String key) {
    return java.util.Optional.ofNullable(records.get(key)).map(byte[]::clone);
  }

  /** Every record after the last block built, in {@link StateChanges#RECORD_KEY_ORDER}: a copy. */
  public java.util.SortedMap<String, byte[]> records() {
    java.util.SortedMap<String, byte[]> copy = new TreeMap<>(StateChanges.RECORD_KEY_ORDER);
    records.forEach((k, v) -> copy.put(k, v.clone()));
    return copy;
  }

  /** The current version of {@code key} after the last block built, 0 if never written. */
  public long version(String key) {
    return versions.getOrDefault(key, 0L);
  }

  private StateChanges execute(Block block) {
    List<DataEntry> writes = new ArrayList<>();
    Map<AccountId, AccountState> touched = new TreeMap<>();
    java.util.TreeMap<Integer, org.meshledger.chain.TransactionResult> rejected = new java.util.TreeMap<>();
    List<Transaction> txs = block.transactions();
    for (int i = 0; i < txs.size(); i++) {
      Transaction tx = txs.get(i);
      AccountId sender = tx.sender();
      AccountState from = touched.containsKey(sender) ? touched.get(sender) : state(sender);
      from = new AccountState(from.balance().minus(tx.fee()), tx.nonce() + 1);
      touched.put(sender, from);
      if (tx.payload() instanceof Payload.DataWrite w) {
        long current = versions.getOrDefault(w.key(), 0L);
        if (w.expectedVersion().isPresent() && w.expectedVersion().getAsLong() != current) {
          rejected.put(i, org.meshledger.chain.TransactionResult.failed("stale write: key '" + w.key() + "' is at version " + current));
          continue; // stale: rejected, not stored
        }
        versions.put(w.key(), current + 1);
        writes.add(new DataEntry(w.key(), w.value(), current + 1, sender, block.height(), i, tx.id()));
      } else if (tx.payload() instanceof Payload.Transfer t) {
        touched.put(sender, new AccountState(from.balance().minus(t.amount()), from.nextNonce()));
        AccountState to = touched.containsKey(t.to()) ? touched.get(t.to()) : state(t.to());
        touched.put(t.to(), new AccountState(to.balance().plus(t.amount()), to.nextNonce()));
      }
    }
    accounts.putAll(touched);
    // A stand-in digest: stores keep it opaque, so any hash that differs per block will do.
    return new StateChanges(writes, touched, rejected, org.meshledger.chain.Hash.sha256(block.hash().bytes()));
  }
}
