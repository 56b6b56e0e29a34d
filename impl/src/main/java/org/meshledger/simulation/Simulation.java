package org.meshledger.simulation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.function.IntPredicate;
import java.util.function.ToLongBiFunction;
import org.meshledger.Gossip;
import org.meshledger.PropagationStats;
import org.meshledger.PropagationStats.Kind;
import org.meshledger.Propagator;
import org.meshledger.Spreading;
import org.meshledger.chain.Hash;
import org.meshledger.impl.spreading.Relay;
import org.meshledger.impl.spreading.RelayPropagator;
import org.meshledger.spi.Peer;
import org.meshledger.spi.SpreadFrame;
import org.meshledger.spi.SpreadingProtocolProvider;
import org.meshledger.spi.SpreadingProtocols;

/**
 * A discrete-event simulation of a network of nodes running one spreading protocol: the protocol code that
 * runs on real sockets, driven by a virtual clock. Thousands of nodes run in one thread, far faster than real
 * time (or on several: {@link SimulationOptions#setThreads}), and a run is a pure function of its
 * {@link SimulationOptions}: the same seed replays it event for event, whatever the number of threads (events
 * due at the same instant run in the order of a key: the number of the node that scheduled them, then the
 * order it scheduled them in; actions come first).
 *
 * <p>The network model: a {@link Topology} of connections with directions, a {@link LatencyModel} drawn per
 * frame, optional upload bandwidth per node (frames queue behind each other), optional independent frame
 * loss. Faults and churn are scheduled or applied between runs: {@link #remove} (a node leaves and its peers
 * see the connections close), {@link #add} (a node joins), {@link #crash} (a node stops silently),
 * {@link #partition} and {@link #heal}. Spies follow the protocol and record, for each message, when and from
 * whom a spy first heard of it.
 *
 * <p>Typical use: publish messages with {@link #publish(int)} (or schedule them with {@link #at}), call
 * {@link #run()}, read the {@link #report()}. Not thread-safe: one thread drives a simulation; with several
 * lanes, it starts their threads for each run and waits for them.
 */
public final class Simulation {
  private final SimulationOptions options;
  private final Spreading spreading;
  private final SpreadingProtocolProvider provider;
  /** The lanes of nodes, each run by one thread in a window (ADR 023); one when the simulation runs on one thread. */
  private final Lane[] lanes;
  /**
   * How far a window of the lanes reaches past the earliest event: the latency model's floor, so that no frame a
   * lane sends in a window arrives at another lane within it. Long.MAX_VALUE with one lane.
   */
  private final long lookahead;
  /** Actions ({@link #at}): run by the simulation's thread, between windows, before the nodes' events of their instant. */
  private final EventQueue actions = new EventQueue();
  private long actionCount;
  private long actionEvents;
  private long actionFingerprint;
  private final Network network;
  private final SplittableRandom control;
  private final long nodeSeedBase;
  private final List<SimNode> nodes = new ArrayList<>();
  private final Map<Hash, Trace> traces = new HashMap<>();
  /** The same traces by message object: a delivery finds its trace without hashing the id (the relays pass the published object on). */
  private final Map<Gossip, Trace> tracesByObject = new IdentityHashMap<>();
  private final List<Trace> traceList = new ArrayList<>();
  /** The time between windows (with one lane, the lane's clock is the time). */
  private long now;
  /**
   * The end (exclusive) of the window the lanes run, the same for all: a frame for another lane must not arrive
   * before it. Written only while no lane runs, except by {@link #at} from a handler, with one lane.
   */
  private long windowEnd;
  /** Which of each pair of outboxes the lanes fill in this window; the other is emptied in it. */
  private int filling;
  private int published;
  private int runningCount;
  private final Graph graph;
  /** One for all nodes. */
  private final Relay.Settings relaySettings;
  /*
   * What a frame's arrival and a timer read about a node, kept by node number in shared arrays rather than in
   * the node's object: a run of 100,000 nodes takes a cache miss for every object an event touches (ADR 019).
   */
  /** The nodes that run (neither removed nor crashed). */
  private final BitSet running = new BitSet();
  private final BitSet spies = new BitSet();
  /** By connection number: whether the connection is up (both ends see the same). */
  private final BitSet linksUp = new BitSet();
  private int linkCount;
  /** By node number. */
  private Relay[] relays = new Relay[16];
  /**
   * When each node stopped (was removed or crashed), by number; Long.MAX_VALUE while it runs. What a frame sent
   * later is checked against when it arrives ({@link Network#transmitLater}), once there has been a fault.
   */
  private long[] stoppedAt = new long[0];
  /** Whether a node has stopped or a partition begun so far. */
  private boolean anyFault;
  /**
   * Duplicate announcements answered here, not by the relay (ADR 022): an announcement of a message that is
   * public at its target only counts, by the relay's contract ({@link Relay#countDuplicateAnnouncements}), and
   * a large run has six of them for every node and message. Which nodes hold a message public is kept from
   * the relays' own reports ({@link Relay.Listener#madePublic}, {@link Relay.Listener#forgotten}) in a bit set
   * per message, which stays in cache; the counts wait here, by node, and reach the relays before anything
   * outside the relays can read them (an action, a host's handler, the end of a run). Off only in the test that
   * checks it changes nothing.
   */
  boolean answerDuplicates = true;
  private final Map<Hash, Bits> publicAt = new HashMap<>();
  /** By node: duplicates not yet handed to its relay; the nodes with any are in their lane's unsettled list. */
  private int[] pendingDuplicates = new int[16];
  /** Bumped when a connection opens or a node stops: {@link #component} is then out of date. */
  private long topologyVersion;
  private long componentVersion = -1;
  /** The live component found for the last publication. */
  private BitSet component;

