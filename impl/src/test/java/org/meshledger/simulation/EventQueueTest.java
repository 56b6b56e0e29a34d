package org.meshledger.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.meshledger.spi.Peer;

/**
 * The calendar queue hands out events in exactly the order of one heap keyed by (time, the caller's key),
 * whatever mix of same-instant, near, far and beyond-the-horizon times it is given, added while it drains, with
 * events cancelled at random (the simulation skips those), and with frames in flight (entries without an event
 * object) mixed in, which come back with the parts they were queued with.
 */
@ExtendWith(Seeds.class)
class EventQueueTest {

  private static final class Tagged extends EventQueue.Event {
    final long seq;

    Tagged(long seq) {
      this.seq = seq;
    }

    @Override
    void fire() {}
  }

  /** {@code event} is null for a frame: frames cannot be cancelled. */
  private record Ref(long time, long seq, Tagged event) {
    long key() {
      return keyOf(seq);
    }

    boolean cancelled() {
      return event != null && event.cancelled;
    }
  }

  /** The key of the entry scheduled {@code seq}-th: scrambled, so that the order of keys is not the order of scheduling. */
  private static long keyOf(long seq) {
    return Lane.mix(seq, 7);
  }

  @Test
  void pollsInTimeThenKeyOrder() {
    long seed = Seeds.seed(5);
    SplittableRandom rnd = new SplittableRandom(seed);
    EventQueue q = new EventQueue();
    PriorityQueue<Ref> ref = new PriorityQueue<>((a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.key(), b.key()));
    long seq = 0;
    long now = 0;
    List<Long> got = new ArrayList<>();
    List<Long> want = new ArrayList<>();
    List<Tagged> pending = new ArrayList<>();
    for (int round = 0; round < 100_000; round++) {
      // Now and then a burst into one slice a few milliseconds ahead: buckets of several chunks.
      boolean burst = rnd.nextInt(200) == 0;
      int adds = burst ? 100 + rnd.nextInt(200) : q.isEmpty() ? 1 + rnd.nextInt(4) : rnd.nextInt(3);
      long burstAt = now + 3_000_000 + rnd.nextLong(3_000_000);
      for (int a = 0; a < adds; a++) {
        long delay = burst ? burstAt - now + rnd.nextLong(100_000) : switch (rnd.nextInt(6)) {
          case 0 -> 0; // same instant
          case 1 -> rnd.nextLong(1_000_000); // same slice, mostly
          case 2 -> rnd.nextLong(200_000_000);
          case 3 -> rnd.nextLong(20_000_000_000L);
          case 4 -> EventQueue.HORIZON_NANOS - 2_000_000_000L + rnd.nextLong(4_000_000_000L); // around the horizon
          default -> rnd.nextLong(3_600_000_000_000L); // far beyond it
        };
        long time = now + delay;
        if (rnd.nextBoolean()) {
          q.addFrame(time, keyOf(seq), seq, ~seq, new SimPeer((int) seq, 0, 0, null, Peer.Direction.OUTBOUND), "b" + seq);
          ref.add(new Ref(time, seq, null));
        } else {
          Tagged t = new Tagged(seq);
          q.add(time, keyOf(seq), t);
          ref.add(new Ref(time, seq, t));
          pending.add(t);
        }
        seq++;
      }
      for (int c = burst ? 50 : rnd.nextInt(4) == 0 ? 1 : 0; c > 0 && !pending.isEmpty(); c--) {
        // The newest events, after a burst, else any: maybe one already run, or cancelled (no effect).
        int i = burst ? pending.size() - 1 - rnd.nextInt(Math.min(pending.size(), 300)) : rnd.nextInt(pending.size());
        pending.get(i).cancel();
      }
      if (rnd.nextInt(3) > 0 || round % 1000 == 999) {
        Long e = nextLive(q);
        Ref r = ref.poll();
        while (r != null && r.cancelled()) {
          r = ref.poll();
        }
        assertThat(e).as("seed %d round %d", seed, round).isEqualTo(r == null ? null : r.seq);
        if (e != null) {
          now = r.time;
          got.add(e);
          want.add(r.seq);
        }
      }
    }
    for (Long e = nextLive(q); e != null; e = nextLive(q)) {
      got.add(e);
    }
    for (Ref r = ref.poll(); r != null; r = ref.poll()) {
      if (!r.cancelled()) {
        want.add(r.seq);
      }
    }
    assertThat(got).as("seed %d", seed).isEqualTo(want);
  }

  @Test
  void aLaneAsksOnlyUpToItsWindowsEnd() {
    // A lane with one timer far ahead asks for its next event before its window's end: none. Another lane's frame
    // then comes, due before the timer; it must come out first, and the timer after it.
    EventQueue q = new EventQueue();
    Tagged timer = new Tagged(1);
    q.add(5_000_000_000L, keyOf(1), timer);
    assertThat(q.peekTimeBefore(1_000_000_000L)).isEqualTo(Long.MAX_VALUE);
    assertThat(q.minTime()).isEqualTo(5_000_000_000L);
    q.addFrame(700_000_000L, keyOf(2), 2, ~2L, new SimPeer(2, 0, 0, null, Peer.Direction.OUTBOUND), "b2");
    assertThat(q.minTime()).isEqualTo(700_000_000L);
    assertThat(q.peekTimeBefore(1_000_000_000L)).isEqualTo(700_000_000L);
    assertThat(nextLive(q)).isEqualTo(2);
    assertThat(q.peekTimeBefore(1_000_000_000L)).isEqualTo(Long.MAX_VALUE);
    assertThat(q.peekTimeBefore(Long.MAX_VALUE)).isEqualTo(5_000_000_000L);
    assertThat(nextLive(q)).isEqualTo(1);
    assertThat(q.isEmpty()).isTrue();
    assertThat(q.minTime()).isEqualTo(Long.MAX_VALUE);
  }

  /**
   * The scheduling number of the next entry not cancelled, as the simulation skips cancelled ones; null when none
   * is left. A frame must come back with its time and parts.
   */
  private static Long nextLive(EventQueue q) {
    while (!q.isEmpty()) {
      long time = q.peekTime();
      EventQueue.Event e = q.poll();
      if (e == null) {
        assertThat(q.polledTime).isEqualTo(time);
        assertThat(q.polledFrom.owner).isEqualTo((int) q.polledAux);
        assertThat(q.polledMessage).isEqualTo("b" + q.polledAux);
        assertThat(q.polledDeparts).isEqualTo(~q.polledAux);
        assertThat(q.polledKey).isEqualTo(keyOf(q.polledAux));
        return q.polledAux;
      }
      assertThat(e.time).isEqualTo(time);
      assertThat(q.polledKey).isEqualTo(keyOf(((Tagged) e).seq));
      if (!e.cancelled) {
        return ((Tagged) e).seq;
      }
    }
    return null;
  }
}
