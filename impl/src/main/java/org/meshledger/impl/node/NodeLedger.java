package org.meshledger.impl.node;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.lang.System.Logger.Level;
import java.lang.System.Logger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.meshledger.Gossip;
import org.meshledger.IncentivePolicy;
import org.meshledger.IncentiveReport;
import org.meshledger.Ledger;
import org.meshledger.NodeOptions;
import org.meshledger.TransactionRejectedException;
import org.meshledger.TransactionValidator;
import org.meshledger.Verification;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.CommittedBlock;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleProof;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.TransactionResult;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.codec.DecodeException;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.impl.consensus.Candidate;
import org.meshledger.impl.host.HostCallbacks;
import org.meshledger.impl.incentives.IncentiveState;
import org.meshledger.impl.incentives.Incentives;
import org.meshledger.impl.ledger.BlockExecution;
import org.meshledger.impl.ledger.CommittedState;
import org.meshledger.impl.ledger.Executor;
import org.meshledger.impl.ledger.Mempool;
import org.meshledger.impl.spreading.RelayPropagator;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.RewardRule;

/**
 * A node's ledger: the mempool and transaction spreading, execution of committed blocks, receipts and events,
 * and reads. It is also the {@link ConsensusApp} that consensus proposes from and executes with.
 *
 * <p><b>Threads.</b> The state lives on the node's context. {@link #submit} checks the signature on the
 * caller's thread (spreading that cost over the host's threads), batches from peers are checked on worker
 * threads, and reads run on worker threads; everything else runs on the context.
 *
 * <p><b>No store on the context.</b> Admission, execution and the mempool's re-check read the
 * {@link CommittedView}, never the store; what the view lacks {@link StateLoader} reads on a worker first (a
 * submit's sender and key, a peer batch's senders, a synced block's state, a committed block's missing state).
 *
 * <p><b>Order of effects.</b> A committed block executes on the context against the {@link CommittedView}
 * (at once if it holds what the block reads, else after a worker read); the mempool is then re-checked, so
 * the next proposal neither repeats nor contradicts it. Receipts, failures and events follow only once the
 * block is durable ({@link #stored}).
 *
 * <p><b>Deadlines.</b> A submit waits at most {@link NodeOptions#getSubmitTimeout()}, then fails with a
 * {@link org.meshledger.SubmitTimeoutException} saying what held it up; its transaction stays in the mempool.
 * Block sync's progress ({@link #syncProgress}) tells whether the node is catching up, which both that reason
 * and admission (a nonce beyond the stale window) report instead of a misleading nonce message.
 */
final class NodeLedger implements Ledger, ConsensusApp {
  private static final Logger LOG = System.getLogger("org.meshledger.ledger");
  /** Accounts, keys and records the in-memory view holds before it forgets what it can load again. */
  static final int VIEW_ENTRIES = 200_000;

  private final Context context;
  private final Genesis genesis;
  private final BlockStore store;
  private final CommittedState committed;
  private final CommittedView view = new CommittedView();
  private final StateLoader loader;
  private final BlockMaterials materials = new BlockMaterials();
  private final IncentiveReads incentiveReads;
  private final IncentiveFigures incentiveFigures; // in memory, for the meters
  private ServiceDuty duty; // set by serveAs: answers this node's service challenges
  private final Mempool mempool;
  private final Executor executor;
  private final RelayPropagator propagator;
  private final long maxBlockBytes;
  private final long mempoolMaxAgeMillis;
  private final long submitTimeoutMillis;
  private final int nonceWindow;
  private final int maxBlockTransactions;
  private final NodeState state;
  private final BlockEvents events;
  private final TransactionBatch outgoing;
  /** Propose, accept and execute: the ledger's decisions, which this class drives. */
  private final LedgerCore core;

  // On the context.
  private final Map<Hash, List<Waiter>> waiting = new HashMap<>();
  private long sweepTimer = -1; // armed while submits wait
  private long syncHeight;
  private long syncTarget;
  private Runnable wake = () -> { };
  private volatile int mempoolSize;
  private volatile String fault;
  private final java.util.concurrent.atomic.AtomicLongArray outcomes = new java.util.concurrent.atomic.AtomicLongArray(3);
  private Future<Void> admissions = Future.succeededFuture(); // completes when the submits that wait for a read are admitted
  private volatile long storedHeight;

