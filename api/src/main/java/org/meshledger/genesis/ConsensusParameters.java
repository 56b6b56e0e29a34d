package org.meshledger.genesis;

import java.time.Duration;
import java.util.Objects;
import org.meshledger.chain.Limits;

/**
 * How the validators run consensus. Timeouts grow by {@code timeoutIncrement} per round, as in Tendermint,
 * so that a round eventually lasts long enough for the honest validators to hear each other.
 *
 * @param proposeTimeout how long a validator waits for the round's proposal in round 0
 * @param voteTimeout how long it waits for more votes after seeing votes of two thirds (prevote and precommit)
 * @param timeoutIncrement what each further round adds to both timeouts
 * @param blockInterval the least time between two blocks while transactions are waiting
 * @param heartbeat the longest time without a block while idle: no empty block is made sooner
 * @param maxBlockTransactions the most transactions one block holds
 */
public record ConsensusParameters(Duration proposeTimeout, Duration voteTimeout, Duration timeoutIncrement,
    Duration blockInterval, Duration heartbeat, int maxBlockTransactions) {

  /** 1 s propose, 500 ms votes, +500 ms a round, 100 ms between blocks, a block each 10 s while idle, 5,000 transactions a block. */
  public static final ConsensusParameters DEFAULTS = new ConsensusParameters(Duration.ofSeconds(1), Duration.ofMillis(500),
      Duration.ofMillis(500), Duration.ofMillis(100), Duration.ofSeconds(10), 5_000);

  public ConsensusParameters {
    positive(proposeTimeout, "proposeTimeout");
    positive(voteTimeout, "voteTimeout");
    notNegative(timeoutIncrement, "timeoutIncrement");
    notNegative(blockInterval, "blockInterval");
    positive(heartbeat, "heartbeat");
    if (heartbeat.compareTo(blockInterval) < 0) {
      throw new IllegalArgumentException("heartbeat (" + heartbeat + ") cannot be shorter than blockInterval (" + blockInterval + ")");
    }
    if (maxBlockTransactions < 1 || maxBlockTransactions > Limits.MAX_BLOCK_TRANSACTIONS) {
      throw new IllegalArgumentException("maxBlockTransactions must be 1 to " + Limits.MAX_BLOCK_TRANSACTIONS + ", got " + maxBlockTransactions);
    }
  }

  private static void positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }

  private static void notNegative(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " cannot be negative, got " + d);
    }
  }
}
