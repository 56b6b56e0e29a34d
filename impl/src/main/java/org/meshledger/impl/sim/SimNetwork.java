package org.meshledger.impl.sim;

import java.util.PriorityQueue;
import java.util.Random;
import org.meshledger.simulation.InvariantViolation;

/**
 * The virtual clock and event queue of a consensus simulation, and the network model between its nodes:
 * each message copy is delayed independently (so messages reorder), may be lost or duplicated, and is
 * dropped across a partition. Events due at the same time run in the order they were scheduled, so a seed
 * replays exactly.
 */
final class SimNetwork {
  private record Event(long time, long seq, Runnable action) implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
    }
  }

  final Random random;
  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private long now;
  private long seq;
  private long events;

  double loss;
  double duplicate;
  long minDelay = 1;
  long maxDelay = 50;
  /** Partition group of each node; nodes in different groups do not hear each other. All 0: connected. */
  int[] group;

  SimNetwork(long seed, int nodes) {
    this.random = new Random(seed);
    this.group = new int[nodes];
  }

  long now() {
    return now;
  }

  long events() {
    return events;
  }

  void at(long time, Runnable action) {
    queue.add(new Event(Math.max(time, now), seq++, action));
  }

  void after(long delay, Runnable action) {
    at(now + Math.max(0, delay), action);
  }

  /** Schedules the delivery of one message from {@code from} to {@code to}, subject to the faults in force. */
  void send(int from, int to, Runnable deliver) {
    if (group[from] != group[to] || random.nextDouble() < loss) {
      return;
    }
    int copies = random.nextDouble() < duplicate ? 2 : 1;
    for (int i = 0; i < copies; i++) {
      long delay = minDelay + (long) (random.nextDouble() * (maxDelay - minDelay + 1));
      after(delay, deliver);
    }
  }

  void heal() {
    group = new int[group.length];
    loss = 0;
    duplicate = 0;
  }

  /** Events at one virtual instant beyond which the run is a livelock (a timer re-armed without the clock moving). */
  private static final int MAX_EVENTS_AT_ONE_INSTANT = 1_000_000;

  /** Runs events until {@code until} or until the queue is empty. */
  void runUntil(long until) {
    int atThisInstant = 0;
    while (!queue.isEmpty() && queue.peek().time() <= until) {
      Event e = queue.poll();
      atThisInstant = e.time() == now ? atThisInstant + 1 : 0;
      if (atThisInstant > MAX_EVENTS_AT_ONE_INSTANT) {
        throw new InvariantViolation("livelock: more than " + MAX_EVENTS_AT_ONE_INSTANT + " events at virtual time " + now
            + " ms without the clock moving on");
      }
      now = e.time();
      events++;
      e.action().run();
    }
    now = Math.max(now, until);
  }
}
