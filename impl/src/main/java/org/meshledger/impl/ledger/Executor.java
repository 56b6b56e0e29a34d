package org.meshledger.impl.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.meshledger.TransactionValidator;
import org.meshledger.Verification;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Amount;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.TransactionResult;
import org.meshledger.genesis.Genesis;
import org.meshledger.impl.host.HostCallbacks;
import org.meshledger.impl.incentives.Incentives;
import org.meshledger.spi.RewardRule;

/**
 * Executes a block's transactions in order, the same way on every node. Sans-IO and stateless between calls:
 * the same committed state, height, transactions and previous digest always give the same
 * {@link BlockExecution}.
 *
 * <p>Per transaction, in this order (the rules and their reasons are in {@code docs/adr/006-execution.md}):
 * <ol>
 *   <li><b>Invalid</b>, no effect at all: another chain's id; (if enabled) a signature that does not verify;
 *       a nonce other than the sender's next; a fee below the chain minimum; a balance that cannot pay the fee.
 *   <li>Otherwise the fee leaves the sender (the incentive policy pays it out at the block's end) and the sender's
 *       nonce advances.
 *   <li><b>Failed</b>, fee kept: a transfer the remaining balance cannot cover; a DATA write whose expected
 *       version is not the key's current version (stale); a DATA write the host validator rejects, throws on
 *       (the reason names the exception) or returns no verdict for.
 *   <li>Otherwise <b>accepted</b>: a transfer moves its amount; a DATA write stores the next version of its
 *       key; a service registration locks its bond; an exit starts unbonding; a challenge response counts for its
 *       node (the service-node rules, with their failure reasons, are in {@link Incentives}).
 * </ol>
 *
 * <p>After the last transaction, {@link Incentives} has the chain's reward rule pay for the block: subsidy and
 * fees to the pools, and at an epoch's end the service pools to the nodes that earned them.
 *
 * <p><b>Signatures.</b> Checking them costs far more than the rest of execution, so by default the caller
 * has: the mempool checks each transaction on admission, and a node checks a block's signatures (in a batch,
 * off the event loop) before it prevotes a proposal or appends a block it fetched. Pass
 * {@code verifySignatures = true} to have the executor check them too.
 */
public final class Executor {
  /** Host DATA keys may not start with this: the ledger's own records live under it. */
  public static final String RESERVED_PREFIX = "meshledger/";

  private final String chainId;
  private final Incentives incentives;
  private final Amount minimumFee;
  private final TransactionValidator validator;
  private final boolean verifySignatures;
  /** Deliberate faults switched on by the simulator's tests ({@link #inject}); empty in production. */
  private final java.util.EnumSet<LedgerBug> bugs = java.util.EnumSet.noneOf(LedgerBug.class);

  /**
   * @param incentives the chain's incentive rules
   * @param minimumFee the least fee a transaction may pay (must be the same on every node)
   * @param validator the host's rules for DATA transactions
   * @param verifySignatures whether to verify each signature here as well
   */
  public Executor(Incentives incentives, Amount minimumFee, TransactionValidator validator, boolean verifySignatures) {
    this.incentives = Objects.requireNonNull(incentives, "incentives");
    this.chainId = incentives.chainId();
    this.minimumFee = Objects.requireNonNull(minimumFee, "minimumFee");
    this.validator = Objects.requireNonNull(validator, "validator");
    this.verifySignatures = verifySignatures;
  }

  /** An executor for {@code genesis} with its reward rule: no minimum fee, signatures checked by the caller. */
  public static Executor of(Genesis genesis, RewardRule rule, TransactionValidator validator) {
    return new Executor(Incentives.of(genesis, rule), Amount.ZERO, validator, false);
  }

  /**
   * Turns on a deliberate fault, for the simulator's proof that it finds such faults. Never called in production;
   * package-private so only tests of this package reach it.
   */
  void inject(LedgerBug bug) {
    bugs.add(bug);
  }

  public Incentives incentives() {
    return incentives;
  }

  /**
   * What execution needs to know about the block besides its transactions.
   *
   * @param height the block's height, at least 1
   * @param previousHash the hash of the block before it (the genesis hash for block 1)
   * @param proposer the account of its proposer
   * @param signers the accounts whose precommits are in the commit certificate it carries, in validator order
   */
  public record BlockInfo(long height, Hash previousHash, AccountId proposer, List<AccountId> signers) {
    public BlockInfo {
      if (height < 1) {
        throw new IllegalArgumentException("height must be at least 1, got " + height);
      }
      Objects.requireNonNull(previousHash, "previousHash");
      Objects.requireNonNull(proposer, "proposer");
      signers = List.copyOf(signers);
    }

    /** The facts of {@code block}. */
    public static BlockInfo of(org.meshledger.chain.Block block) {
      List<AccountId> signers = new ArrayList<>();
      block.previousCommitSigners().forEach(n -> signers.add(new AccountId(n.key())));
      return new BlockInfo(block.height(), block.header().previousHash(), new AccountId(block.header().proposer().key()), signers);
    }
  }

