package org.meshledger.impl.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.meshledger.impl.consensus.Fixture.CHAIN;

import org.junit.jupiter.api.Test;
import org.meshledger.chain.NodeId;
import org.meshledger.crypto.KeyPair;
import org.meshledger.impl.consensus.ConsensusHealth.Assessment;
import org.meshledger.impl.consensus.ConsensusHealth.Verdict;

/**
 * What a node says about consensus, driven by hand with chosen times: reachability from connections and relayed
 * messages, and a height that stalls by rounds or by time. The parameters are {@link Fixture#PARAMS}: 1 s
 * propose, 500 ms votes, +250 ms a round, 10 s heartbeat; with 4 validators f = 1, so a height stalls from round 3
 * or after (1000 + 1000) + (1250 + 1500) + (1500 + 2000) = 8,250 ms.
 */
class ConsensusHealthTest {
  private final Fixture f = new Fixture(4);
  private final KeyPair me = f.validator(0);
  private final ConsensusHealth health = new ConsensusHealth(f.config(me));

  private NodeId v(int i) {
    return f.validator(i).nodeId();
  }

  @Test
  void theThresholdsFollowTheSetAndItsTimeouts() {
    assertThat(health.stallRounds()).isEqualTo(3);
    assertThat(health.stallMillis()).isEqualTo(8_250);
    assertThat(health.heardWindowMillis()).isEqualTo(10_000 + 8_250);
    assertThat(new ConsensusHealth(new Fixture(7).config(new Fixture(7).validator(0))).stallRounds()).as("f = 2").isEqualTo(4);
  }

  @Test
  void twoOfFourValidatorsGoneIsNoQuorumAndOneBackClearsIt() {
    for (int i = 1; i < 4; i++) {
      health.connected(v(i), 0);
    }
    assertThat(health.assess(0).verdict()).isEqualTo(Verdict.OK);
    assertThat(health.assess(0).reachable()).isEqualTo(4);

    health.disconnected(v(2));
    assertThat(health.assess(0).verdict()).as("three of four are a quorum").isEqualTo(Verdict.OK);
    health.disconnected(v(3));
    Assessment a = health.assess(0);
    assertThat(a.verdict()).isEqualTo(Verdict.NO_QUORUM);
    assertThat(a.reachable()).isEqualTo(2);
    assertThat(a.needed()).isEqualTo(3);
    assertThat(a.validators()).isEqualTo(4);
    assertThat(a.reason()).contains("2 of 4 validators reachable, 3 needed")
        .contains(v(2).toHex().substring(0, 16), v(3).toHex().substring(0, 16)).doesNotContain(v(1).toHex().substring(0, 16))
        .contains("Start or reconnect 1 of them");

    health.connected(v(3), 0);
    assertThat(health.assess(0).verdict()).isEqualTo(Verdict.OK);
    assertThat(health.assess(0).reason()).isEmpty();
  }

  @Test
  void aValidatorHeardThroughOthersIsReachableForTheWindowAfterItsLastMessage() {
    health.connected(v(1), 0);
    health.heard(v(2), 1_000);
    assertThat(health.assess(1_000).reachable()).isEqualTo(3);
    assertThat(health.assess(1_000 + health.heardWindowMillis()).verdict()).isEqualTo(Verdict.OK);
    assertThat(health.assess(1_001 + health.heardWindowMillis()).verdict()).isEqualTo(Verdict.NO_QUORUM);
    health.heard(v(2), 20_000);
    assertThat(health.assess(20_000).verdict()).as("its next message makes it reachable again").isEqualTo(Verdict.OK);
  }

  @Test
  void aClosedConnectionForgetsWhatCameThroughOthersAndNonValidatorsDoNotCount() {
    health.connected(v(1), 0);
    health.connected(v(2), 0);
    health.heard(v(2), 0); // possibly its last vote, relayed just before it went
    health.disconnected(v(2));
    assertThat(health.assess(1).verdict()).as("no window of grace for a validator whose connection closed").isEqualTo(Verdict.NO_QUORUM);

    NodeId outsider = KeyPair.generate().nodeId();
    health.connected(outsider, 1);
    health.heard(outsider, 1);
    health.heard(me.nodeId(), 1);
    assertThat(health.assess(1).reachable()).isEqualTo(2);
  }

