package org.meshledger.samples.visualizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.spi.testsupport.Await;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The page in a real browser (Debian's headless Chromium, driven through its chromedriver; Selenium downloads
 * nothing): it shows the network, the validators' rewards growing, two nodes deleted and one added, the new node
 * catching up, a transaction that every running node's ledger holds, and a message spread by Dandelion++ (the demo's
 * default), its stem drawn before its fluff and in another colour. A smaller network than the default (4 validators,
 * 2 followers) keeps it under a minute. Leaves {@code target/visualizer.png}, the screenshot the docs show.
 */
class VisualizerBrowserIT {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Duration WAIT = Duration.ofSeconds(30);

  private Visualizer visualizer;
  private ChromeDriver browser;

  @AfterEach
  void tearDown() {
    if (browser != null) {
      browser.quit();
    }
    if (visualizer != null) {
      visualizer.close();
    }
  }

  @Test
  void thePageShowsDeletesAddsAndATransactionCommittedEverywhere(@TempDir Path dir) throws Exception {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!"true".equals(System.getenv("CI"))) {
      Assumptions.assumeTrue(present, "install Debian's chromium and chromium-driver to run the browser test (CI installs them)");
    }
    assertThat(present).as("CI installs chromium and chromium-driver (.ci/run)").isTrue();

    VisualizerOptions options = VisualizerOptions.parse(new String[] {"--port=0", "--nodes=6", "--validators=4",
        "--data=" + dir.resolve("data"), "--protocol=dandelion++", "--seed=42"}, new java.util.Properties());
    visualizer = new Visualizer(options, new PrintStream(System.out, true, "UTF-8"));
    visualizer.start(0);
    browser = chrome(dir.resolve("chrome-profile"));
    browser.get("http://127.0.0.1:" + visualizer.port() + "/");

    Await.until("the page to show 6 running nodes past height 3", WAIT, () -> rows().size() == 6
        && rows().stream().allMatch(r -> r.get("life").equals("running") && height(r) >= 3), this::rowsText);
    assertThat(text("quorum")).isEqualTo("quorum");
    Await.until("the rewards column to show what each validator earned", WAIT, () -> rows().stream()
        .allMatch(r -> r.get("role").equals("validator") ? rewards(r) > 0 : r.get("rewards").equals("-")), this::rowsText);
    Map<String, Long> earned = rows().stream().filter(r -> r.get("role").equals("validator"))
        .collect(Collectors.toMap(r -> r.get("name"), VisualizerBrowserIT::rewards));

    click("btn-delete");
    Await.until("5 nodes on the page", WAIT, () -> rows().size() == 5, this::rowsText);
    click("btn-delete");
    Await.until("4 nodes on the page", WAIT, () -> rows().size() == 4, this::rowsText);
    Set<String> before = rows().stream().map(r -> r.get("name")).collect(Collectors.toSet());

    // let the chain grow so the new node has blocks to fetch, then add it and watch its row
    long grown = chainHeight() + 10;
    Await.until("the chain at height " + grown, WAIT, () -> chainHeight() >= grown, this::rowsText);
    click("btn-add");
    // the catch-up of a few blocks may end between two polls of the page, so the page says where it began
    Map<String, Long> caughtUpFrom = new ConcurrentHashMap<>();
    Await.until("a fifth node on the page, caught up", WAIT, () -> {
      List<Map<String, String>> rows = rows();
      for (Map<String, String> r : rows) {
        if (!before.contains(r.get("name")) && r.get("life").equals("running")) {
          caughtUpFrom.put(r.get("name"), Long.parseLong(r.get("caughtUpFrom")));
          return height(r) >= chainHeight() - 1 && chainHeight() > 0 && Long.parseLong(r.get("caughtUpFrom")) >= 0;
        }
      }
      return false;
    }, this::rowsText);
    String added = caughtUpFrom.keySet().iterator().next();
    assertThat(caughtUpFrom.get(added)).as("the page showed that %s caught up from below the chain's height", added).isLessThan(grown);
    assertThat(rows().stream().filter(r -> r.get("name").equals(added)).findFirst().orElseThrow().get("sync")).contains("caught up from");