  /** @param callbacks the node's way into host code: the validator and event handlers are called through it */
  NodeLedger(Context context, Genesis genesis, BlockStore store, NodeOptions options, TransactionValidator validator,
      RelayPropagator propagator, NodeState state, HostCallbacks callbacks, RewardRule rewardRule) {
    this.context = context;
    this.genesis = genesis;
    this.store = store;
    this.committed = new CommittedState(store, genesis);
    this.executor = Executor.of(genesis, rewardRule, callbacks.validator(validator));
    this.loader = new StateLoader(committed, store, everyBlockAccounts(genesis), Set.of(IncentiveState.KEY));
    this.incentiveReads = new IncentiveReads(genesis, store, executor.incentives());
    this.incentiveFigures = new IncentiveFigures(genesis, executor.incentives());
    this.nonceWindow = Mempool.Config.DEFAULTS.nonceWindow();
    this.mempool = new Mempool(genesis.chainId(), new Mempool.Config(options.getMempoolTransactions(), Mempool.Config.DEFAULTS.maxBytes(),
        nonceWindow, Amount.of(options.getMinimumFee()), Mempool.Config.DEFAULTS.maxTransactionBytes()), view, System::currentTimeMillis);
    this.propagator = propagator;
    this.mempoolMaxAgeMillis = options.getMempoolMaxAge().toMillis();
    this.submitTimeoutMillis = options.getSubmitTimeout().toMillis();
    this.maxBlockBytes = options.getMaxFrameBytes() / 2L; // a proposal must fit in one frame, with room to spare
    this.maxBlockTransactions = genesis.consensus().maxBlockTransactions();
    this.state = state;
    this.events = new BlockEvents(context, store, state::serving, callbacks);
    this.outgoing = TransactionBatch.on(context, propagator, state::serving);
    this.core = new LedgerCore(view, materials, loader, mempool, executor, System::currentTimeMillis, maxBlockTransactions, maxBlockBytes,
        mempoolMaxAgeMillis);
  }

  /**
   * Has this node answer the service challenges of {@code identity}'s key whenever the ledger lists it as a
   * service node (by the genesis or a registration), paying {@code fee} per answer; nothing if the policy never
   * pays a service pool. Before {@link #start}.
   */
  void serveAs(KeyPair identity, Amount fee) {
    boolean paysServices = genesis.incentives().eras().stream()
        .anyMatch(e -> e.share(IncentivePolicy.SECURE_NODES) > 0 || e.share(IncentivePolicy.SUPER_NODES) > 0);
    if (!paysServices) {
      return; // no service pool ever earns: nothing to answer, and no read every window to find that out
    }
    this.duty = new ServiceDuty(context, genesis, identity, store, executor.incentives(), fee, this::catchingUp, this::submit, this::nextNonce);
  }

  /** The service duty's status, for {@link org.meshledger.NodeStatus#service()}; any thread. */
  Optional<org.meshledger.NodeStatus.ServiceDuty> serviceStatus() {
    ServiceDuty d = duty;
    return d == null ? Optional.empty() : d.status();
  }

  /**
   * The accounts every block's incentive step touches when the chain pays: the treasury, the validators (proposer
   * and signers), the tier pools, the bond escrow and custom pools. None for a chain that pays nothing.
   */
  private static Set<AccountId> everyBlockAccounts(Genesis genesis) {
    IncentivePolicy p = genesis.incentives();
    if (!p.pays()) {
      return Set.of();
    }
    Set<AccountId> accounts = new HashSet<>();
    p.treasury().ifPresent(accounts::add);
    genesis.validators().validators().forEach(n -> accounts.add(new AccountId(n.key())));
    accounts.add(Incentives.pool(IncentivePolicy.SECURE_NODES));
    accounts.add(Incentives.pool(IncentivePolicy.SUPER_NODES));
    accounts.add(Incentives.ESCROW);
    accounts.addAll(p.customPools().values());
    return accounts;
  }

  /**
   * Resumes after the stored block {@code height}, whose state digest is {@code digest} and whose certificate is
   * {@code lastCommit} (read from the store off the event loop; empty at height 0); subscribes to peers'
   * transactions.
   */
  void start(long height, Hash digest, long lastBlockTime, Optional<CommitCertificate> lastCommit) {
    core.resume(height, digest, lastBlockTime, lastCommit);
    this.storedHeight = height;
    events.start(height);
    propagator.subscribeOwn(TransactionBatch.TOPIC, this::onBatch);
  }