  /**
   * Builds the network: draws the graph, starts every node's protocol and picks the spies.
   *
   * @throws org.meshledger.ConfigurationException if the protocol is unknown or a parameter is invalid
   */
  public Simulation(SimulationOptions options) {
    this.options = new SimulationOptions(Objects.requireNonNull(options, "options"));
    this.provider = SpreadingProtocols.provider(this.options.getSpreading().protocol());
    this.spreading = new Spreading(provider.name(), provider.validate(this.options.getSpreading().parameters()));
    SplittableRandom root = new SplittableRandom(this.options.getSeed());
    SplittableRandom topologyRandom = root.split();
    root.split(); // was the network's source; the nodes' sources draw for the network now
    int threads = this.options.getThreads();
    long floor = this.options.getLatency().minNanos();
    if (threads > 1 && floor <= 0) {
      throw new IllegalArgumentException("a simulation on " + threads + " threads needs a latency model with a floor above 0"
          + " (LatencyModel.minNanos()), such as logNormal(...).atLeast(...): the floor is how far each thread may run ahead");
    }
    this.lanes = new Lane[threads];
    for (int i = 0; i < threads; i++) {
      lanes[i] = new Lane(i, threads);
    }
    this.lookahead = threads == 1 ? Long.MAX_VALUE : floor;
    this.network = new Network(this, this.options);
    this.control = root.split();
    this.nodeSeedBase = root.nextLong();
    this.graph = this.options.getTopology().generate(topologyRandom);
    if (graph.size() > SimNode.MAX_NODES) {
      throw new IllegalArgumentException("a simulation holds at most " + SimNode.MAX_NODES + " nodes, not " + graph.size());
    }
    this.relaySettings = new Relay.Settings(this.options.getSeenCapacity(), this.options.getRequestTimeout(), 8);
    for (int i = 0; i < graph.size(); i++) {
      nodes.add(new SimNode(this, i, nodeSeed(i), laneOf(i)));
    }
    for (int i = 0; i < graph.size(); i++) {
      int[] nbr = graph.neighbors(i);
      for (int j = 0; j < nbr.length; j++) {
        if (graph.isOutbound(i, j)) {
          connect(i, nbr[j]);
        }
      }
    }
    for (SimNode n : nodes) {
      start(n);
    }
    runningCount = nodes.size();
    running.set(0, nodes.size());
    int spyCount = (int) Math.round(this.options.getSpyFraction() * graph.size());
    for (int s = 0; s < spyCount; ) {
      int n = control.nextInt(nodes.size());
      if (!spies.get(n)) {
        spies.set(n);
        s++;
      }
    }
  }

  /**
   * The lane of node {@code index}: blocks of 512 nodes dealt in turn, so that the cache lines of arrays by node
   * (a bit, an int or a long per node) that one lane writes are not written by another: two cores writing one
   * line take turns holding it.
   */
  private Lane laneOf(int index) {
    return lanes[(index >>> 9) % lanes.length];
  }

