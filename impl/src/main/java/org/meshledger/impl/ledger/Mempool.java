package org.meshledger.impl.ledger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.meshledger.Verification;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Limits;
import org.meshledger.chain.Payload;
import org.meshledger.chain.StateView;
import org.meshledger.chain.Transaction;

/**
 * The transactions waiting for a block, bounded in count and bytes. Sans-IO and single-threaded: the node
 * calls it from its context.
 *
 * <p><b>Admission</b> ({@link #add}) returns a {@link Verification}, never throws for a bad transaction. The
 * checks run cheapest first, the signature last: size, chain id, duplicate id, fee minimum, nonce window
 * {@code [nextNonce, nextNonce + nonceWindow)} against the committed state, one transaction per sender and
 * nonce, the sender's balance covering the fees and amounts of all its pending transactions, then the
 * signature.
 *
 * <p><b>Eviction.</b> When an admission takes the pool over its count or byte bound, the pool evicts, one at a
 * time, the transaction with the lowest fee per byte among each sender's <em>highest</em> pending nonce (ties:
 * the latest arrival first). So a sender's lower nonce never leaves before its higher ones, and no gap opens
 * in what a sender has waiting. If the newcomer itself is the one to evict, it is refused ("mempool full")
 * and the pool is left as it was.
 *
 * <p><b>Reaping</b> ({@link #reap}) takes no transaction out: a batch is proposed, and what commits leaves at
 * {@link #recheck} after the commit, which also drops transactions the new state makes impossible.
 */
public final class Mempool {
  /**
   * The pool's bounds and rules.
   *
   * @param maxTransactions the most transactions held
   * @param maxBytes the most encoded bytes held
   * @param nonceWindow how far ahead of a sender's next nonce a transaction may be, at least 1
   * @param minimumFee the least fee admitted
   * @param maxTransactionBytes the largest encoded transaction admitted
   */
  public record Config(int maxTransactions, long maxBytes, int nonceWindow, Amount minimumFee, int maxTransactionBytes) {
    /** 50,000 transactions, 64 MiB, a window of 64 nonces, no minimum fee, transactions up to the data model's bound. */
    public static final Config DEFAULTS = new Config(50_000, 64L << 20, 64, Amount.ZERO, Limits.MAX_TRANSACTION_BYTES);

    public Config {
      if (maxTransactions < 1 || maxBytes < 1 || nonceWindow < 1 || maxTransactionBytes < 1) {
        throw new IllegalArgumentException("mempool bounds must be positive: " + maxTransactions + " transactions, " + maxBytes
            + " bytes, window " + nonceWindow + ", transactions of " + maxTransactionBytes + " bytes");
      }
      Objects.requireNonNull(minimumFee, "minimumFee");
    }
  }

  private static final class Entry {
    final Transaction tx;
    final int size;
    final long cost; // fee + transfer amount, saturating
    final long seq;
    final long arrivedMillis;

    Entry(Transaction tx, long seq, long arrivedMillis) {
      this.tx = tx;
      this.size = tx.encodedSize();
      long amount = tx.payload() instanceof Payload.Transfer t ? t.amount().units() : 0;
      this.cost = saturatedAdd(tx.fee().units(), amount);
      this.seq = seq;
      this.arrivedMillis = arrivedMillis;
    }
  }

  private static final class Sender {
    final TreeMap<Long, Entry> byNonce = new TreeMap<>();
    long nextNonce;
    long pendingCost;
  }

  /** Lowest fee per byte first; among equals the latest arrival first. */
  private static final Comparator<Entry> EVICTION_ORDER = Comparator.<Entry, Entry>comparing(e -> e, Mempool::compareFeePerByte)
      .thenComparing(e -> -e.seq);

  private final String chainId;
  private final Config config;
  private final java.util.function.LongSupplier clock;
  private StateView state;
  private final Map<Hash, Entry> byId = new HashMap<>();
  private final Map<AccountId, Sender> senders = new HashMap<>();
  private final TreeSet<Entry> tails = new TreeSet<>(EVICTION_ORDER);
  private long bytes;
  private long arrivals;

  /**
   * @param chainId the chain whose transactions are admitted
   * @param config bounds and rules
   * @param committed the committed state (genesis balances included) that admission checks against
   * @param clockMillis the time {@link #expire} measures waiting by: the node's clock, or a virtual one
   */
  public Mempool(String chainId, Config config, StateView committed, java.util.function.LongSupplier clockMillis) {
    this.clock = Objects.requireNonNull(clockMillis, "clockMillis");
    this.chainId = Objects.requireNonNull(chainId, "chainId");
    this.config = Objects.requireNonNull(config, "config");
    this.state = Objects.requireNonNull(committed, "committed");
  }

