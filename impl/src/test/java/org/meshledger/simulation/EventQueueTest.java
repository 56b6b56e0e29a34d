package org.meshledger.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The calendar queue hands out events in exactly the order of one heap keyed by (time, scheduling order),
 * whatever mix of same-instant, near, far and beyond-the-horizon times it is given, added while it drains, with
 * events cancelled at random (the simulation skips those).
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

  private record Ref(long time, long seq, Tagged event) {}

  @Test
  void pollsInTimeThenSchedulingOrder() {
    long seed = Seeds.seed(5);
    SplittableRandom rnd = new SplittableRandom(seed);
    EventQueue q = new EventQueue();
    PriorityQueue<Ref> ref = new PriorityQueue<>((a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    long seq = 0;
    long now = 0;
    List<Long> got = new ArrayList<>();
    List<Long> want = new ArrayList<>();
    List<Tagged> pending = new ArrayList<>();
    for (int round = 0; round < 100_000; round++) {
      int adds = q.isEmpty() ? 1 + rnd.nextInt(4) : rnd.nextInt(3);
      for (int a = 0; a < adds; a++) {
        long delay = switch (rnd.nextInt(6)) {
          case 0 -> 0; // same instant
          case 1 -> rnd.nextLong(1_000_000); // same slice, mostly
          case 2 -> rnd.nextLong(200_000_000);
          case 3 -> rnd.nextLong(20_000_000_000L);
          case 4 -> 60_000_000_000L + rnd.nextLong(40_000_000_000L); // around the horizon
          default -> rnd.nextLong(3_600_000_000_000L); // far beyond it
        };
        long time = now + delay;
        Tagged t = new Tagged(seq);
        q.add(time, t);
        ref.add(new Ref(time, seq, t));
        pending.add(t);
        seq++;
      }
      if (rnd.nextInt(4) == 0) {
        pending.get(rnd.nextInt(pending.size())).cancel(); // maybe one already run, or cancelled: no effect
      }
      if (rnd.nextInt(3) > 0 || round % 1000 == 999) {
        EventQueue.Event e = nextLive(q);
        Ref r = ref.poll();
        while (r != null && r.event.cancelled) {
          r = ref.poll();
        }
        assertThat(e == null ? null : ((Tagged) e).seq).as("seed %d round %d", seed, round).isEqualTo(r == null ? null : r.seq);
        if (e != null) {
          now = e.time;
          got.add(((Tagged) e).seq);
          want.add(r.seq);
        }
      }
    }
    for (EventQueue.Event e = nextLive(q); e != null; e = nextLive(q)) {
      got.add(((Tagged) e).seq);
    }
    for (Ref r = ref.poll(); r != null; r = ref.poll()) {
      if (!r.event.cancelled) {
        want.add(r.seq);
      }
    }
    assertThat(got).as("seed %d", seed).isEqualTo(want);
  }

  /** The next event not cancelled, as the simulation skips cancelled ones; null when none is left. */
  private static EventQueue.Event nextLive(EventQueue q) {
    while (!q.isEmpty()) {
      long time = q.peekTime();
      EventQueue.Event e = q.poll();
      assertThat(e.time).isEqualTo(time);
      if (!e.cancelled) {
        return e;
      }
    }
    return null;
  }
}