    click("btn-submit");
    Await.until("the transaction committed on every running node", WAIT, () -> !text("last-tx").equals("none")
        && rows().stream().filter(r -> r.get("life").equals("running")).allMatch(r -> r.get("hasLastTx").equals("yes")), this::rowsText);
    assertThat(Integer.parseInt(text("committed"))).isGreaterThanOrEqualTo(1);
    assertThat(rows()).hasSize(5).allSatisfy(r -> assertThat(r.get("life")).isEqualTo("running"));

    assertThat(rows()).as("the validators still running earned more since the start").filteredOn(r -> earned.containsKey(r.get("name")))
        .isNotEmpty().allSatisfy(r -> assertThat(rewards(r)).as(r.get("name")).isGreaterThan(earned.get(r.get("name"))));

    // a message spreading by Dandelion++, which the screenshot shows: first its stem, then its fluff, drawn in other colours
    click("btn-gossip");
    List<String> drawn = new ArrayList<>(); // each change of the last hop drawn: "kind colour"
    Await.until("the page to draw the message's stem and then its fluff", WAIT, () -> {
      Map<String, String> hop = hopDrawn();
      String d = hop.get("kind") + " " + hop.get("color");
      if (hop.containsKey("kind") && (drawn.isEmpty() || !drawn.get(drawn.size() - 1).equals(d))) {
        drawn.add(d);
      }
      return drawn.stream().anyMatch(h -> h.startsWith("payload "));
    }, drawn::toString);
    String stem = drawn.stream().filter(h -> h.startsWith("stem ")).findFirst().orElse("none");
    String fluff = drawn.stream().filter(h -> h.startsWith("payload ")).findFirst().orElseThrow();
    assertThat(drawn.indexOf(stem)).as("a stem drawn before the fluff: %s", drawn).isBetween(0, drawn.indexOf(fluff));
    assertThat(stem.substring(5)).as("the stem's colour is not the fluff's: %s", drawn).isNotEqualTo(fluff.substring(8));
    Path shot = Path.of("target", "visualizer.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
    System.out.println("screenshot: " + shot.toAbsolutePath());
  }

  private static ChromeDriver chrome(Path profile) throws Exception {
    Files.createDirectories(profile);
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,900", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
        .usingAnyFreePort().build();
    return new ChromeDriver(service, o);
  }

  private void click(String id) {
    browser.findElement(By.id(id)).click();
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText().trim();
  }

  private long chainHeight() {
    return Long.parseLong(text("chain-height"));
  }

  private static long height(Map<String, String> row) {
    return Long.parseLong(row.get("height"));
  }

  private static long rewards(Map<String, String> row) {
    return Long.parseLong(row.get("rewards"));
  }

  /** The last hop the page drew: its kind and the colour of its line ({@code #hops}'s data attributes). */
  @SuppressWarnings("unchecked")
  private Map<String, String> hopDrawn() {
    return (Map<String, String>) Objects.requireNonNull(((JavascriptExecutor) browser).executeScript(
        "return Object.assign({}, document.getElementById('hops').dataset);"));
  }

  /** The node table's rows as the page holds them (its data attributes, the role and rewards shown), read in one script. */
  @SuppressWarnings("unchecked")
  private List<Map<String, String>> rows() {
    Object r = ((JavascriptExecutor) browser).executeScript("return Array.from(document.querySelectorAll('#nodes tbody tr')).map(tr =>"
        + " Object.assign({}, tr.dataset, {role: tr.querySelector('.role').textContent, rewards: tr.querySelector('.rewards').textContent}));");
    return ((List<Map<String, Object>>) Objects.requireNonNull(r)).stream()
        .map(m -> m.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())))).toList();
  }

  private String rowsText() {
    try {
      return rows() + " chain height " + text("chain-height") + ", last tx " + text("last-tx");
    } catch (RuntimeException e) {
      return "(the page could not be read: " + e + ")";
    }
  }

}