  /** Admits {@code tx} or says why not. */
  public Verification add(Transaction tx) {
    return add(tx, false);
  }

  /**
   * Admits {@code tx} or says why not; with {@code signatureChecked} the caller verified the signature already
   * (in a batch, off the node's event loop) and the pool skips that check.
   */
  public Verification add(Transaction tx, boolean signatureChecked) {
    Objects.requireNonNull(tx, "tx");
    if (tx.encodedSize() > config.maxTransactionBytes()) {
      return Verification.failed("transaction of " + tx.encodedSize() + " bytes exceeds the mempool's limit of " + config.maxTransactionBytes());
    }
    if (!tx.chainId().equals(chainId)) {
      return Verification.failed("chain id '" + tx.chainId() + "' is not this chain's ('" + chainId + "')");
    }
    if (byId.containsKey(tx.id())) {
      return Verification.failed("duplicate: transaction " + tx.id() + " is already in the mempool");
    }
    if (tx.fee().compareTo(config.minimumFee()) < 0) {
      return Verification.failed("fee " + tx.fee() + " is below the minimum of " + config.minimumFee());
    }
    AccountState account = state.account(tx.sender());
    long next = account.nextNonce();
    if (tx.nonce() < next) {
      return Verification.failed("nonce " + tx.nonce() + " was already used (the sender's next nonce is " + next + ")");
    }
    if (tx.nonce() - next >= config.nonceWindow()) {
      return Verification.failed("nonce " + tx.nonce() + " is outside the window [" + next + ", " + (next + config.nonceWindow()) + ")");
    }
    Sender sender = senders.get(tx.sender());
    if (sender != null && sender.byNonce.containsKey(tx.nonce())) {
      return Verification.failed("the sender already has nonce " + tx.nonce() + " pending (transaction " + sender.byNonce.get(tx.nonce()).tx.id() + ")");
    }
    Entry entry = new Entry(tx, arrivals, clock.getAsLong());
    long pending = sender == null ? 0 : sender.pendingCost;
    if (saturatedAdd(pending, entry.cost) > account.balance().units()) {
      return Verification.failed("balance " + account.balance() + " cannot cover this transaction's fee and amount (" + entry.cost
          + ") on top of the sender's pending ones (" + pending + ")");
    }
    if (!signatureChecked && !tx.verifySignature()) {
      return Verification.failed("the signature does not verify for sender " + tx.sender());
    }
    arrivals++;
    insert(entry).nextNonce = next;
    List<Entry> evicted = new ArrayList<>();
    while (byId.size() > config.maxTransactions() || bytes > config.maxBytes()) {
      Entry victim = tails.first();
      if (victim == entry) {
        remove(entry);
        for (Entry back : evicted) {
          insert(back).nextNonce = state.account(back.tx.sender()).nextNonce();
        }
        return Verification.failed("mempool full: fee " + tx.fee() + " for " + entry.size + " bytes is not above the lowest fee per byte it would evict");
      }
      remove(victim);
      evicted.add(victim);
    }
    return Verification.ok();
  }

  /**
   * Up to {@code maxTransactions} transactions of at most {@code maxBytes} encoded bytes in all that can
   * execute in this order: each sender's run of consecutive nonces from its next nonce, senders interleaved by
   * the fee per byte of their next transaction (highest first, then the earliest arrival). Nothing is removed.
   */
  public List<Transaction> reap(int maxTransactions, long maxBytes) {
    PriorityQueue<Entry> heads = new PriorityQueue<>(EVICTION_ORDER.reversed());
    for (Sender s : senders.values()) {
      Entry head = s.byNonce.get(s.nextNonce);
      if (head != null) {
        heads.add(head);
      }
    }
    List<Transaction> batch = new ArrayList<>();
    long used = 0;
    while (batch.size() < maxTransactions && !heads.isEmpty()) {
      Entry e = heads.poll();
      if (used + e.size > maxBytes) {
        continue; // this sender's run ends here; a smaller transaction of another sender may still fit
      }
      batch.add(e.tx);
      used += e.size;
      Entry following = senders.get(e.tx.sender()).byNonce.get(e.tx.nonce() + 1);
      if (following != null) {
        heads.add(following);
      }
    }
    return batch;
  }

