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
 * whatever mix of same-instant, near, far and beyond-the-horizon times it is given, added while it drains.
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

  private record Ref(long time, long seq) {}

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
        q.add(time, new Tagged(seq));
        ref.add(new Ref(time, seq));
        seq++;
      }
      if (rnd.nextInt(3) > 0 || round % 1000 == 999) {
        assertThat(q.peekTime()).isEqualTo(ref.peek().time);
        EventQueue.Event e = q.poll();
        Ref r = ref.poll();
        now = e.time;
        got.add(((Tagged) e).seq);
        want.add(r.seq);
      }
    }
    while (!q.isEmpty()) {
      got.add(((Tagged) q.poll()).seq);
      want.add(ref.poll().seq);
    }
    assertThat(ref).isEmpty();
    assertThat(got).isEqualTo(want);
  }
}
