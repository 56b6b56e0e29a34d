package org.meshledger.impl.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.meshledger.impl.consensus.Fixture.GENESIS;

import org.junit.jupiter.api.Test;
import org.meshledger.chain.Block;

/**
 * The classic case for locking, on four honest validators with hand-routed messages. In round 0 everyone
 * but D prevotes and precommits v, and only A receives the precommits: A commits v. In round 1, D (which
 * saw nothing) proposes another block w. Were B and C not locked on v, they would prevote w with D, w would
 * get 2f+1 prevotes and precommits, and B, C, D would commit w at the height where A committed v: a fork.
 * Locked, they prevote nil; in round 2 C re-proposes v with its proof of lock and everyone commits v.
 */
class LockingScenarioTest {
  private static final int A = 0;
  private static final int B = 1; // proposer of round 0 at height 1
  private static final int D = 2; // proposer of round 1
  private static final int C = 3; // proposer of round 2

  private final Fixture f = new Fixture(4);
  private final Fixture.Host[] hosts = new Fixture.Host[4];
  private final Tendermint[] nodes = new Tendermint[4];
  private final int[] cursor = new int[4];

  interface Route {
    boolean deliver(int from, int to, ConsensusMessage m);
  }

  private void pump(Route route) {
    boolean moved = true;
    while (moved) {
      moved = false;
      for (int i = 0; i < 4; i++) {
        while (cursor[i] < hosts[i].sent.size()) {
          ConsensusMessage m = hosts[i].sent.get(cursor[i]++);
          moved = true;
          for (int j = 0; j < 4; j++) {
            if (j != i && route.deliver(i, j, m)) {
              nodes[j].onMessage(f.validator(i).nodeId(), m);
            }
          }
        }
      }
    }
  }

  private void timeout(int node, Timeout.Kind kind, int round) {
    nodes[node].onTimeout(new Timeout(kind, 1, round));
  }

  @Test
  void lockingPreventsAFork() {
    for (int i = 0; i < 4; i++) {
      hosts[i] = new Fixture.Host(f, f.validator(i).nodeId());
      nodes[i] = new Tendermint(f.config(f.validator(i)), hosts[i], 0, GENESIS, null);
    }
    for (int i = 0; i < 4; i++) {
      nodes[i].start();
    }
    // round 0: D hears nothing; precommits reach A only
    pump((from, to, m) -> to != D && !(m instanceof Vote v && v.type() == VoteType.PRECOMMIT && to != A));
    assertThat(hosts[A].chain).hasSize(1);
    Block committedByA = hosts[A].chain.get(0);
    assertThat(hosts[B].lastVote(VoteType.PRECOMMIT).block()).isEqualTo(committedByA.hash());
    assertThat(hosts[C].lastVote(VoteType.PRECOMMIT).block()).isEqualTo(committedByA.hash());

    // A has moved on and is silent from now on; B, C and D time out into round 1, where D proposes w
    Route withoutA = (from, to, m) -> from != A && to != A;
    for (int n : new int[] {B, C, D}) {
      timeout(n, Timeout.Kind.PRECOMMIT, 0);
    }
    pump(withoutA);
    Proposal w = (Proposal) hosts[D].sent.stream().filter(m -> m instanceof Proposal p && p.round() == 1).findFirst().orElseThrow();
    assertThat(w.value().hash()).isNotEqualTo(committedByA.hash());
    assertThat(hosts[B].lastVote(VoteType.PREVOTE).isNil()).as("B is locked on v").isTrue();
    assertThat(hosts[C].lastVote(VoteType.PREVOTE).isNil()).as("C is locked on v").isTrue();
    assertThat(hosts[D].lastVote(VoteType.PREVOTE).block()).isEqualTo(w.value().hash());
    for (int n : new int[] {B, C, D}) {
      assertThat(hosts[n].votes(VoteType.PRECOMMIT)).noneMatch(v -> w.value().hash().equals(v.block()));
      timeout(n, Timeout.Kind.PREVOTE, 1);
    }
    pump(withoutA);
    for (int n : new int[] {B, C, D}) {
      timeout(n, Timeout.Kind.PRECOMMIT, 1);
    }
    // round 2: C re-proposes v with its proof of lock from round 0, which D needs to prevote it
    pump(withoutA);
    for (int n : new int[] {B, C, D}) {
      assertThat(hosts[n].chain).as("node " + n).extracting(Block::hash).containsExactly(committedByA.hash());
      assertThat(hosts[n].chain.get(0).verify(f.validators).valid()).isTrue();
    }
  }
}