  /**
   * After a block commits: drops its transactions, then, for each sender it holds, the pending transactions
   * whose nonce is now used and those its new balance no longer covers (the first uncovered one and every
   * higher nonce). Only senders of the block can lose balance or nonces (nothing else debits an account), so
   * only they are checked again.
   *
   * @param committed the block's transactions
   * @param newState the committed state after the block
   */
  public void recheck(List<Transaction> committed, StateView newState) {
    this.state = Objects.requireNonNull(newState, "newState");
    Set<AccountId> touched = new HashSet<>();
    for (Transaction tx : committed) {
      Entry e = byId.get(tx.id());
      if (e != null) {
        remove(e);
      }
      touched.add(tx.sender());
    }
    for (AccountId id : touched) {
      Sender s = senders.get(id);
      if (s == null) {
        continue;
      }
      AccountState account = state.account(id);
      s.nextNonce = account.nextNonce();
      List<Entry> drop = new ArrayList<>(s.byNonce.headMap(account.nextNonce()).values());
      long cost = 0;
      for (Iterator<Entry> it = s.byNonce.tailMap(account.nextNonce()).values().iterator(); it.hasNext(); ) {
        Entry e = it.next();
        cost = saturatedAdd(cost, e.cost);
        if (cost > account.balance().units()) {
          drop.add(e);
        }
      }
      drop.forEach(this::remove);
    }
  }

  /**
   * Drops every transaction that has waited longer than {@code maxAgeMillis}, with every higher nonce of its
   * sender (they could not execute without it), so that a transaction stuck behind a nonce gap, or too cheap to
   * be proposed, does not hold its place forever. Costs a pass over the pool.
   *
   * @return how many transactions left
   */
  public int expire(long maxAgeMillis) {
    long cutoff = clock.getAsLong() - maxAgeMillis;
    List<Entry> drop = new ArrayList<>();
    for (Sender s : senders.values()) {
      boolean expired = false;
      for (Entry e : s.byNonce.values()) { // ascending nonces
        expired |= e.arrivedMillis <= cutoff;
        if (expired) {
          drop.add(e);
        }
      }
    }
    drop.forEach(this::remove);
    return drop.size();
  }

  /**
   * The lowest nonce of {@code sender} at or above its committed next nonce that no pending transaction holds:
   * what its next transaction should carry.
   */
  public long nextUsableNonce(AccountId sender) {
    long next = state.account(sender).nextNonce();
    Sender s = senders.get(sender);
    if (s != null) {
      while (s.byNonce.containsKey(next)) {
        next++;
      }
    }
    return next;
  }

  public int size() {
    return byId.size();
  }

  /** The encoded bytes of the transactions held. */
  public long bytes() {
    return bytes;
  }

  /** True if the pool holds a transaction of {@code sender}. */
  public boolean hasSender(AccountId sender) {
    return senders.containsKey(sender);
  }

  public boolean contains(Hash id) {
    return byId.containsKey(id);
  }

  /** True if the pool holds exactly {@code tx}, signature included: its signature checked out on admission. */
  public boolean holds(Transaction tx) {
    Entry e = byId.get(tx.id());
    return e != null && e.tx.equals(tx);
  }

  /** Entries of the internal indexes (ids, senders, evictable tails), for tests that check memory stays bounded. */
  int indexEntries() {
    return byId.size() + senders.size() + tails.size();
  }

  private Sender insert(Entry e) {
    Sender s = senders.computeIfAbsent(e.tx.sender(), k -> new Sender());
    Map.Entry<Long, Entry> tail = s.byNonce.lastEntry();
    if (tail == null || tail.getKey() < e.tx.nonce()) {
      if (tail != null) {
        tails.remove(tail.getValue());
      }
      tails.add(e);
    }
    s.byNonce.put(e.tx.nonce(), e);
    s.pendingCost = saturatedAdd(s.pendingCost, e.cost);
    byId.put(e.tx.id(), e);
    bytes += e.size;
    return s;
  }

  private void remove(Entry e) {
    Sender s = senders.get(e.tx.sender());
    boolean wasTail = tails.remove(e);
    s.byNonce.remove(e.tx.nonce());
    s.pendingCost -= e.cost; // exact unless saturated, and then it stays huge, which only makes admission stricter
    byId.remove(e.tx.id());
    bytes -= e.size;
    if (s.byNonce.isEmpty()) {
      senders.remove(e.tx.sender());
    } else if (wasTail) {
      tails.add(s.byNonce.lastEntry().getValue());
    }
  }

  /** Compares fee per byte exactly: fee(a) * size(b) against fee(b) * size(a) in 128 bits. */
  private static int compareFeePerByte(Entry a, Entry b) {
    long x = a.tx.fee().units();
    long y = b.tx.fee().units();
    int hi = Long.compare(Math.multiplyHigh(x, b.size), Math.multiplyHigh(y, a.size));
    return hi != 0 ? hi : Long.compareUnsigned(x * b.size, y * a.size);
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return r < 0 ? Long.MAX_VALUE : r;
  }
}
