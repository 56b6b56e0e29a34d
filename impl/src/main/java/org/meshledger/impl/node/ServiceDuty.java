package org.meshledger.impl.node;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.meshledger.IncentivePolicy;
import org.meshledger.IncentiveReport;
import org.meshledger.NodeStatus;
import org.meshledger.TransactionRejectedException;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.impl.incentives.Challenges;
import org.meshledger.impl.incentives.EpochRecord;
import org.meshledger.impl.incentives.IncentiveState;
import org.meshledger.impl.incentives.Incentives;
import org.meshledger.impl.incentives.ServiceNode;
import org.meshledger.spi.BlockStore;

/**
 * A service node's own duty: when the block before a challenge window is stored, it reads the ledger's record of
 * it (on a worker), and if the ledger lists this node's key as a service node it computes the window's challenge
 * and proof and submits the answer signed with the node's key. It also keeps what {@link NodeStatus#service()}
 * shows. On the node's context; store reads on workers. A node that is catching up does not answer: its answer
 * would be late.
 */
final class ServiceDuty {
  private static final Logger LOG = System.getLogger("org.meshledger.incentives");

  private final Context context;
  private final Genesis genesis;
  private final IncentivePolicy.ServiceRules rules;
  private final KeyPair identity;
  private final AccountId account;
  private final BlockStore store;
  private final Incentives incentives;
  private final Amount fee;
  private final BooleanSupplier catchingUp;
  private final Function<Transaction, Future<Receipt>> submit;
  private final Function<AccountId, Future<Long>> nextNonce;
  private volatile NodeStatus.ServiceDuty status;
  private String lastAnswer = "";

  ServiceDuty(Context context, Genesis genesis, KeyPair identity, BlockStore store, Incentives incentives, Amount fee, BooleanSupplier catchingUp,
      Function<Transaction, Future<Receipt>> submit, Function<AccountId, Future<Long>> nextNonce) {
    this.context = context;
    this.genesis = genesis;
    this.rules = genesis.incentives().service();
    this.identity = identity;
    this.account = identity.accountId();
    this.store = store;
    this.incentives = incentives;
    this.fee = fee;
    this.catchingUp = catchingUp;
    this.submit = submit;
    this.nextNonce = nextNonce;
  }

  /** What the status shows: empty for a node the ledger never listed as a service node. */
  Optional<NodeStatus.ServiceDuty> status() {
    return Optional.ofNullable(status);
  }

  /** What a stored block means for this node's duty: called on the context after each block is durable. */
  void stored(Block block) {
    long h = block.height();
    boolean windowNext = h % rules.challengeInterval() == 0;
    boolean epochClosed = h % rules.epochLength() == 0;
    if (!windowNext && !epochClosed && status == null) {
      return; // nothing to answer and nothing to show: the usual block of a node that is no service node
    }
    boolean answer = windowNext && !catchingUp.getAsBoolean();
    context.<Reading>executeBlocking(() -> read(block, answer), false).onComplete(ar -> {
      if (ar.failed()) {
        LOG.log(Level.WARNING, "cannot read the ledger's service record after block " + h + ": " + ar.cause());
        return;
      }
      Reading r = ar.result();
      if (r.node().isPresent() || r.lastEpoch().isPresent() || status != null) {
        status = new NodeStatus.ServiceDuty(r.node().map(n -> IncentiveReads.standing(rules, n)), r.lastEpoch(), lastAnswer);
      }
      if (r.response() != null) {
        send(r.response(), r.window());
      }
    });
  }

  private record Reading(Optional<ServiceNode> node, Optional<IncentiveReport.ServiceResult> lastEpoch, Payload.ChallengeResponse response,
      Challenges.Window window) {}

  /** Reads this node's standing and, if it is to answer the next window, builds the answer. Blocks: on a worker. */
  private Reading read(Block block, boolean answer) {
    IncentiveState state = store.record(IncentiveState.KEY).map(IncentiveState::decode).orElseGet(incentives::initial);
    Optional<ServiceNode> node = Optional.ofNullable(state.node(account));
    long closed = rules.epochOf(block.height() + 1) - 1;
    Optional<IncentiveReport.ServiceResult> lastEpoch = closed < 0 ? Optional.empty()
        : store.record(EpochRecord.key(closed)).map(EpochRecord::decode).flatMap(e -> e.service(account));
    if (!answer || node.isEmpty() || node.get().leaving()) {
      return new Reading(node, lastEpoch, null, null);
    }
    long start = block.height() + 1;
    Challenges.Window w = Challenges.window(genesis.chainId(), rules, start, block.hash());
    Hash material = w.target() == 0 ? genesis.hash()
        : Challenges.material(store.block(w.target()).orElseThrow(() -> new IllegalStateException("block " + w.target() + " is not stored")));
    Payload.ChallengeResponse response = new Payload.ChallengeResponse(w.epoch(), w.challenge(), Challenges.proof(genesis.chainId(), w, account, material));
    return new Reading(node, lastEpoch, response, w);
  }

  private void send(Payload.ChallengeResponse response, Challenges.Window w) {
    String which = "window " + w.window() + " of epoch " + w.epoch();
    nextNonce.apply(account).compose(nonce -> submit.apply(Transaction.sign(genesis.chainId(), identity, nonce, fee, response)))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            lastAnswer = "answered " + which + " in block " + ar.result().height();
          } else if (ar.cause() instanceof TransactionRejectedException e) {
            lastAnswer = "the answer to " + which + " was rejected: " + e.getMessage();
            LOG.log(Level.WARNING, "service node " + account + ": " + lastAnswer);
          } else {
            lastAnswer = "the answer to " + which + " did not become final: " + ar.cause().getMessage();
            LOG.log(Level.INFO, "service node " + account + ": " + lastAnswer);
          }
          NodeStatus.ServiceDuty s = status;
          if (s != null) {
            status = new NodeStatus.ServiceDuty(s.standing(), s.lastEpoch(), lastAnswer);
          }
        });
  }
}
