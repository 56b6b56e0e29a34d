package org.meshledger.impl.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything a consensus schedule does, as data: who takes part (validators, followers, a follower that lies to
 * block sync, faulty validators and how each goes wrong, bugs switched on), the network's fault rates, when each
 * node starts, and the timed faults (partitions, crashes with the blocks their stores lose). The message-level
 * randomness (each copy's delay, loss and duplication, each write's latency) comes from {@code seed}. Beside the
 * loss of any message, {@code prevoteLoss} and {@code precommitLoss} drop votes of one type until the faults end: the adversarial network of
 * the BFT model, under which rounds end with validators locked and nothing committed, where lock rules matter. In
 * an {@code idle} plan the nodes have no transactions: the next height waits for the heartbeat unless a peer starts it.
 * In a {@code ledger} plan every node runs the ledger a real node runs ({@code LedgerCore}: mempool, proposals from
 * it, the digest check, execution) over a simulated store, and clients submit transactions all along; in half of
 * those ({@code spreading}) the clients' transactions travel in batches by the node's spreading. In a {@code flood}
 * plan (a third, from its own random stream) proposals and votes travel as on a node, through its
 * {@code ConsensusFlood}: each new one relayed once by every node that receives it, copies handed to the machine
 * again; otherwise each node sends its own to every other node.
 *
 * <p>A plan is saved as text ({@link #encode}, {@link #parse}) when a schedule fails, and replays exactly from the
 * file, however {@link #random} comes to map seeds to plans later: regression runs keep their meaning.
 */
public record FaultPlan(long seed, int validators, int followers, boolean liar, boolean idle, boolean ledger, List<Faulty> faulty, Set<String> bugs, double loss,
    double duplicate, double prevoteLoss, double precommitLoss, int minDelay, int maxDelay, List<Long> starts, List<Partition> partitions, List<Crash> crashes,
    List<Clock> clocks, int ackDelayMillis, String spreading, boolean flood) {
  public static final String HEADER = "meshledger consensus fault plan v1";

  /** Validator {@code node} goes wrong as {@code behaviour} (a {@code TWIN} adds a second node with its key). */
  public record Faulty(int node, Byzantine.Behaviour behaviour) {}

  /** From {@code at} until {@code until} (virtual ms), nodes in different groups do not hear each other. */
  public record Partition(long at, long until, int[] groups) {}

  /** Node {@code node} is down from {@code at} until {@code until}; its store comes back {@code lostBlocks} short. */
  public record Crash(int node, long at, long until, int lostBlocks) {}

  /**
   * Node {@code node}'s clock: {@code offsetMillis} ahead of the others (behind if negative) and running
   * {@code driftPpm} parts per million fast (slow if negative), for its time and its timers alike.
   */
  public record Clock(int node, long offsetMillis, int driftPpm) {}

  // ackDelayMillis: how long after a write reaches a node's disk the node may hear of it (0: at once). A crash in
  // between keeps the write and loses the news: a safety record durable whose vote never left, a block stored
  // whose receipts were never reported. The store's contract allows it, as it allows losing an unfinished write.

  public FaultPlan {
    clocks = List.copyOf(clocks);
    faulty = List.copyOf(faulty);
    bugs = Set.copyOf(bugs);
    starts = List.copyOf(starts);
    partitions = List.copyOf(partitions);
    crashes = List.copyOf(crashes);
  }

  /** The nodes of the schedule: validators, followers, the liar, then one more per twin. */
  public int nodes() {
    return validators + followers + (liar ? 1 : 0) + (int) faulty.stream().filter(f -> f.behaviour() == Byzantine.Behaviour.TWIN).count();
  }

  /**
   * The plan of {@code seed}: up to f faulty validators, each with a behaviour drawn at random, a follower and a
   * lying follower now and then, fault rates (a third of the schedules lose 20-50% of their messages), and one to six
   * partitions or crashes before {@link Schedule#FAULTS_END} (6 to 20 shorter ones in a third of the schedules).
   */
  public static FaultPlan random(long seed, int validators) {
    return random(seed, validators, Byzantine.Behaviour.ORDINARY.toArray(Byzantine.Behaviour[]::new));
  }

  /** As {@link #random(long, int)}, with faulty validators that go wrong only in one of {@code behaviours}. */
  public static FaultPlan random(long seed, int validators, Byzantine.Behaviour... behaviours) {
    Random shape = new Random(seed ^ 0x5DEECE66DL);
    int followers = shape.nextInt(2);
    boolean liar = shape.nextInt(3) == 0;
    boolean idle = new Random(seed * 31 + 7).nextInt(3) == 0; // its own stream: the other draws stay as they were
    boolean ledger = !idle && new Random(seed * 37 + 11).nextInt(3) == 0; // a quarter of the plans in all
    int f = (validators - 1) / 3;
    int faultyCount = f == 0 || shape.nextInt(4) == 0 ? 0 : shape.nextBoolean() ? f : 1 + shape.nextInt(f); // f often
    List<Integer> pool = new ArrayList<>();
    for (int i = 0; i < validators; i++) {
      pool.add(i);
    }
    java.util.Collections.shuffle(pool, shape);
    List<Faulty> faulty = new ArrayList<>();
    for (int i = 0; i < faultyCount; i++) {
      faulty.add(new Faulty(pool.get(i), behaviours[shape.nextInt(behaviours.length)]));
    }
    // Swarm testing: each schedule draws which faults it stresses and how hard, so some schedules are calm, some lose
    // half their messages, some cut the network every few hundred milliseconds (Groce et al., "Swarm testing", 2012).
    Random r = new Random(seed);
    boolean lossy = r.nextInt(3) == 0;
    double loss = lossy ? 0.2 + r.nextDouble() * 0.3 : r.nextDouble() * 0.1;
    double duplicate = r.nextDouble() * 0.2;
    int minDelay = 1 + r.nextInt(10);
    int maxDelay = minDelay + r.nextInt(200);
    boolean voteStorm = r.nextInt(3) == 0;
    double prevoteLoss = voteStorm ? r.nextDouble() * 0.8 : 0;
    double precommitLoss = voteStorm ? r.nextDouble() * 0.8 : 0;
    FaultPlan sized = new FaultPlan(seed, validators, followers, liar, idle, ledger, faulty, Set.of(), 0, 0, 0, 0, 1, 1, List.of(), List.of(), List.of(), List.of(), 0, null, false);
    int n = sized.nodes();
    List<Long> starts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      starts.add((long) r.nextInt(50));
    }
    List<Partition> partitions = new ArrayList<>();
    List<Crash> crashes = new ArrayList<>();
    boolean stormy = r.nextInt(3) == 0;
    int faults = stormy ? 6 + r.nextInt(15) : 1 + r.nextInt(6);
    int longest = stormy ? 1_500 : 5_000;
    // A validator whose store loses its last blocks keeps its safety record, so it signs nothing below it: it is
    // faulty for the heights it lost (it may be the only honest holder of a block it signed, and the others cannot
    // decide that height without it). So validators losing blocks count against f with the Byzantine ones;
    // followers may lose blocks freely.
    java.util.Set<Integer> faultyNodes = new java.util.HashSet<>();
    faulty.forEach(fv -> faultyNodes.add(fv.node()));
    for (int i = validators + followers + (liar ? 1 : 0); i < n; i++) {
      faultyNodes.add(i); // twins
    }
    java.util.Set<Integer> losers = new java.util.HashSet<>();
    int lossAllowance = f - faultyCount;
    int partitionOdds = 1 + r.nextInt(3); // of 4: how many of the faults are partitions rather than crashes
    for (int i = 0; i < faults; i++) {
      long at = r.nextInt((int) Schedule.FAULTS_END - 500);
      long until = Math.min(at + 200 + r.nextInt(longest), Schedule.FAULTS_END);
      if (r.nextInt(4) < partitionOdds) {
        int[] groups = new int[n];
        for (int j = 0; j < n; j++) {
          groups[j] = r.nextInt(2);
        }
        partitions.add(new Partition(at, until, groups));
      } else {
        int node = r.nextInt(n);
        int lost = r.nextInt(3) == 0 ? 1 + r.nextInt(8) : 0; // sometimes its store comes back short
        boolean honestValidator = node < validators && !faultyNodes.contains(node);
        if (lost > 0 && honestValidator && !losers.contains(node) && losers.size() >= lossAllowance) {
          lost = 0; // one more validator losing blocks would be more than f faults: a failure beyond the model
        }
        if (lost > 0 && honestValidator) {
          losers.add(node);
        }
        crashes.add(new Crash(node, at, until, lost));
      }
    }
    return new FaultPlan(seed, validators, followers, liar, idle, ledger, faulty, Set.of(), loss, duplicate, prevoteLoss, precommitLoss, minDelay, maxDelay, starts,
        partitions, crashes, clocks(seed, n), ackDelay(seed), ledger ? spreading(seed) : null, new Random(seed * 61 + 31).nextInt(3) == 0);
  }

  /**
   * Clock skew, from its own stream so the other draws stay as they were: none in two thirds of the plans; in the
   * others each node's clock is up to 2 s off and up to 2% fast or slow, and now and then one node is a minute off.
   */
  private static List<Clock> clocks(long seed, int n) {
    Random c = new Random(seed * 41 + 13);
    if (c.nextInt(3) != 0) {
      return List.of();
    }
    List<Clock> clocks = new ArrayList<>();
    int far = c.nextInt(4) == 0 ? c.nextInt(n) : -1;
    for (int i = 0; i < n; i++) {
      long offset = i == far ? (c.nextBoolean() ? 60_000 : -60_000) : c.nextInt(4001) - 2000;
      clocks.add(new Clock(i, offset, c.nextInt(40_001) - 20_000));
    }
    return clocks;
  }

  /**
   * How a ledger plan's transactions travel, from its own stream: in half of them through the spreading a node runs
   * (a client submits to one node, which batches and spreads; the protocol drawn among the three), else handed to
   * every node by the client (null).
   */
  private static String spreading(long seed) {
    Random s = new Random(seed * 53 + 29);
    return s.nextBoolean() ? null : SPREADING[s.nextInt(SPREADING.length)];
  }

  /** The spreading protocols a plan draws from, by their provider names. */
  public static final String[] SPREADING = {"flooding", "diffusion", "dandelion++"};

  /** Late news of finished writes, from its own stream: in a third of the plans up to 1-20 ms, else none. */
  private static int ackDelay(long seed) {
    Random a = new Random(seed * 43 + 17);
    return a.nextInt(3) == 0 ? 1 + a.nextInt(20) : 0;
  }

  /** This plan with {@code bug} switched on in every honest machine. */
  public FaultPlan withBug(String bug) {
    Set<String> b = new java.util.TreeSet<>(bugs);
    b.add(bug);
    return new FaultPlan(seed, validators, followers, liar, idle, ledger, faulty, b, loss, duplicate, prevoteLoss, precommitLoss, minDelay, maxDelay, starts, partitions,
        crashes, clocks, ackDelayMillis, spreading, flood);
  }

  /** This plan with no bug switched on. */
  public FaultPlan withoutBugs() {
    return new FaultPlan(seed, validators, followers, liar, idle, ledger, faulty, Set.of(), loss, duplicate, prevoteLoss, precommitLoss, minDelay, maxDelay,
        starts, partitions, crashes, clocks, ackDelayMillis, spreading, flood);
  }

  /** The plan as text, one fact per line. */
  public String encode() {
    StringBuilder s = new StringBuilder(HEADER).append('\n');
    s.append("seed ").append(seed).append('\n');
    s.append("validators ").append(validators).append('\n');
    s.append("followers ").append(followers).append('\n');
    s.append("liar ").append(liar).append('\n');
    if (idle) {
      s.append("idle true\n");
    }
    if (ledger) {
      s.append("ledger true\n");
    }
    faulty.forEach(f -> s.append("faulty ").append(f.node()).append(' ').append(f.behaviour()).append('\n'));
    bugs.stream().sorted().forEach(b -> s.append("bug ").append(b).append('\n'));
    s.append("network ").append(Double.toString(loss)).append(' ').append(Double.toString(duplicate)).append(' ').append(minDelay).append(' ')
        .append(maxDelay).append('\n');
    if (prevoteLoss > 0 || precommitLoss > 0) {
      s.append("vote-loss ").append(Double.toString(prevoteLoss)).append(' ').append(Double.toString(precommitLoss)).append('\n');
    }
    s.append("starts ").append(starts.stream().map(String::valueOf).collect(Collectors.joining(" "))).append('\n');
    for (Partition p : partitions) {
      s.append("partition ").append(p.at()).append(' ').append(p.until());
      for (int g : p.groups()) {
        s.append(' ').append(g);
      }
      s.append('\n');
    }
    crashes.forEach(c -> s.append("crash ").append(c.node()).append(' ').append(c.at()).append(' ').append(c.until()).append(' ')
        .append(c.lostBlocks()).append('\n'));
    if (ackDelayMillis > 0) {
      s.append("acks ").append(ackDelayMillis).append('\n');
    }
    if (spreading != null) {
      s.append("spreading ").append(spreading).append('\n');
    }
    if (flood) {
      s.append("flood true\n");
    }
    clocks.forEach(c -> s.append("clock ").append(c.node()).append(' ').append(c.offsetMillis()).append(' ').append(c.driftPpm()).append('\n'));
    return s.toString();
  }

  /** Reads a plan written by {@link #encode}; fails naming the line it cannot read. */
  public static FaultPlan parse(String text) {
    List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw new IllegalArgumentException("not a fault plan: the first line must be '" + HEADER + "'");
    }
    long seed = 0;
    int validators = 0;
    int followers = 0;
    boolean liar = false;
    boolean idle = false;
    boolean ledger = false;
    List<Faulty> faulty = new ArrayList<>();
    Set<String> bugs = new java.util.TreeSet<>();
    double loss = 0;
    double duplicate = 0;
    double prevoteLoss = 0;
    double precommitLoss = 0;
    int minDelay = 1;
    int maxDelay = 1;
    List<Long> starts = new ArrayList<>();
    List<Partition> partitions = new ArrayList<>();
    List<Crash> crashes = new ArrayList<>();
    List<Clock> clocks = new ArrayList<>();
    int ackDelay = 0;
    String spreading = null;
    boolean flood = false;
    for (String line : lines.subList(1, lines.size())) {
      String[] w = line.split("\\s+");
      try {
        switch (w[0]) {
          case "seed" -> seed = Long.parseLong(w[1]);
          case "validators" -> validators = Integer.parseInt(w[1]);
          case "followers" -> followers = Integer.parseInt(w[1]);
          case "liar" -> liar = Boolean.parseBoolean(w[1]);
          case "idle" -> idle = Boolean.parseBoolean(w[1]);
          case "ledger" -> ledger = Boolean.parseBoolean(w[1]);
          case "faulty" -> faulty.add(new Faulty(Integer.parseInt(w[1]), Byzantine.Behaviour.valueOf(w[2])));
          case "bug" -> bugs.add(w[1]);
          case "network" -> {
            loss = Double.parseDouble(w[1]);
            duplicate = Double.parseDouble(w[2]);
            minDelay = Integer.parseInt(w[3]);
            maxDelay = Integer.parseInt(w[4]);
          }
          case "vote-loss" -> {
            prevoteLoss = Double.parseDouble(w[1]);
            precommitLoss = Double.parseDouble(w[2]);
          }
          case "starts" -> {
            for (int i = 1; i < w.length; i++) {
              starts.add(Long.parseLong(w[i]));
            }
          }
          case "partition" -> {
            int[] groups = new int[w.length - 3];
            for (int i = 0; i < groups.length; i++) {
              groups[i] = Integer.parseInt(w[i + 3]);
            }
            partitions.add(new Partition(Long.parseLong(w[1]), Long.parseLong(w[2]), groups));
          }
          case "crash" -> crashes.add(new Crash(Integer.parseInt(w[1]), Long.parseLong(w[2]), Long.parseLong(w[3]), Integer.parseInt(w[4])));
          case "acks" -> ackDelay = Integer.parseInt(w[1]);
          case "flood" -> flood = Boolean.parseBoolean(w[1]);
          case "spreading" -> spreading = org.meshledger.spi.SpreadingProtocols.provider(w[1]).name();
          case "clock" -> clocks.add(new Clock(Integer.parseInt(w[1]), Long.parseLong(w[2]), Integer.parseInt(w[3])));
          default -> throw new IllegalArgumentException("unknown fact '" + w[0] + "'");
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("fault plan line '" + line + "': " + e.getMessage(), e);
      }
    }
    FaultPlan plan = new FaultPlan(seed, validators, followers, liar, idle, ledger, faulty, bugs, loss, duplicate, prevoteLoss, precommitLoss, minDelay, maxDelay, starts,
        partitions, crashes, clocks, ackDelay, spreading, flood);
    if (starts.size() != plan.nodes()) {
      throw new IllegalArgumentException("fault plan: " + starts.size() + " start times for " + plan.nodes() + " nodes");
    }
    return plan;
  }
}
