package org.meshledger.samples.visualizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.spi.testsupport.Await;

/**
 * The buttons, pressed as the page presses them ({@code POST /api/...}) on a small network (4 validators, 2
 * followers), and what a person then sees in the update stream the page draws ({@link FeedClient}): validators earn
 * rewards block after block; a transaction is held by every node; the load commits steadily; a killed validator leaves
 * a quorum and a growing chain, and comes back; a partition stops the minority while the majority goes on, and after
 * the heal every node is at the same height; after the switch to Dandelion++ a message travels a stem, one path, before
 * it fluffs. One network for the whole story: starting one costs more than the steps.
 */
class VisualizerButtonsIT {
  static final long SEED = 42;
  static final Duration WAIT = Duration.ofSeconds(45);
  /** Every node restarts, one at a time, to switch the protocol. */
  static final Duration SWITCH = Duration.ofSeconds(120);

  private Visualizer visualizer;
  private FeedClient page;

  @AfterEach
  void tearDown() {
    if (page != null) {
      page.close();
    }
    if (visualizer != null) {
      visualizer.close();
    }
  }

  @Test
  void eachButtonHasTheEffectThePageShows(@TempDir Path dir) throws Exception {
    VisualizerOptions options = VisualizerOptions.parse(new String[] {"--port=0", "--nodes=6", "--validators=4", "--data=" + dir.resolve("data"),
        "--protocol=flooding", "--seed=" + SEED}, new Properties());
    visualizer = new Visualizer(options, new PrintStream(System.out, true, "UTF-8"));
    visualizer.start(0);
    page = FeedClient.connect(visualizer.port());
    await("6 running nodes past height 3 with a quorum", () -> page.running().size() == 6
        && page.running().values().stream().allMatch(n -> n.getLong("height") >= 3) && page.chain().getBoolean("quorum", false));

    validatorsEarnAsBlocksAreMade();
    aTransactionIsHeldByEveryNode();
    theLoadCommitsSteadily();
    aKilledValidatorLeavesAQuorumAndComesBack();
    aPartitionStopsTheMinorityAndTheHealBringsItBack();
    dandelionSpreadsAlongAStemBeforeTheFluff();
  }

  /** The rewards column: the genesis pays the signers of each block, so every validator's balance grows; followers sign nothing. */
  private void validatorsEarnAsBlocksAreMade() {
    await("every validator with rewards", () -> validators().values().stream().allMatch(n -> n.getLong("balance") > 0));
    Map<String, Long> before = balances();
    long height = height();
    await("every validator's rewards above " + before + " as blocks are made",
        () -> validators().entrySet().stream().allMatch(e -> e.getValue().getLong("balance") > before.get(e.getKey())));
    assertThat(height()).as("blocks made meanwhile; %s", seen()).isGreaterThan(height);
    assertThat(page.nodes().values()).filteredOn(n -> n.getString("role").equals("follower")).as("followers earn nothing; %s", seen())
        .isNotEmpty().allSatisfy(n -> assertThat(n.getLong("balance")).isZero());
  }

  /** Submit a transaction: the panel shows it, and each node's row says its ledger holds it (looked up by id). */
  private void aTransactionIsHeldByEveryNode() throws Exception {
    page.post("submit");
    await("the transaction in the panel and held by every running node", () -> !page.chain().getString("lastTx", "").isEmpty()
        && page.running().values().stream().allMatch(n -> n.getBoolean("hasLastTx", false)));
    assertThat(page.chain().getLong("committed")).isEqualTo(1);
  }

  /** Start load: 5 transactions a second, the committed count rises and keeps rising; stop load: everything submitted ends. */
  private void theLoadCommitsSteadily() throws Exception {
    long start = page.chain().getLong("committed");
    page.post("load-start");
    await("the panel says the load runs", () -> page.chain().getInteger("load", 0) == 5);
    for (long more = 10; more <= 30; more += 10) {
      long target = start + more;
      await(target + " transactions committed", () -> page.chain().getLong("committed") >= target);
    }
    page.post("load-stop");
    await("the load stopped and every transaction it submitted committed or failed", () -> page.chain().getInteger("load", -1) == 0
        && page.chain().getLong("committed") + page.chain().getLong("failed") == page.chain().getLong("submitted"));
  }

  /** Kill a validator: its row shows it stopped; 3 of 4 are a quorum, so the panel says quorum and the chain grows. Restart: it catches up. */
  private void aKilledValidatorLeavesAQuorumAndComesBack() throws Exception {
    page.post("kill");
    await("a validator killed", () -> validators().values().stream().filter(n -> n.getString("life").equals("killed")).count() == 1);
    String killed = validators().entrySet().stream().filter(e -> e.getValue().getString("life").equals("killed")).findFirst().orElseThrow().getKey();
    long at = height();
    await("the chain 3 blocks past " + at + " with a quorum while " + killed + " is down", () -> height() >= at + 3
        && page.chain().getBoolean("quorum", false));
    assertThat(page.nodes().get(killed).getString("life")).as(seen()).isEqualTo("killed");
    assertThat(page.chain().getInteger("running")).as(seen()).isEqualTo(5);

    page.post("restart");
    long top = height();
    await(killed + " running again, in sync at the chain's height (" + top + " or more)", () -> {
      JsonObject n = page.nodes().get(killed);
      return n.getString("life").equals("running") && n.getLong("height") >= Math.max(top, height() - 1) && "IN_SYNC".equals(n.getString("sync"));
    });
  }