  @Test
  void aFollowerCountsOnlyTheValidatorsItReaches() {
    ConsensusHealth follower = new ConsensusHealth(f.config(KeyPair.generate()));
    assertThat(follower.assess(0).reachable()).isZero();
    for (int i = 0; i < 3; i++) {
      follower.connected(v(i), 0);
    }
    assertThat(follower.assess(0).verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void aHeightWithAQuorumReachableStallsAfterTheTimeOfFPlusTwoRoundsButNotWhileWaitingForIt() {
    for (int i = 1; i < 4; i++) {
      health.connected(v(i), 0);
    }
    health.observe(5, 0, true, 0); // committed 4, waiting out the heartbeat
    assertThat(health.assess(60_000).verdict()).as("the idle wait between heights is no stall").isEqualTo(Verdict.OK);
    health.observe(5, 0, false, 60_000); // round 0 of height 5 begins
    health.observe(5, 0, false, 61_000); // a vote came in
    assertThat(health.assess(60_000 + 8_249).verdict()).isEqualTo(Verdict.OK);
    Assessment stalled = health.assess(60_000 + 8_250);
    assertThat(stalled.verdict()).isEqualTo(Verdict.STALLED);
    assertThat(stalled.reason()).contains("height 5 has gone 8.3 s without a decision while a quorum was reachable (4 of 4 validators, 3 needed), now in round 0");

    health.observe(6, 0, true, 70_000); // decided
    assertThat(health.assess(70_000).verdict()).isEqualTo(Verdict.OK);
    health.observe(6, 0, false, 70_100);
    assertThat(health.assess(70_100 + 8_249).verdict()).as("the clock restarts with the height").isEqualTo(Verdict.OK);
  }

  @Test
  void aHeightThatWaitedForAQuorumIsNotStalledTheMomentTheQuorumIsBack() {
    health.connected(v(1), 0);
    health.observe(5, 0, false, 0);
    assertThat(health.assess(60_000).verdict()).isEqualTo(Verdict.NO_QUORUM);
    health.connected(v(2), 60_000); // the third validator is back: the clock starts now
    assertThat(health.assess(60_000).verdict()).isEqualTo(Verdict.OK);
    assertThat(health.assess(60_000 + 8_249).verdict()).isEqualTo(Verdict.OK);
    assertThat(health.assess(60_000 + 8_250).verdict()).isEqualTo(Verdict.STALLED);
    health.connected(v(3), 70_000); // a fourth adds to a quorum that was there: no new clock
    assertThat(health.assess(70_000).verdict()).isEqualTo(Verdict.STALLED);
  }

  @Test
  void roundsThatEndWithoutADecisionCountToAStall() {
    for (int i = 1; i < 4; i++) {
      health.connected(v(i), 0);
    }
    Fixture.Host host = new Fixture.Host(f, me.nodeId());
    Tendermint machine = new Tendermint(f.config(me), host, 0, Fixture.GENESIS, null);
    machine.start();
    health.observe(machine.height(), machine.round(), machine.waitingForHeight(), 0);
    for (int r = 0; r < 3; r++) {
      assertThat(health.assess(1).verdict()).as("round %d", r).isEqualTo(Verdict.OK);
      // everyone votes nil: the round ends without a decision
      for (int i = 1; i < 4; i++) {
        KeyPair k = f.validator(i);
        machine.onMessage(k.nodeId(), Vote.sign(k, CHAIN, VoteType.PREVOTE, 1, r, null));
        machine.onMessage(k.nodeId(), Vote.sign(k, CHAIN, VoteType.PRECOMMIT, 1, r, null));
      }
      machine.onTimeout(new Timeout(Timeout.Kind.PRECOMMIT, 1, r));
      health.observe(machine.height(), machine.round(), machine.waitingForHeight(), 1);
    }
    assertThat(machine.round()).isEqualTo(3);
    assertThat(health.assess(1).verdict()).isEqualTo(Verdict.STALLED);
    assertThat(health.assess(1).reason()).contains("now in round 3");
  }
}