  /** Fails what still waits: the node stops. */
  void stop() {
    failWaiting(new IllegalStateException("the node stopped before the transaction was final; look it up with"
        + " receipt(id) once the node runs again"));
    events.stop();
  }

  @Override
  public void halted(String fault) {
    this.fault = fault;
    failWaiting(new IllegalStateException(fault + "; the transaction may still commit on the other nodes: look it up with receipt(id)"));
  }

  private void failWaiting(IllegalStateException e) {
    waiting.values().forEach(list -> list.forEach(w -> w.promise().tryFail(e)));
    waiting.clear();
    if (sweepTimer >= 0) {
      context.owner().cancelTimer(sweepTimer);
      sweepTimer = -1;
    }
  }

  /**
   * Block sync's progress, on the context: this node holds {@code height} blocks and its peers claim
   * {@code target} ({@code target <= height}: in sync). While it is {@link org.meshledger.SyncProgress#CATCHING_UP_GAP}
   * or more behind, its account state is stale, so a submit whose nonce is beyond its window is told to wait
   * for the sync rather than that its nonce is out of range, and a submit that times out says so.
   */
  void syncProgress(long height, long target) {
    this.syncHeight = height;
    this.syncTarget = target;
  }

  private boolean catchingUp() {
    return syncTarget - syncHeight >= org.meshledger.SyncProgress.CATCHING_UP_GAP;
  }

  private String catchingUpReason() {
    return String.format(java.util.Locale.ROOT, "the node is catching up (height %,d of %,d)", syncHeight, syncTarget);
  }

  /** The state digest after {@code height} when a node resumes there: the genesis for 0, else what the store kept. */
  static Hash resumeDigest(BlockStore store, Genesis genesis, long height) {
    if (height == 0) {
      return org.meshledger.impl.ledger.StateDigest.initial(genesis);
    }
    return store.stateDigest(height).orElseThrow(() -> new org.meshledger.StorageException("the store holds block " + height
        + " but no state digest after it, so execution cannot resume; it was written without execution (an older version or a"
        + " tool): sync the chain again into an empty data directory"));
  }

  // ---- submitting and spreading

  @Override
  public Future<Receipt> submit(Transaction transaction) {
    Objects.requireNonNull(transaction, "transaction");
    if (!state.serving()) {
      return Future.failedFuture(state.refusal("submit transactions"));
    }
    boolean signed = transaction.verifySignature(); // on the caller's thread
    Promise<Receipt> promise = Promise.promise();
    if (!runOnContext(() -> {
      if (!state.serving()) {
        promise.fail(state.refusal("submit transactions"));
        return;
      }
      if (fault != null) {
        promise.fail(new IllegalStateException(fault));
        return;
      }
      if (!signed) {
        promise.fail(new TransactionRejectedException(transaction.id(), "the signature does not verify for sender " + transaction.sender()));
        return;
      }
      // counted from the submit, not from its admission, which may wait for a read of the sender's state
      long since = core.executedHeight();
      long deadline = System.nanoTime() + submitTimeoutMillis * 1_000_000;
      Hash id = transaction.id();
      if (mempool.contains(id) || core.inFlight(id)) {
        // Submitted before (here or at another node): the same future outcome, not a rejection.
        await(id, promise, since, deadline);
        return;
      }
      StateLoader.Needs needs = loader.needs(List.of(transaction), view);
      if (needs.isEmpty()) {
        admit(transaction, promise, since, deadline);
      } else {
        Promise<Void> admitted = Promise.promise();
        admissions = admissions.transform(x -> admitted.future()); // nextNonce waits for admissions in flight
        load(needs).onComplete(ar -> {
          if (!state.serving()) {
            promise.fail(state.refusal("submit transactions"));
          } else if (ar.failed()) {
            promise.fail(new org.meshledger.StorageException("cannot read the state of sender " + transaction.sender()
                + " to admit the transaction: " + ar.cause().getMessage(), ar.cause()));
          } else if (mempool.contains(id) || core.inFlight(id)) {
            await(id, promise, since, deadline);
          } else {
            admit(transaction, promise, since, deadline);
          }
          admitted.complete();
        });
      }
    })) {
      promise.fail(state.refusal("submit transactions"));
    }
    return promise.future();
  }