  private long nodeSeed(int index) {
    return new SplittableRandom(nodeSeedBase ^ (index * 0x9E3779B97F4A7C15L)).nextLong();
  }

  private void start(SimNode n) {
    int index = n.index;
    n.relay = new Relay(n, provider.create(spreading.parameters()), relaySettings, new Relay.Listener() {
      @Override
      public void delivered(Gossip g) {
        Simulation.this.delivered(n, g);
        RelayPropagator p = n.propagator;
        if (p != null) {
          settleDuplicates(); // the host's handlers may read any node's statistics
          p.delivered(g);
        }
      }

      @Override
      public void madePublic(Gossip g) {
        Bits b = publicAt.get(g.id());
        if (b == null) {
          // Published by a host, not by publish(): only with one lane (see propagator()), so no other thread reads.
          b = new Bits(nodes.size());
          publicAt.put(g.id(), b);
        }
        b.set(index);
      }

      @Override
      public void forgotten(Gossip g) {
        Bits b = publicAt.get(g.id());
        if (b != null) {
          b.clear(index);
        }
      }
    });
    if (n.index >= relays.length) {
      relays = Arrays.copyOf(relays, Math.max(n.index + 1, relays.length * 2));
    }
    if (n.index >= pendingDuplicates.length) {
      pendingDuplicates = Arrays.copyOf(pendingDuplicates, Math.max(n.index + 1, pendingDuplicates.length * 2));
    }
    if (n.index >= stoppedAt.length) {
      int old = stoppedAt.length;
      stoppedAt = Arrays.copyOf(stoppedAt, Math.max(n.index + 1, old * 2));
      Arrays.fill(stoppedAt, old, stoppedAt.length, Long.MAX_VALUE);
    }
    relays[n.index] = n.relay;
    for (Bits b : publicAt.values()) {
      b.ensure(nodes.size());
    }
  }

  private void connect(int dialler, int listener) {
    topologyVersion++;
    SimNode a = nodes.get(dialler);
    SimNode b = nodes.get(listener);
    int link = linkCount++;
    linksUp.set(link);
    SimPeer ab = new SimPeer(dialler, listener, link, b.id, Peer.Direction.OUTBOUND);
    SimPeer ba = new SimPeer(listener, dialler, link, a.id, Peer.Direction.INBOUND);
    ab.reverse = ba;
    ba.reverse = ab;
    a.peers.add(ab);
    b.peers.add(ba);
  }

  // ---- time and events ----

  /** The virtual time, in nanoseconds since the start. */
  public long nowNanos() {
    return lanes.length == 1 ? lanes[0].now : now;
  }

  /** The virtual time since the start. */
  public Duration now() {
    return Duration.ofNanos(nowNanos());
  }

  /** The events processed so far: frames delivered, timers fired, actions run. */
  public long events() {
    long n = actionEvents;
    for (Lane l : lanes) {
      n += l.events;
    }
    return n;
  }

  /**
   * A digest of the virtual time and key of every event processed so far: two runs that process the same events
   * at the same instants have the same fingerprint, whatever the number of threads. A cheap check that a seed
   * replays a run.
   */
  public long fingerprint() {
    long f = actionFingerprint;
    for (Lane l : lanes) {
      f += l.fingerprint;
    }
    return f;
  }

  /**
   * Runs {@code action} (publish, churn, faults) at virtual time {@code time} since the start, on the thread that
   * called {@link #run} or {@link #runFor}, before the nodes' events due at the same instant.
   */
  public void at(Duration time, Runnable action) {
    long t = time.toNanos();
    if (t < nowNanos()) {
      throw new IllegalArgumentException("time " + time + " is in the past (now " + now() + ")");
    }
    actions.add(t, actionCount++, new EventQueue.Event() {
      @Override
      void fire() {
        settleDuplicates();
        action.run();
      }
    });
    if (t < windowEnd) {
      windowEnd = t; // scheduled by a host's handler during a run (one lane): the lane stops for it
    }
  }

  /** Hands every pending duplicate announcement to its relay's counters. Only while no lane runs. */
  private void settleDuplicates() {
    for (Lane lane : lanes) {
      for (int i = 0; i < lane.unsettledCount; i++) {
        int node = lane.unsettled[i];
        int n = pendingDuplicates[node];
        pendingDuplicates[node] = 0;
        relays[node].countDuplicateAnnouncements(n);
      }
      lane.unsettledCount = 0;
    }
  }

