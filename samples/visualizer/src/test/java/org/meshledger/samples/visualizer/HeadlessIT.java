package org.meshledger.samples.visualizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The headless mode as a script runs it: its own JVM ({@code java -cp ... Visualizer --headless=SECONDS}), a short
 * run on a small network (4 validators, 1 follower; the run kills a validator and restarts it), then the exit status
 * and the summary a script reads: the chain's height, the transactions committed, each node's height, whether the
 * restarted nodes caught up, and the verdict. A failure shows the whole output of the run.
 */
class HeadlessIT {
  static final long SEED = 7;
  static final int SECONDS = 20;
  /** Starting 5 nodes, the run, the settling and the summary, on two busy cores. */
  static final long TIMEOUT_SECONDS = 240;
  static final Pattern CHAIN = Pattern.compile("chain height (\\d+); transactions committed (\\d+) of (\\d+) submitted");
  static final Pattern NODE = Pattern.compile("^  (\\S+)\\s+(validator|follower)\\s+(\\S+)\\s+height\\s+(\\d+)(.*)$");
  static final Pattern CAUGHT_UP = Pattern.compile("restarted or added nodes caught up: (\\d+) of (\\d+)");

  private Process process;

  @AfterEach
  void stop() {
    if (process != null && process.isAlive()) {
      process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }
  }

  @Test
  void aShortHeadlessRunExitsZeroWithASummaryThatSaysTheChainCommittedAndEveryNodeHoldsIt(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("headless.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        Visualizer.class.getName(), "--headless=" + SECONDS, "--nodes=5", "--validators=4", "--load=5", "--seed=" + SEED,
        "--data=" + dir.resolve("data"));
    process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();

    boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    String output = read(log);
    String context = "seed " + SEED + ", the run's output:\n" + output;
    System.out.println("the headless run's output:\n" + output);
    assertThat(exited).as("the headless run ends within %d s; %s", TIMEOUT_SECONDS, context).isTrue();
    assertThat(process.exitValue()).as("exit status; %s", context).isZero();

    Matcher chain = CHAIN.matcher(output);
    assertThat(chain.find()).as("the summary's chain line; %s", context).isTrue();
    long height = Long.parseLong(chain.group(1));
    long committed = Long.parseLong(chain.group(2));
    long submitted = Long.parseLong(chain.group(3));
    assertThat(height).as("the chain's height; %s", context).isPositive();
    assertThat(committed).as("transactions committed; %s", context).isPositive().isLessThanOrEqualTo(submitted);

    List<String[]> nodes = new ArrayList<>();
    for (String line : output.substring(chain.end()).lines().toList()) {
      Matcher m = NODE.matcher(line);
      if (m.matches()) {
        nodes.add(new String[] {m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)});
      }
    }
    assertThat(nodes).as("one summary line per node; %s", context).hasSize(5);
    assertThat(nodes).as("every node runs at the end and is within %d blocks of the chain; %s", Headless.SLACK, context)
        .allSatisfy(n -> {
          assertThat(n[2]).isEqualTo("running");
          assertThat(Long.parseLong(n[3])).isBetween(height - Headless.SLACK, height);
          assertThat(n[4]).doesNotContain("BEHIND");
        });
    assertThat(nodes).as("the validator the run killed and restarted; %s", context)
        .filteredOn(n -> n[4].contains("restarted or added")).isNotEmpty();

    Matcher caughtUp = CAUGHT_UP.matcher(output);
    assertThat(caughtUp.find()).as("the summary's catch-up line; %s", context).isTrue();
    assertThat(caughtUp.group(1)).as("restarted nodes caught up; %s", context).isEqualTo(caughtUp.group(2)).isNotEqualTo("0");
    assertThat(output).as(context).contains("OK: the network committed and every running node holds the chain")
        .contains("seed " + SEED);
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no output)";
  }
}