  /**
   * Admits a signed {@code transaction} whose sender (and key) the view holds, against the committed view and the
   * mempool's pending transactions; on the context.
   */
  private void admit(Transaction transaction, Promise<Receipt> promise, long since, long deadline) {
      Hash id = transaction.id();
      Verification v2 = mempool.add(transaction, true);
      if (!v2.valid()) {
        long next = view.account(transaction.sender()).nextNonce();
        if (next > transaction.nonce()) {
          alreadyFinal(transaction, v2.reason(), promise); // a retry of a final transaction gets its receipt
        } else if (catchingUp() && transaction.nonce() - next >= nonceWindow) {
          // This node's nonces are stale: the window says nothing about the chain the sender sees.
          promise.fail(new TransactionRejectedException(id, catchingUpReason() + ": submit again when it is in sync, or to another node"));
        } else {
          promise.fail(new TransactionRejectedException(id, v2.reason()));
        }
        return;
      }
      mempoolSize = mempool.size();
      await(id, promise, since, deadline);
      outgoing.add(transaction);
      wake.run();
  }

  /**
   * Reads {@code needs} on a worker into the view; completes on the context. The event loop never reads the
   * store itself: this is its one way to state it does not hold.
   */
  private Future<Void> load(StateLoader.Needs needs) {
    core.loading();
    Future<StateLoader.Loaded> read;
    try {
      read = context.executeBlocking(() -> loader.load(needs), false);
    } catch (RejectedExecutionException e) {
      read = Future.failedFuture(state.refusal("read the ledger (its store is closed)"));
    }
    return read.transform(ar -> {
      if (ar.succeeded()) {
        core.loaded(ar.result());
        return Future.succeededFuture();
      }
      core.loadFailed();
      return Future.failedFuture(ar.cause());
    });
  }