  /** Processes events until none is left. Protocols must not schedule timers forever. */
  public void run() {
    advance(Long.MAX_VALUE);
  }

  /** Processes the events due within {@code duration} from now, then sets the clock to the end of it. */
  public void runFor(Duration duration) {
    long end = nowNanos() + duration.toNanos();
    advance(end == Long.MAX_VALUE ? end : end + 1);
    setNow(Math.max(nowNanos(), end));
  }

  /**
   * Runs every action and event due before {@code limit}: actions on this thread, and the lanes' events in
   * windows. A window runs each lane up to the same end: the next action, the limit, or, with several lanes, the
   * earliest event plus the latency model's floor, since no frame sent in the window can reach another lane
   * before then. With several lanes each runs on a thread of its own (ADR 023).
   */
  private void advance(long limit) {
    Crew crew = null;
    try {
      while (true) {
        long nextEvent = nextLaneTime();
        long nextAction = actions.isEmpty() ? Long.MAX_VALUE : actions.peekTime();
        if (nextAction < limit && nextAction <= nextEvent) {
          EventQueue.Event e = actions.poll();
          setNow(e.time);
          actionEvents++;
          actionFingerprint += Lane.mix(e.time, actions.polledKey);
          e.fire();
          continue;
        }
        if (nextEvent >= limit) {
          break;
        }
        long end = Math.min(limit, nextAction);
        if (lanes.length == 1) {
          windowEnd = end;
          runLane(lanes[0]);
        } else {
          end = Math.min(end, nextEvent > Long.MAX_VALUE - lookahead ? Long.MAX_VALUE : nextEvent + lookahead);
          if (crew == null) {
            crew = new Crew();
          }
          crew.window(end);
        }
      }
    } finally {
      if (crew != null) {
        crew.close();
      }
    }
    settleDuplicates();
    long last = now;
    for (Lane lane : lanes) {
      last = Math.max(last, lane.now);
    }
    setNow(last);
  }

  /** Sets every clock to {@code time}: only while no lane runs, and never back. */
  private void setNow(long time) {
    now = time;
    windowEnd = time;
    for (Lane lane : lanes) {
      lane.now = time;
    }
  }

  /** The earliest event due in any lane, its inbox included; Long.MAX_VALUE if none. Only while no lane runs. */
  private long nextLaneTime() {
    long t = Long.MAX_VALUE;
    for (Lane lane : lanes) {
      t = Math.min(t, lane.queue.minTime());
      for (Lane.Outbox[] pair : lane.out) {
        if (pair != null) {
          t = Math.min(t, Math.min(pair[0].minTime, pair[1].minTime));
        }
      }
    }
    return t;
  }

  /**
   * Runs the events of {@code lane} due before its window's end, after taking in the frames other lanes sent it
   * before the window (the outboxes they no longer fill).
   */
  private void runLane(Lane lane) {
    for (Lane from : lanes) {
      if (from != lane) {
        from.out[lane.number][filling ^ 1].drainInto(lane.queue);
      }
    }
    EventQueue q = lane.queue;
    // Not beyond the window's end: the window may shrink while it runs (an action scheduled by a handler).
    while (q.peekTimeBefore(windowEnd) != Long.MAX_VALUE) {
      EventQueue.Event e = q.poll();
      if (e == null) {
        long t = q.polledTime;
        lane.now = t;
        lane.events++;
        lane.fingerprint += Lane.mix(t, q.polledKey);
        network.deliver(lane, q.polledKey, q.polledAux, q.polledDeparts, q.polledFrom, q.polledMessage);
      } else if (!e.cancelled) {
        lane.now = e.time;
        lane.events++;
        lane.fingerprint += Lane.mix(e.time, q.polledKey);
        e.fire();
      }
    }
  }

  /**
   * The threads that run the lanes, one each, for one call of {@link #run} or {@link #runFor}: the simulation's
   * thread sets a window's end, starts them, and waits until each has run its lane up to it. A lane that throws
   * hands its failure over; the simulation's thread throws it.
   */
  private final class Crew {
    private final CyclicBarrier start = new CyclicBarrier(lanes.length + 1);
    private final CyclicBarrier finish = new CyclicBarrier(lanes.length + 1);
    /** Written before {@code start} is passed, read after: the barrier orders the two. */
    private boolean closing;