  /**
   * Partition: the minority (one validator, too few to commit, and half the followers) stops at the height of the cut
   * while the majority goes on. Heal: the minority reconnects and catches up; every node is at the same height.
   */
  private void aPartitionStopsTheMinorityAndTheHealBringsItBack() throws Exception {
    page.post("partition");
    await("the panel says partitioned", () -> page.chain().getBoolean("partitioned", false));
    Map<String, Long> atCut = heights();
    long top = atCut.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    // the minority: nodes at most a block or two (in flight at the cut) past where they were; the rest 5 blocks on
    await("the majority 5 blocks past " + top + " while the minority stays where it was cut", () -> {
      Map<String, Long> now = heights();
      long stopped = now.entrySet().stream().filter(e -> e.getValue() <= atCut.get(e.getKey()) + 2).count();
      long ahead = now.values().stream().filter(h -> h >= top + 5).count();
      return now.size() == 6 && stopped > 0 && ahead > 0 && stopped + ahead == now.size();
    });
    Map<Boolean, List<JsonObject>> sides = page.running().values().stream()
        .collect(Collectors.partitioningBy(n -> n.getLong("height") >= top + 5));
    List<JsonObject> minority = sides.get(false);
    assertThat(minority).as("the minority: one validator, without a quorum; %s", seen())
        .filteredOn(n -> n.getString("role").equals("validator")).singleElement()
        .satisfies(v -> assertThat(v.getBoolean("quorum")).isFalse());
    assertThat(minority).as("and half the followers; %s", seen()).filteredOn(n -> n.getString("role").equals("follower")).hasSize(1);
    assertThat(sides.get(true)).as("the majority: three validators; %s", seen()).filteredOn(n -> n.getString("role").equals("validator")).hasSize(3);
    assertThat(page.chain().getBoolean("quorum")).as("the majority's validators still commit; %s", seen()).isTrue();

    page.post("heal");
    await("the panel says healed", () -> !page.chain().getBoolean("partitioned", true));
    long majority = height();
    await("every node at the same height, past the majority's " + majority + " at the heal", () -> {
      Map<String, Long> now = heights();
      long min = now.values().stream().mapToLong(Long::longValue).min().orElse(0);
      long max = now.values().stream().mapToLong(Long::longValue).max().orElse(0);
      return now.size() == 6 && min >= majority && max - min <= 1;
    });
  }

  /**
   * The spreading menu set to Dandelion++ (every node restarts with it), then "Spread a message": its hops, as the
   * page animates them, begin with a stem from the publisher, one path (each stem hop leaves the node the previous one
   * reached), and the fluff (payload pushed in the open) starts where the stem ended.
   */
  private void dandelionSpreadsAlongAStemBeforeTheFluff() throws Exception {
    page.post("protocol/dandelion++");
    Await.until("every node restarted with Dandelion++", SWITCH, () -> page.log().contains("every node spreads with dandelion++"), this::seen);
    await("the panel says dandelion++, 6 nodes in sync with a quorum", () -> "dandelion++".equals(page.chain().getString("protocol"))
        && page.running().size() == 6 && page.running().values().stream().allMatch(n -> "IN_SYNC".equals(n.getString("sync")))
        && page.chain().getBoolean("quorum", false));

    String message = page.post("gossip").getString("message");
    assertThat(message).startsWith("published ");
    String id = message.substring("published ".length());
    await("the message's fluff", () -> page.hops(id).stream().anyMatch(h -> h.getString("kind").equals("payload")));
    List<JsonObject> hops = page.hops(id);
    String path = hops.stream().map(h -> h.getString("kind") + " " + h.getString("from") + "->" + h.getString("to")).toList().toString();
    System.out.println("the hops of message " + id + ": " + path);
    assertThat(hops.get(0).getString("kind")).as(path).isEqualTo("publish");
    int fluff = 0;
    while (!hops.get(fluff).getString("kind").equals("payload")) {
      fluff++;
    }
    List<JsonObject> stem = hops.subList(1, fluff);
    assertThat(stem).as("the hops before the fluff: a stem; %s", path).isNotEmpty().allSatisfy(h -> assertThat(h.getString("kind")).isEqualTo("stem"));
    String at = hops.get(0).getString("from");
    for (JsonObject h : stem) {
      assertThat(h.getString("from")).as("one path: each stem hop leaves the node the previous one reached; %s", path).isEqualTo(at);
      at = h.getString("to");
    }
    assertThat(hops.get(fluff).getString("from")).as("the fluff starts where the stem ended; %s", path).isEqualTo(at);
  }

  private void await(String what, java.util.function.BooleanSupplier condition) {
    Await.until(what, WAIT, condition, this::seen);
  }

  private String seen() {
    return "seed " + SEED + "; the page shows:" + page.describe();
  }

  private long height() {
    return page.chain().getLong("height", 0L);
  }

  private Map<String, JsonObject> validators() {
    Map<String, JsonObject> v = new HashMap<>(page.nodes());
    v.values().removeIf(n -> !n.getString("role").equals("validator"));
    return v;
  }

  private Map<String, Long> balances() {
    return validators().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getLong("balance")));
  }

  private Map<String, Long> heights() {
    return page.running().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getLong("height")));
  }
}