  /**
   * Executes the transactions of {@code block} over {@code committed}, the state after the block before it.
   *
   * @param committed the committed state, genesis balances and the ledger's records included (see {@link CommittedState})
   * @param block the block's height, previous hash, proposer and the signers of the commit it carries
   * @param transactions the block's transactions, in block order
   * @param previousDigest the state digest after the previous block ({@link StateDigest#initial} for block 1)
   * @param history reads old blocks for the service nodes' challenge proofs
   */
  public BlockExecution execute(LedgerView committed, BlockInfo block, List<Transaction> transactions, Hash previousDigest,
      Incentives.History history) {
    Objects.requireNonNull(committed, "committed");
    Objects.requireNonNull(previousDigest, "previousDigest");
    BlockState state = new BlockState(committed);
    Incentives.BlockRun run = incentives.begin(incentiveState(state), block.height(), block.previousHash());
    List<TransactionResult> results = new ArrayList<>(transactions.size());
    for (int i = 0; i < transactions.size(); i++) {
      results.add(apply(state, run, history, block.height(), i, Objects.requireNonNull(transactions.get(i), "transaction")));
    }
    run.end(block.proposer(), block.signers());
    java.util.TreeMap<Integer, TransactionResult> rejected = new java.util.TreeMap<>();
    for (int i = 0; i < results.size(); i++) {
      if (!results.get(i).isAccepted()) {
        rejected.put(i, results.get(i));
      }
    }
    var changes = state.changes(rejected);
    Hash digest = StateDigest.next(previousDigest, block.height(), changes);
    return new BlockExecution(changes.withDigest(digest), results, digest);
  }

  private TransactionResult apply(BlockState state, Incentives.BlockRun run, Incentives.History history, long height, int index, Transaction tx) {
    if (!tx.chainId().equals(chainId)) {
      return TransactionResult.invalid("chain id '" + tx.chainId() + "' is not this chain's ('" + chainId + "')");
    }
    if (verifySignatures && !tx.verifySignature()) {
      return TransactionResult.invalid("the signature does not verify for sender " + tx.sender());
    }
    AccountId sender = tx.sender();
    AccountState from = state.account(sender);
    if (tx.nonce() != from.nextNonce() && !bugs.contains(LedgerBug.SKIP_NONCE_CHECK)) {
      return TransactionResult.invalid(tx.nonce() < from.nextNonce()
          ? "nonce " + tx.nonce() + " was already used (the sender's next nonce is " + from.nextNonce() + ")"
          : "nonce " + tx.nonce() + " leaves a gap (the sender's next nonce is " + from.nextNonce() + ")");
    }
    if (tx.fee().compareTo(minimumFee) < 0) {
      return TransactionResult.invalid("fee " + tx.fee() + " is below the chain minimum of " + minimumFee);
    }
    if (from.balance().compareTo(tx.fee()) < 0) {
      return TransactionResult.invalid("balance " + from.balance() + " cannot pay the fee of " + tx.fee());
    }
    state.put(sender, new AccountState(from.balance().minus(tx.fee()), from.nextNonce() + 1));
    run.fee(tx.fee());
    Payload p = tx.payload();
    if (p instanceof Payload.Transfer t) {
      return transfer(state, sender, t);
    }
    if (p instanceof Payload.DataWrite w) {
      return write(state, height, index, tx, w);
    }
    if (p instanceof Payload.ChallengeResponse r) {
      return run.answer(sender, r, history);
    }
    if (p instanceof Payload.ServiceRegistration r) {
      return run.register(sender, r.tier());
    }
    return run.exit(sender); // Payload.ServiceExit, the last kind
  }

  private static TransactionResult transfer(BlockState state, AccountId sender, Payload.Transfer t) {
    if (t.to().equals(Incentives.ESCROW)) { // nobody can sign for it and only bonds leave it: units sent there would be stuck
      return TransactionResult.failed("the bond escrow " + Incentives.ESCROW + " takes bonds only: register as a service node instead");
    }
    AccountState from = state.account(sender);
    if (from.balance().compareTo(t.amount()) < 0) {
      return TransactionResult.failed("overdraft: balance " + from.balance() + " after the fee cannot cover the transfer of " + t.amount());
    }
    state.put(sender, new AccountState(from.balance().minus(t.amount()), from.nextNonce()));
    credit(state, t.to(), t.amount());
    return TransactionResult.accepted();
  }

  private TransactionResult write(BlockState state, long height, int index, Transaction tx, Payload.DataWrite w) {
    if (w.key().startsWith(RESERVED_PREFIX)) {
      return TransactionResult.failed("data key '" + w.key() + "' starts with '" + RESERVED_PREFIX + "', which the ledger reserves for its own records");
    }
    long current = state.version(w.key());
    if (w.expectedVersion().isPresent() && w.expectedVersion().getAsLong() != current) {
      return TransactionResult.failed("stale write: key '" + w.key() + "' is at version " + current + ", the write expected version "
          + w.expectedVersion().getAsLong());
    }
    Verification verdict;
    try {
      verdict = validator.check(tx, state); // on a node, already made safe by HostCallbacks.validator
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      return TransactionResult.failed("rejected by the host validator: " + HostCallbacks.threw(e));
    }
    if (verdict == null) {
      return TransactionResult.failed("rejected by the host validator: " + HostCallbacks.NO_VERDICT);
    }
    if (!verdict.valid()) {
      return TransactionResult.failed("rejected by the host validator: " + verdict.reason());
    }
    state.write(new DataEntry(w.key(), w.value(), current + 1, tx.sender(), height, index, tx.id()));
    return TransactionResult.accepted();
  }

  private static void credit(BlockState state, AccountId account, Amount amount) {
    if (amount.isZero()) {
      return; // touching an account for nothing would store a change that is not one
    }
    AccountState to = state.account(account);
    state.put(account, new AccountState(to.balance().plus(amount), to.nextNonce()));
  }

  /** What the incentive rules read and write: the block's state. */
  private static Incentives.State incentiveState(BlockState state) {
    return new Incentives.State() {
      @Override
      public AccountState account(AccountId account) {
        return state.account(account);
      }

      @Override
      public void put(AccountId account, AccountState s) {
        state.put(account, s);
      }

      @Override
      public java.util.Optional<byte[]> record(String key) {
        return state.record(key);
      }

      @Override
      public void putRecord(String key, byte[] value) {
        state.putRecord(key, value);
      }
    };
  }
}