    Crew() {
      for (Lane lane : lanes) {
        Thread t = new Thread(() -> work(lane), "meshledger-simulation-lane-" + lane.number);
        t.setDaemon(true);
        t.start();
      }
    }

    private void work(Lane lane) {
      try {
        while (true) {
          start.await();
          if (closing) {
            return;
          }
          try {
            runLane(lane);
          } catch (Throwable t) {
            lane.failure = t;
          }
          finish.await();
        }
      } catch (InterruptedException | BrokenBarrierException e) {
        // The simulation's thread gave up waiting: nothing more to run.
      }
    }

    void window(long end) {
      windowEnd = end;
      filling ^= 1; // what was filled so far is emptied in this window
      await(start);
      await(finish);
      for (Lane lane : lanes) {
        Throwable t = lane.failure;
        if (t != null) {
          lane.failure = null;
          if (t instanceof RuntimeException r) {
            throw r;
          }
          if (t instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException("simulation lane " + lane.number + " failed", t);
        }
      }
    }

    void close() {
      closing = true;
      try {
        start.await();
      } catch (BrokenBarrierException e) {
        // The threads have ended already.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        start.reset(); // ends the threads
      }
    }

    private void await(CyclicBarrier barrier) {
      try {
        barrier.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        barrier.reset();
        throw new IllegalStateException("interrupted while the simulation's lanes ran", e);
      } catch (BrokenBarrierException e) {
        throw new IllegalStateException("a simulation lane's thread ended", e);
      }
    }
  }

  /** A node's timer: it runs only while the node runs. */
  private final class Timer extends EventQueue.Event {
    private final int node;
    private final Runnable task;

    Timer(int node, Runnable task) {
      this.node = node;
      this.task = task;
    }

    @Override
    void fire() {
      if (running.get(node)) {
        task.run();
      }
    }
  }

  EventQueue.Event scheduleTimer(SimNode node, long delayNanos, Runnable task) {
    EventQueue.Event e = new Timer(node.index, task);
    Lane lane = node.lane;
    lane.queue.add(lane.now + delayNanos, node.nextKey(), e);
    return e;
  }

  void transmit(SimNode sender, SimPeer peer, SpreadFrame frame) {
    network.transmit(sender, peer, frame);
  }

  void transmitLater(SimNode sender, SimPeer peer, SpreadFrame frame, long delayNanos) {
    network.transmitLater(sender, peer, frame, delayNanos);
  }

  /**
   * Queues a frame from {@code sender} to node {@code target}, in flight until {@code time}: in the sender's lane,
   * or in its outbox to the target's lane (see {@link EventQueue#addFrame} for the rest).
   *
   * @throws IllegalStateException if the frame would reach another lane within the window it was sent in: the
   *     latency model drew a delay below its own floor
   */
  void enqueueFrame(SimNode sender, int target, long time, long aux, long departs, SimPeer from, Object message) {
    Lane own = sender.lane;
    long key = sender.nextKey();
    if (lanes.length == 1) {
      own.queue.addFrame(time, key, aux, departs, from, message);
      return;
    }
    Lane to = laneOf(target);
    if (to == own) {
      own.queue.addFrame(time, key, aux, departs, from, message);
      return;
    }
    if (time < windowEnd) {
      throw new IllegalStateException("a frame from node " + sender.index + " to node " + target + " arrives at " + time
          + " ns, before the window's end at " + windowEnd + " ns: the latency model drew less than its floor of "
          + lookahead + " ns (LatencyModel.minNanos())");
    }
    own.out[to.number][filling].add(time, key, aux, departs, from, message);
  }

  /** Whether a node has stopped or a partition begun so far. */
  boolean anyFault() {
    return anyFault;
  }

  /** Whether node {@code index} still ran at {@code time} (at or before now): it stops at the instant it stops. */
  boolean ranAt(int index, long time) {
    return stoppedAt[index] > time;
  }

  /** Whether node {@code index} runs; {@code index} must name a node. */
  boolean running(int index) {
    return running.get(index);
  }

  /** Whether connection {@code link} is up. */
  boolean linkUp(int link) {
    return linksUp.get(link);
  }