  /** Runs {@code task} on the context; false if the node's Vert.x has closed (the node stopped meanwhile). */
  private boolean runOnContext(Runnable task) {
    try {
      context.runOnContext(v -> task.run());
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /** A submit waits for {@code id} to be final, for the submit timeout at most. On the context. */
  private void await(Hash id, Promise<Receipt> promise, long since, long deadline) {
    waiting.computeIfAbsent(id, k -> new ArrayList<>(1)).add(new Waiter(promise, deadline, since));
    if (sweepTimer < 0) {
      sweepTimer = context.owner().setTimer(sweepMillis(), t -> sweep());
    }
  }

  /** A submit waiting for its transaction: until its deadline; the height when it began tells whether blocks came since. */
  private record Waiter(Promise<Receipt> promise, long deadlineNanos, long heightAtSubmit) {}

  /** Deadlines are checked this often: a tenth of the timeout, 5 ms to 1 s. One timer per node, not per submit. */
  private long sweepMillis() {
    return Math.max(5, Math.min(1_000, submitTimeoutMillis / 10));
  }

  /**
   * Fails the submits whose deadline passed, saying why their transactions are not final; the transactions stay
   * in the mempool. A pass over the waiting submits (at most about the mempool's size) every {@link #sweepMillis}.
   */
  private void sweep() {
    sweepTimer = -1;
    long now = System.nanoTime();
    for (Iterator<Map.Entry<Hash, List<Waiter>>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Hash, List<Waiter>> e = it.next();
      for (Iterator<Waiter> ws = e.getValue().iterator(); ws.hasNext(); ) {
        Waiter w = ws.next();
        if (w.deadlineNanos() - now <= 0) {
          ws.remove();
          w.promise().tryFail(new org.meshledger.SubmitTimeoutException(e.getKey(), java.time.Duration.ofMillis(submitTimeoutMillis),
              notFinalReason(e.getKey(), w)));
        }
      }
      if (e.getValue().isEmpty()) {
        it.remove();
      }
    }
    if (!waiting.isEmpty()) {
      sweepTimer = context.owner().setTimer(sweepMillis(), t -> sweep());
    }
  }

  /** Why transaction {@code id}, awaited by {@code w}, is not final yet, as far as this node can tell. */
  private String notFinalReason(Hash id, Waiter w) {
    if (fault != null) {
      return "the node is halted (" + fault + ")";
    }
    if (catchingUp()) {
      return catchingUpReason() + ": it commits nothing new until it is in sync";
    }
    long executedHeight = core.executedHeight();
    if (core.inFlight(id)) {
      return "it is in block " + executedHeight + " or earlier, which is committed but still being written to this node's disk";
    }
    if (executedHeight == w.heightAtSubmit()) {
      return "no quorum: no block was committed since the submit (the chain is at height " + executedHeight + "); more than two"
          + " thirds of the validators must be running and connected to each other, and to this node";
    }
    if (mempool.contains(id)) {
      return "not yet proposed: still in the mempool (" + mempool.size() + " transactions wait) while blocks "
          + (w.heightAtSubmit() + 1) + " to " + executedHeight + " committed without it: a lower nonce of its sender missing,"
          + " a fee below the others', or a busy chain";
    }
    return "it is no longer in this node's mempool";
  }

  /** Answers a submit whose nonce is used: with the stored receipt if it is this very transaction, else the refusal. */
  private void alreadyFinal(Transaction tx, String reason, Promise<Receipt> promise) {
    receipt(tx.id()).onComplete(ar -> {
      Optional<Receipt> found = ar.succeeded() ? ar.result() : Optional.empty();
      if (found.isPresent() && found.get().transaction().equals(tx)) {
        Receipt r = found.get();
        if (r.accepted()) {
          promise.complete(r);
        } else {
          promise.fail(new TransactionRejectedException(r));
        }
      } else {
        promise.fail(new TransactionRejectedException(tx.id(), reason));
      }
    });
  }

  /** A batch from a peer: decode here, check signatures on a worker, admit back on the context. */
  private void onBatch(Gossip gossip) {
    List<Transaction> txs;
    try {
      txs = TransactionBatch.decode(gossip.body());
    } catch (DecodeException e) {
      LOG.log(Level.DEBUG, "dropped a malformed transaction batch " + gossip.id() + ": " + e.getMessage());
      return;
    }
    List<Transaction> fresh = new ArrayList<>(txs.size());
    for (Transaction tx : txs) {
      if (!mempool.contains(tx.id()) && tx.chainId().equals(genesis.chainId())) {
        fresh.add(tx);
      }
    }
    if (fresh.isEmpty()) {
      return;
    }
    StateLoader.Needs needs = loader.needs(fresh, view); // read in the same worker task as the signatures
    view.loading();
    context.<Checked>executeBlocking(() -> {
      boolean[] ok = new boolean[fresh.size()];
      for (int i = 0; i < ok.length; i++) {
        ok[i] = fresh.get(i).verifySignature();
      }
      return new Checked(ok, needs.isEmpty() ? null : loader.load(needs));
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        view.loadFailed();
        LOG.log(Level.WARNING, "cannot admit a transaction batch " + gossip.id() + ": " + ar.cause());
        return;
      }
      boolean[] ok = ar.result().ok();
      view.loaded(ar.result().loaded() == null ? new StateLoader.Loaded(Map.of(), Map.of()) : ar.result().loaded());
      boolean added = false;
      for (int i = 0; i < ok.length; i++) {
        if (ok[i] && view.holds(fresh.get(i).sender())) { // held unless trimmed meanwhile: then the sender resends
          added |= mempool.add(fresh.get(i), true).valid();
        }
      }
      if (added) {
        mempoolSize = mempool.size();
        wake.run();
      }
    });
  }

  /** A batch's signature verdicts, and the state it needed read with them. */
  private record Checked(boolean[] ok, StateLoader.Loaded loaded) {}

  // ---- ConsensusApp

  /** A block of what the mempool holds (see {@link LedgerCore#propose}). */
  @Override
  public Candidate propose(String chainId, ValidatorSet validators, NodeId proposer, long height, Hash previousHash, long nowMillis) {
    Candidate c = core.propose(chainId, validators, proposer, height, previousHash, nowMillis);
    mempoolSize = mempool.size();
    return c;
  }

  @Override
  public boolean hasWork() {
    return core.hasWork();
  }

  @Override
  public void onWork(Runnable wake) {
    this.wake = Objects.requireNonNull(wake, "wake");
  }

  @Override
  public boolean accept(Candidate candidate) {
    return core.accept(candidate);
  }

  @Override
  public boolean verified(Transaction tx) {
    return core.verified(tx);
  }

  @Override
  public Future<Void> prepare(Block block) {
    StateLoader.Needs needs = core.needs(block.transactions());
    return needs.isEmpty() ? Future.succeededFuture() : load(needs);
  }

  /**
   * Executes on the context against the view: at once if the view holds what the block reads (the usual case:
   * its senders were read at admission or by {@link #prepare}), else after reading what it lacks on a worker, one
   * batch per pass. A pass that missed something is discarded and run again on complete state.
   */
  @Override
  public Future<BlockExecution> execute(Block block) {
    StateLoader.Needs needs = core.needs(block.transactions());
    if (needs.isEmpty()) {
      BlockExecution ex = attempt(block);
      if (ex != null) {
        return Future.succeededFuture(ex);
      }
      needs = core.missed();
    }
    Promise<BlockExecution> done = Promise.promise();
    executeAfter(block, needs, done);
    return done.future();
  }

  private void executeAfter(Block block, StateLoader.Needs needs, Promise<BlockExecution> done) {
    load(needs).onComplete(ar -> {
      if (ar.failed()) {
        done.fail(new org.meshledger.StorageException("cannot read the state block " + block.height() + " executes on: "
            + ar.cause().getMessage(), ar.cause()));
        return;
      }
      BlockExecution ex = attempt(block);
      if (ex != null) {
        done.complete(ex);
      } else {
        executeAfter(block, core.missed(), done); // a host validator read state no earlier pass read
      }
    });
  }

  /** One pass of execution by the core; waiting submits of what the mempool dropped fail at the next stored block. */
  private BlockExecution attempt(Block block) {
    BlockExecution ex = core.attempt(block);
    mempoolSize = mempool.size();
    return ex;
  }

  @Override
  public void stored(Block block, BlockExecution execution) {
    core.stored(block, VIEW_ENTRIES);
    // before the height moves, so that it adds nothing between this height and the node's, which moves after this
    incentiveFigures.stored(block.height(), execution.changes().records().get(IncentiveState.KEY));
    storedHeight = block.height();
    CommittedBlock done = new CommittedBlock(block, execution.results());
    execution.results().forEach(r -> outcomes.incrementAndGet(r.outcome().ordinal()));
    answer(done);
    events.stored(done);
    if (duty != null) {
      duty.stored(block);
    }
  }

  /** Completes the submits this block makes final, and fails those the mempool dropped meanwhile. */
  private void answer(CommittedBlock done) {
    List<Transaction> txs = done.block().transactions();
    if (waiting.isEmpty()) {
      return;
    }
    List<MerkleProof> proofs = null;
    for (int i = 0; i < txs.size(); i++) {
      List<Waiter> promises = waiting.remove(txs.get(i).id());
      if (promises == null) {
        continue;
      }
      if (proofs == null) {
        proofs = MerkleTree.proofs(txs.stream().map(Transaction::id).toList());
      }
      Receipt r = new Receipt(txs.get(i), done.height(), i, done.block().hash(), done.results().get(i), proofs.get(i));
      for (Waiter w : promises) {
        if (r.accepted()) {
          w.promise().tryComplete(r);
        } else {
          w.promise().tryFail(new TransactionRejectedException(r));
        }
      }
    }
    for (Iterator<Map.Entry<Hash, List<Waiter>>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Hash, List<Waiter>> e = it.next();
      if (!mempool.contains(e.getKey()) && !core.inFlight(e.getKey())) {
        it.remove();
        TransactionRejectedException dropped = new TransactionRejectedException(e.getKey(), "dropped from the mempool by block "
            + done.height() + ": its nonce was used by another transaction, the sender's balance no longer covers it, a higher fee"
            + " evicted it, or it waited longer than the mempool keeps transactions");
        e.getValue().forEach(w -> w.promise().tryFail(dropped));
      }
    }
  }

  /** Height, mempool size, transactions stored since start by outcome (accepted, failed, invalid); any thread. */
  long[] counts() {
    return new long[] {storedHeight, mempoolSize, outcomes.get(0), outcomes.get(1), outcomes.get(2)};
  }

  /** The incentive figures of the last stored block, for the meters; see {@link IncentiveFigures} for threads. */
  IncentiveFigures incentiveFigures() {
    return incentiveFigures;
  }

  /** Mempool size, for status and metrics; any thread (a moment old off the context). */
  int mempoolSize() {
    return mempoolSize;
  }

  // ---- reads

  @Override
  public long height() {
    return storedHeight;
  }

  @Override
  public Future<Optional<Block>> block(long height) {
    if (height < 1) {
      return Future.failedFuture(new IllegalArgumentException("heights start at 1, got " + height));
    }
    return read(() -> store.block(height));
  }

  @Override
  public Future<Optional<Block>> block(Hash hash) {
    Objects.requireNonNull(hash, "hash");
    return read(() -> store.block(hash));
  }

  @Override
  public Future<Optional<Receipt>> receipt(Hash transactionId) {
    Objects.requireNonNull(transactionId, "transactionId");
    return read(() -> store.transaction(transactionId).flatMap(at -> store.block(at.height()).map(b -> {
      TransactionResult result = store.rejected(at.height()).getOrDefault(at.index(), TransactionResult.accepted());
      return new Receipt(at.transaction(), at.height(), at.index(), b.hash(), result, b.proof(at.index()));
    })));
  }

  @Override
  public Future<AccountState> account(AccountId account) {
    Objects.requireNonNull(account, "account");
    return read(() -> committed.account(account));
  }

  @Override
  public Future<Long> nextNonce(AccountId account) {
    Objects.requireNonNull(account, "account");
    if (!state.serving()) {
      return Future.failedFuture(state.refusal("ask for a nonce"));
    }
    Promise<Long> promise = Promise.promise();
    // after the admissions in flight (a submit that returned counts), with the sender's committed state in the view
    if (!runOnContext(() -> admissions.onComplete(x -> {
      Future<Void> loaded = view.holds(account) ? Future.succeededFuture() : load(new StateLoader.Needs(Set.of(account), Set.of()));
      loaded.onComplete(ar -> {
        if (ar.failed()) {
          promise.fail(ar.cause());
        } else {
          promise.complete(mempool.nextUsableNonce(account)); // the mempool's own view: what admission checks against
        }
      });
    }))) {
      promise.fail(state.refusal("ask for a nonce"));
    }
    return promise.future();
  }

  @Override
  public Future<Optional<DataEntry>> current(String key) {
    Objects.requireNonNull(key, "key");
    return read(() -> store.current(key));
  }

  @Override
  public Future<IncentiveReport> incentives() {
    return read(incentiveReads::report);
  }

  @Override
  public Future<Optional<IncentiveReport.EpochRewards>> rewards(long epoch) {
    if (epoch < 0) {
      return Future.failedFuture(new IllegalArgumentException("epoch cannot be negative, got " + epoch));
    }
    return read(() -> incentiveReads.rewards(epoch));
  }

  @Override
  public Future<List<DataEntry>> history(String key, long afterVersion, int limit) {
    Objects.requireNonNull(key, "key");
    return read(() -> store.history(key, afterVersion, limit));
  }

  private <T> Future<T> read(java.util.concurrent.Callable<T> reading) {
    if (!state.serving()) {
      return Future.failedFuture(state.refusal("read the ledger (its store is closed)"));
    }
    try {
      return context.executeBlocking(reading, false);
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(state.refusal("read the ledger (its store is closed)"));
    }
  }

  // ---- events

  @Override
  public Subscription onBlock(long fromHeight, Consumer<CommittedBlock> handler) {
    Objects.requireNonNull(handler, "handler");
    if (!state.serving()) {
      throw state.refusal("follow blocks");
    }
    return events.subscribe(fromHeight, handler);
  }

  @Override
  public Subscription onBlockAsync(long fromHeight, java.util.function.Function<CommittedBlock, Future<Void>> handler) {
    Objects.requireNonNull(handler, "handler");
    if (!state.serving()) {
      throw state.refusal("follow blocks");
    }
    return events.subscribeAsync(fromHeight, handler);
  }

  @Override
  public Subscription onTransaction(long fromHeight, Consumer<Receipt> handler) {
    Objects.requireNonNull(handler, "handler");
    if (!state.serving()) {
      throw state.refusal("follow transactions");
    }
    return events.subscribeReceipts(fromHeight, handler);
  }
}
