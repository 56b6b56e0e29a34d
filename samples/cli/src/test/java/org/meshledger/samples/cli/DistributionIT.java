package org.meshledger.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.crypto.KeyPair;
import org.meshledger.spi.testsupport.Await;

/**
 * The archive as an operator gets it: {@code meshledger-<version>.tar.gz}, built by {@code package}, unpacked with
 * {@code tar}, and {@code bin/meshledger} run as a process with the Java of this JVM through {@code JAVA_HOME} (which
 * the script honours before {@code PATH}). It catches what the in-process tests cannot: a script that does not run, a
 * jar missing from {@code lib/}, a manifest without the version, signals that do not reach the JVM.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "bin/meshledger is a POSIX shell script, and the archive a tar.gz")
class DistributionIT {
  private static final Duration COMMAND = Duration.ofSeconds(60);
  private static final String VERSION = property("meshledger.version");

  @TempDir
  static Path unpacked;
  private static Path home;

  @TempDir
  Path dir;

  private final List<Process> started = new ArrayList<>();

  /** One command's exit code and output. */
  record Result(int code, String out, String err) {}

  @BeforeAll
  static void unpack() throws Exception {
    Path archive = Path.of(property("meshledger.distribution"));
    assertThat(archive).as("the archive that package builds").isRegularFile();
    Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", unpacked.toString()).redirectErrorStream(true).start();
    String said = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tar.waitFor(60, TimeUnit.SECONDS)).as("tar xzf within 60 s").isTrue();
    assertThat(tar.exitValue()).as("tar xzf %s: %s", archive, said).isZero();
    home = unpacked.resolve("meshledger-" + VERSION);
    assertThat(home.resolve("bin/meshledger")).as("the script, executable after tar xzf").isExecutable();
  }

  @AfterEach
  void stopStarted() {
    started.forEach(p -> p.toHandle().destroyForcibly());
    started.forEach(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join());
  }

  @Test
  void versionIsTheProjectsFromTheManifestAndTheJavaIsJavaHomes() throws Exception {
    Result r = meshledger(Map.of(), "--version");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines()).containsExactly("meshledger " + VERSION, "Java " + Runtime.version());
  }

  @Test
  void aJavaHomeWithoutJavaIsNamedInsteadOfFallingBackToPath() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("not-a-jdk"));
    Result r = meshledger(Map.of("JAVA_HOME", empty.toString()), "--version");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip()).startsWith("meshledger: JAVA_HOME is " + empty + ", but " + empty.resolve("bin/java") + " is not there");
  }

  @Test
  void keygenWritesAnOwnerOnlyKeyPrintsItsIdAndNeverOverwritesIt() throws Exception {
    Path key = dir.resolve("keys/node.key");
    Result r = meshledger(Map.of(), "keygen", "--out", key.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().strip()).matches("[0-9a-f]{64}").isEqualTo(KeyPair.load(key).nodeId().toHex());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");

    Result again = meshledger(Map.of(), "keygen", "--out", key.toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).startsWith("meshledger keygen: key file " + key + " already exists");
    assertThat(KeyPair.load(key).nodeId().toHex()).isEqualTo(r.out().strip());
  }

  @Test
  void badInputExitsNonZeroWithOneLineThatSaysWhatIsWrong() throws Exception {
    Path genesis = dir.resolve("genesis.json");
    Path garbage = Files.writeString(dir.resolve("proofs.json"), "not json\n");
    Result badMember = meshledger(Map.of(), "genesis", "--chain-id", "x", "--member", "m=abc", "--out", genesis.toString());
    Result noNodes = meshledger(Map.of(), "testnet", "--nodes", "0", "--out", dir.resolve("net").toString());
    Result noGenesis = meshledger(Map.of(), "verify", "--genesis", genesis.toString(), garbage.toString());
    Result usage = meshledger(Map.of(), "verify", garbage.toString());

    assertThat(badMember.code()).isEqualTo(1);
    assertThat(badMember.err().strip()).isEqualTo("meshledger genesis: --member m=abc: the id public key must be 64 hex characters, got 3");
    assertThat(genesis).doesNotExist();
    assertThat(noNodes.code()).isEqualTo(1);
    assertThat(noNodes.err().strip()).isEqualTo("meshledger testnet: --nodes must be 1 to 256, got 0");
    assertThat(noGenesis.code()).isEqualTo(1);
    assertThat(noGenesis.err().strip()).isEqualTo("meshledger verify: genesis file " + genesis + " does not exist");
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err()).contains("Missing required option: '--genesis=FILE'");

    Result testnet = meshledger(Map.of(), "testnet", "--nodes", "1", "--out", dir.resolve("one").toString());
    assertThat(testnet.code()).as(testnet.err()).isZero();
    Result notProofs = meshledger(Map.of(), "verify", "--genesis", dir.resolve("one/node0/genesis.json").toString(), garbage.toString());
    assertThat(notProofs.code()).isEqualTo(1);
    assertThat(notProofs.err().strip()).startsWith("meshledger verify: receipt proof file " + garbage + ": malformed JSON at line 1, column 1");
    for (Result r : List.of(badMember, noNodes, noGenesis, notProofs)) {
      assertThat(r.err().lines()).as("one line, no stack trace: %s", r.err()).hasSize(1);
      assertThat(r.out()).isEmpty();
    }
  }

  /**
   * A node needs far more of {@code lib/} than the commands above (H2, Bouncy Castle, Vert.x web, Micrometer's
   * Prometheus registry, the implementation found at run time), and SIGTERM must reach the JVM through the script.
   */
  @Test
  void aNodeRunsFromTheArchiveTakesATransactionAndStopsCleanlyOnSigterm() throws Exception {
    int base = Ports.freeRange(2);
    Path net = dir.resolve("net");
    Result testnet = meshledger(Map.of(), "testnet", "--nodes", "1", "--out", net.toString(), "--base-port", Integer.toString(base));
    assertThat(testnet.code()).as(testnet.err()).isZero();
    Path log = dir.resolve("node0.log");
    Process node = command(Map.of(), "node", "--config", net.resolve("node0/node.json").toString()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    started.add(node);
    String api = "http://127.0.0.1:" + (base + 1);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Await.until("the node from the archive answers /health with 200", COMMAND, () -> {
      if (!node.isAlive()) {
        throw new AssertionError("the node exited with " + node.exitValue() + ":\n" + read(log));
      }
      try {
        return http.send(HttpRequest.newBuilder(URI.create(api + "/health")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false; // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }, () -> read(log));

    Result put = meshledger(Map.of(), "submit", "put", "--node", api, "--key", net.resolve("node0/node.key").toString(), "greeting", "hello");
    assertThat(put.code()).as(put.err()).isZero();
    assertThat(put.out()).matches("(?s)final: transaction [0-9a-f]{64} ACCEPTED in block \\d+ at index 0 \\(nonce 0\\)\\R");
    Result status = meshledger(Map.of(), "status", "--node", api);
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out()).contains("  state    RUNNING, IN_SYNC").contains("  chain    meshledger-testnet");

    node.destroy(); // SIGTERM, to the JVM itself: the script execs java
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("the node exits within 30 s of SIGTERM").isTrue();
    assertThat(node.exitValue()).as("128 + SIGTERM: the JVM ran its shutdown hooks").isEqualTo(143);
    assertThat(read(log)).contains("node node0 stopped");
  }

  /** {@code bin/meshledger args} with this JVM's Java (the script honours {@code JAVA_HOME}) unless {@code env} says otherwise. */
  private Result meshledger(Map<String, String> env, String... args) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = command(env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    started.add(p);
    if (!p.waitFor(COMMAND.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError("meshledger " + String.join(" ", args) + " still runs after " + COMMAND.toSeconds() + " s");
    }
    return new Result(p.exitValue(), read(out), read(err));
  }

  private ProcessBuilder command(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/meshledger").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"); // two shared cores
    pb.environment().remove("MESHLEDGER_TOKEN");
    pb.environment().putAll(env);
    return pb;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException("system property " + name + " is not set: run this test through Maven (mvn -pl samples/cli -am verify"
          + " -Dit.test=DistributionIT), which builds the archive first and sets it");
    }
    return value;
  }
}