  /**
   * A frame other than an announcement, with key {@code key}, reached node {@code target} of {@code lane},
   * running, over a live connection.
   */
  void receive(Lane lane, long key, int target, SimPeer from, SpreadFrame frame) {
    if (frame.kind() != Kind.REQUEST) {
      spyHeard(lane, key, target, from, frame.id());
    }
    relays[target].onFrame(from, frame);
  }

  /** An announcement of {@code id}, as {@link #receive}; answered here if a duplicate (see {@link #answerDuplicates}). */
  void receiveAnnouncement(Lane lane, long key, int target, SimPeer from, Hash id) {
    spyHeard(lane, key, target, from, id);
    if (answerDuplicates) {
      Bits b = publicAt.get(id);
      if (b != null && b.get(target)) {
        if (pendingDuplicates[target]++ == 0) {
          if (lane.unsettledCount == lane.unsettled.length) {
            lane.unsettled = Arrays.copyOf(lane.unsettled, lane.unsettledCount * 2);
          }
          lane.unsettled[lane.unsettledCount++] = target;
        }
        return;
      }
    }
    relays[target].onFrame(from, new SpreadFrame.Announce(id));
  }

  private void spyHeard(Lane lane, long key, int target, SimPeer from, Hash id) {
    if (spies.get(target)) {
      Trace t = traces.get(id);
      if (t != null) {
        t.spyHeard(lane.number, from.remote, lane.now - t.publishedAt, key);
      }
    }
  }

  private void delivered(SimNode node, Gossip g) {
    Trace t = tracesByObject.get(g);
    if (t == null) {
      t = traces.get(g.id());
    }
    if (t != null && node.index < t.arrival.length && t.arrival[node.index] < 0) {
      t.arrival[node.index] = node.lane.now - t.publishedAt;
    }
  }

  /**
   * Which nodes hold a message public, one bit per node: a plain array, not a {@link BitSet}, because lanes set
   * and read bits of their own nodes at once (a cache line's bits belong to one lane) and a BitSet's count of words in
   * use is shared by all. It grows only while no lane runs.
   */
  private static final class Bits {
    private long[] words;

    Bits(int bits) {
      words = new long[(bits + 63) >>> 6];
    }

    void ensure(int bits) {
      int n = (bits + 63) >>> 6;
      if (n > words.length) {
        words = Arrays.copyOf(words, Math.max(n, 2 * words.length));
      }
    }

    boolean get(int i) {
      return (words[i >>> 6] & (1L << i)) != 0;
    }

    void set(int i) {
      words[i >>> 6] |= 1L << i;
    }

    void clear(int i) {
      words[i >>> 6] &= ~(1L << i);
    }
  }

  // ---- the workload ----

  /** Publishes a fresh message from {@code origin} now; its body names its sequence number. */
  public Gossip publish(int origin) {
    return publish(origin, "sim", ("message " + published).getBytes(StandardCharsets.UTF_8));
  }

  /** Publishes {@code body} on {@code topic} from {@code origin} now, and starts tracing it. */
  public Gossip publish(int origin, String topic, byte[] body) {
    SimNode n = node(origin);
    if (!n.running()) {
      throw new IllegalStateException("node " + origin + " is " + (n.alive ? "crashed" : "removed") + " and cannot publish");
    }
    Gossip g = Gossip.of(topic, body);
    published++;
    if (!traces.containsKey(g.id())) {
      // The origin's live component, from the last publication's if nothing joined, left or crashed since
      // (a breadth-first search of a large network per message was a twentieth of a large run).
      if (component == null || componentVersion != topologyVersion || !component.get(origin)) {
        component = liveComponentOf(origin);
        componentVersion = topologyVersion;
      }
      BitSet targets = (BitSet) component.clone();
      targets.andNot(spies);
      targets.clear(origin);
      Trace t = new Trace(g, origin, nowNanos(), nodes.size(), targets, spies.get(origin), runningCount, lanes.length);
      t.arrival[origin] = 0;
      traces.put(g.id(), t);
      tracesByObject.put(g, t);
      traceList.add(t);
    }
    // Made here, on the simulation's thread, so that lanes only read the map.
    publicAt.computeIfAbsent(g.id(), id -> new Bits(nodes.size()));
    n.relay.publish(g);
    return g;
  }

  /** A node chosen uniformly at random among the running nodes that are not spies, from the seeded source. */
  public int randomHonestNode() {
    for (int tries = 0; tries < 1_000_000; tries++) {
      SimNode n = nodes.get(control.nextInt(nodes.size()));
      if (n.running() && !spies.get(n.index)) {
        return n.index;
      }
    }
    throw new IllegalStateException("no running honest node left");
  }

  // ---- churn and faults ----

  /** Node {@code index} leaves: its connections close and its peers are told. It never comes back. */
  public void remove(int index) {
    SimNode n = node(index);
    if (!n.alive) {
      return;
    }
    if (n.running()) {
      runningCount--;
    }
    n.alive = false;
    running.clear(index);
    topologyVersion++;
    anyFault = true;
    stoppedAt[index] = Math.min(stoppedAt[index], nowNanos());
    for (SimPeer p : List.copyOf(n.peers)) {
      linksUp.clear(p.link);
      SimNode other = nodes.get(p.remote);
      other.peers.remove(p.reverse);
      if (other.running()) {
        other.relay.onPeerDisconnected(p.reverse);
      }
    }
    n.peers.clear();
  }

  /** Removes {@code count} running nodes chosen at random. */
  public void removeRandom(int count) {
    for (int removed = 0; removed < count; ) {
      SimNode n = nodes.get(control.nextInt(nodes.size()));
      if (n.alive) {
        remove(n.index);
        removed++;
      }
    }
  }

  /**
   * A new node joins and dials {@code connections} running nodes chosen at random (fewer if fewer run).
   *
   * @return its index
   */
  public int add(int connections) {
    int index = nodes.size();
    if (index >= SimNode.MAX_NODES) {
      throw new IllegalStateException("a simulation holds at most " + SimNode.MAX_NODES + " nodes");
    }
    SimNode n = new SimNode(this, index, nodeSeed(index), laneOf(index));
    nodes.add(n);
    start(n);
    runningCount++;
    running.set(index);
    topologyVersion++;
    List<Integer> running = new ArrayList<>();
    for (SimNode m : nodes) {
      if (m.running() && m != n) {
        running.add(m.index);
      }
    }
    for (int c = 0; c < connections && !running.isEmpty(); c++) {
      int other = running.remove(control.nextInt(running.size()));
      connect(index, other);
      SimPeer out = n.peers.get(n.peers.size() - 1);
      n.relay.onPeerConnected(out);
      nodes.get(other).relay.onPeerConnected(out.reverse);
    }
    return index;
  }

  /** Node {@code index} stops silently: it drops everything, and its peers are not told. */
  public void crash(int index) {
    SimNode n = node(index);
    if (n.running()) {
      runningCount--;
    }
    n.crashed = true;
    running.clear(index);
    topologyVersion++;
    anyFault = true;
    stoppedAt[index] = Math.min(stoppedAt[index], nowNanos());
  }

  /** Frames between nodes on different sides of {@code sideA} are lost until {@link #heal()}. */
  public void partition(IntPredicate sideA) {
    anyFault = true;
    network.partition(Objects.requireNonNull(sideA, "sideA"));
  }

  /** Ends the partition. */
  public void heal() {
    network.partition(null);
  }

  /** Makes {@code index} a spy, or an honest node again. */
  public void setSpy(int index, boolean spy) {
    node(index);
    spies.set(index, spy);
  }

  // ---- reading the results ----

  /** The graph the simulation started with (churn since is not reflected: see {@link #neighbors}). */
  public Graph initialGraph() {
    return graph;
  }

  /** The number of nodes ever created, removed ones included; nodes are numbered from 0. */
  public int size() {
    return nodes.size();
  }

  /** True if {@code index} runs (neither removed nor crashed). */
  public boolean isRunning(int index) {
    return node(index).running();
  }

  public boolean isSpy(int index) {
    node(index);
    return spies.get(index);
  }

  /** The host-side view of node {@code index}: its protocol, statistics, and pub/sub. */
  public Propagator propagator(int index) {
    // Made on first use: a node that no one subscribes to needs none, and a large run has a million nodes.
    // Before it exists no handler exists that a delivery could reach, so the node behaves the same.
    SimNode n = node(index);
    if (lanes.length > 1) {
      throw new IllegalStateException("a simulation on " + lanes.length + " threads runs no host's handlers: they could"
          + " read any node while the threads run; use SimulationOptions.setThreads(1), or stats(index) for statistics");
    }
    if (n.propagator == null) {
      n.propagator = new RelayPropagator(spreading, Runnable::run);
      n.propagator.bind(n.relay);
    }
    return n.propagator;
  }

  /** The frame counters of node {@code index} so far: what {@code propagator(index).stats()} returns. */
  public PropagationStats stats(int index) {
    SimNode n = node(index);
    settleDuplicates();
    return n.relay.stats();
  }

  /** The nodes a node is connected to now. */
  public int[] neighbors(int index) {
    return node(index).peers.stream().mapToInt(p -> p.remote).toArray();
  }

  /** The running nodes connected to {@code index} through running nodes (itself included). */
  public BitSet liveComponentOf(int index) {
    BitSet seen = new BitSet(nodes.size());
    int[] q = new int[nodes.size()]; // each node joins the queue at most once
    int head = 0;
    int tail = 0;
    seen.set(index);
    q[tail++] = index;
    while (head < tail) {
      List<SimPeer> peers = nodes.get(q[head++]).peers;
      for (int i = 0, n = peers.size(); i < n; i++) {
        int r = peers.get(i).remote;
        if (running.get(r) && !seen.get(r)) {
          seen.set(r);
          q[tail++] = r;
        }
      }
    }
    return seen;
  }

  /** The largest set of running nodes connected through running nodes. */
  public BitSet largestLiveComponent() {
    return Components.largest(nodes.size(), runningNodes(), this::neighbors);
  }

  private BitSet runningNodes() {
    BitSet running = new BitSet(nodes.size());
    for (SimNode n : nodes) {
      if (n.running()) {
        running.set(n.index);
      }
    }
    return running;
  }

  /** The ids of the messages published so far, in order. */
  public List<Gossip> messages() {
    return traceList.stream().map(t -> t.gossip).toList();
  }

  /** When {@code node} received message {@code id}, in nanoseconds after its publication; -1 if it has not (0 for the origin). */
  public long arrivalNanos(Hash id, int node) {
    Trace t = trace(id);
    return node < t.arrival.length ? t.arrival[node] : -1;
  }

  /** The node a spy first heard of message {@code id} from, or -1 if no spy has. */
  public int firstSpySource(Hash id) {
    return trace(id).firstSpyFrom();
  }

  /** Frames of {@code kind} delivered to running nodes so far. */
  public long framesReceived(Kind kind) {
    return framesReceived()[kind.ordinal()];
  }

  /** Bytes of frames of {@code kind} delivered to running nodes so far. */
  public long bytesReceived(Kind kind) {
    return bytesReceived()[kind.ordinal()];
  }

  /** Frames lost to the loss model and partitions so far. */
  public long framesLost() {
    long n = 0;
    for (Lane lane : lanes) {
      n += lane.framesLost;
    }
    return n;
  }

  private long[] framesReceived() {
    return perKind(Lane::framesReceived);
  }

  private long[] bytesReceived() {
    return perKind(Lane::bytesReceived);
  }

  /** A counter of every lane, summed, by kind. */
  private long[] perKind(ToLongBiFunction<Lane, Kind> counter) {
    long[] sum = new long[Kind.values().length];
    for (Lane lane : lanes) {
      for (Kind k : Kind.values()) {
        sum[k.ordinal()] += counter.applyAsLong(lane, k);
      }
    }
    return sum;
  }

  /** The protocol the nodes run, with its effective parameters. */
  public Spreading spreading() {
    return spreading;
  }

  /** The metrics of every message published so far. */
  public Report report() {
    return Metrics.report(spreading, traceList, framesReceived(), bytesReceived());
  }

  /** The number of (message, target) pairs: the count {@link #latenciesMillis()} would have if every message reached every target. */
  public long targetCount() {
    long n = 0;
    for (Trace t : traceList) {
      n += t.targets.cardinality();
    }
    return n;
  }

  /** The delivery delays of every message to every node it reached (origins excluded), in milliseconds, sorted. */
  public double[] latenciesMillis() {
    return Metrics.latenciesMillis(traceList);
  }

  private Trace trace(Hash id) {
    Trace t = traces.get(id);
    if (t == null) {
      throw new IllegalArgumentException("no message " + id + " was published in this simulation");
    }
    return t;
  }

  private SimNode node(int index) {
    if (index < 0 || index >= nodes.size()) {
      throw new IllegalArgumentException("no node " + index + "; nodes are 0.." + (nodes.size() - 1));
    }
    return nodes.get(index);
  }
}
