package org.meshledger.impl.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.PeerAddress;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Role;
import org.meshledger.impl.net.TestNet.Node;
import org.meshledger.spi.Peer.Direction;
import org.meshledger.spi.testsupport.VertxIssue6087;

/** Two real nodes over mutual TLS on loopback: what they accept, what they refuse, and that both sides say why. */
class HandshakeIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  Path dir;
  TestNet t;
  LogCapture logs;

  @BeforeEach
  void setUp() {
    t = new TestNet(dir, 4, true);
    logs = new LogCapture();
  }

  @AfterEach
  void tearDown() {
    t.close();
    logs.close();
  }

  /** True once each side has logged {@code reason} about the other (refusing it, or being refused by it). */
  private boolean bothLogged(Reason reason, Node a, String otherId) {
    String mine = a.net().self().toHex().substring(0, 12);
    String theirs = otherId.substring(0, 12);
    return logs.has("peer " + mine, reason.name()) && logs.has("peer " + theirs, reason.name());
  }

  private Node startBootstrappingTo(int i, Node target) {
    return t.start(t.config(i).addBootstrapPeer("127.0.0.1:" + target.net().port()));
  }

  @Test
  void twoMembersConnectExchangeMessagesAndMeasureLatency() {
    long began = System.nanoTime();
    Node b = t.start(t.config(1));
    Node a = startBootstrappingTo(0, b);
    TestNet.await("a and b connected", WAIT, () -> a.net().peers().size() == 1 && b.net().peers().size() == 1);
    PeerConnection ab = a.net().peers().get(0);
    PeerConnection ba = b.net().peers().get(0);
    assertThat(ab.id()).isEqualTo(t.keys.get(1).nodeId());
    assertThat(ba.id()).isEqualTo(t.keys.get(0).nodeId());
    assertThat(ab.direction()).isEqualTo(Direction.OUTBOUND);
    assertThat(ba.direction()).isEqualTo(Direction.INBOUND);
    assertThat(ba.roles()).containsExactly(Role.VALIDATOR);
    assertThat(ab.listenAddress()).contains(new PeerAddress("127.0.0.1", b.net().port()));
    assertThat(Files.exists(dir.resolve("node-0").resolve(TlsIdentity.FILE_NAME))).isTrue();

    ab.send(0x40, new byte[] {1, 2, 3});
    ba.send(0x7F, new byte[0]);
    TestNet.await("messages both ways", WAIT, () -> b.rec().messages.size() == 1 && a.rec().messages.size() == 1);
    assertThat(b.rec().messages.peek().body()).containsExactly(1, 2, 3);
    assertThat(a.rec().messages.peek().type()).isEqualTo(0x7F);
    TestNet.await("latency measured by ping/pong", WAIT, () -> ab.latency().isPresent() && ba.latency().isPresent());
    // A measured round trip, not a speed: positive and no longer than the test has run (a fixed bound in ms flaked
    // on two busy cores).
    Duration since = Duration.ofNanos(System.nanoTime() - began);
    assertThat(ab.latency().orElseThrow()).isPositive().isLessThanOrEqualTo(since);
    assertThat(ba.latency().orElseThrow()).isPositive().isLessThanOrEqualTo(since);
    NetworkStats.Snapshot stats = b.net().stats().snapshot();
    assertThat(stats.handshakes()).isEqualTo(1);
    assertThat(stats.framesIn()).isGreaterThanOrEqualTo(4); // HELLO, AUTH, the message, a PING or PONG
    assertThat(stats.bytesOut()).isGreaterThan(stats.framesOut() * Frames.HEADER_BYTES);
  }

  @Test
  void restartedNodeReloadsItsCertificateAndReconnects() throws Exception {
    Node b = t.start(t.config(1));
    Node a = startBootstrappingTo(0, b);
    TestNet.await("connected", WAIT, () -> b.net().peers().size() == 1);
    byte[] cert = Files.readAllBytes(dir.resolve("node-0").resolve(TlsIdentity.FILE_NAME));
    TestNet.get(a.net().stop(), "stop a");
    TestNet.await("b sees a leave", WAIT, () -> b.net().peers().isEmpty());
    startBootstrappingTo(0, b);
    TestNet.await("a is back", WAIT, () -> b.net().peers().size() == 1);
    assertThat(Files.readAllBytes(dir.resolve("node-0").resolve(TlsIdentity.FILE_NAME))).isEqualTo(cert);
  }

  @Test
  void wrongChainIsRefusedAndBothSidesLogTheReason() {
    Node b = t.start(t.config(1));
    Genesis other = TestNet.genesis("other-chain", t.keys, true, t.genesis.genesisTime());
    Node a = t.start(t.config(0).setGenesis(other).addBootstrapPeer("127.0.0.1:" + b.net().port()));
    TestNet.await("refusal logged on both sides", WAIT, () -> bothLogged(Reason.WRONG_CHAIN, b, a.net().self().toHex()));
    assertThat(b.net().peers()).isEmpty();
  }

  @Test
  void wrongGenesisIsRefused() {
    Node b = t.start(t.config(1));
    Genesis other = TestNet.genesis(t.genesis.chainId(), t.keys, true, Instant.parse("2027-01-01T00:00:00Z"));
    Node a = t.start(t.config(0).setGenesis(other).addBootstrapPeer("127.0.0.1:" + b.net().port()));
    TestNet.await("WRONG_GENESIS logged on both sides", WAIT, () -> bothLogged(Reason.WRONG_GENESIS, b, a.net().self().toHex()));
    assertThat(b.net().peers()).isEmpty();
  }

  @Test
  void nonMembersAreRefusedInAPermissionedNetwork() {
    Node b = t.start(t.config(1));
    KeyPair stranger = TestNet.key("stranger");
    t.start(t.config(0).setKey(stranger).setDataDir(dir.resolve("stranger")).addBootstrapPeer("127.0.0.1:" + b.net().port()));
    TestNet.await("NOT_MEMBER logged on both sides", WAIT, () -> bothLogged(Reason.NOT_MEMBER, b, stranger.nodeId().toHex()));
    assertThat(b.net().peers()).isEmpty();
    assertThat(b.net().handshakeFailures()).as("the refusal counted for the node's metrics").isGreaterThanOrEqualTo(1);
  }

  @Test
  void openNetworksAcceptAnyoneWithTheRightGenesis() {
    TestNet open = new TestNet(dir.resolve("open"), 2, false);
    try {
      Node b = open.start(open.config(1));
      KeyPair stranger = TestNet.key("stranger");
      Node s = open.start(open.config(0).setKey(stranger).setDataDir(dir.resolve("stranger")).setRoles(java.util.Set.of(Role.SECURE_NODE))
          .addBootstrapPeer("127.0.0.1:" + b.net().port()));
      TestNet.await("stranger connected", WAIT, () -> b.net().peers().size() == 1);
      assertThat(b.net().peers().get(0).id()).isEqualTo(stranger.nodeId());
      assertThat(b.net().peers().get(0).roles()).containsExactly(Role.SECURE_NODE);
      assertThat(s.net().peers()).hasSize(1);
    } finally {
      open.close();
    }
  }

  @Test
  void aNodeThatDialsItselfGivesUpOnThatAddress() {
    // It listens on every interface and announces the wildcard, so 127.0.0.1:port is not known to be its own.
    Node a = t.start(t.config(0).setListenHost("0.0.0.0"));
    TestNet.get(a.net().stop(), "stop");
    Node again = t.start(t.config(0).setListenHost("0.0.0.0").setListenPort(a.net().port())
        .addBootstrapPeer("127.0.0.1:" + a.net().port()));
    TestNet.await("SELF logged", WAIT, () -> logs.has("SELF"));
    assertThat(again.net().peers()).isEmpty();
    long before = logs.count("SELF");
    Node other = t.start(t.config(1).addBootstrapPeer("127.0.0.1:" + a.net().port()));
    TestNet.await("another node connects meanwhile", WAIT, () -> other.net().peers().size() == 1);
    assertThat(logs.count("SELF")).as("no redial of its own address").isLessThanOrEqualTo(before + 2);
  }

  @Test
  void simultaneousDialsLeaveExactlyOneConnection() {
    Node a = t.start(t.config(0));
    Node b = t.start(t.config(1).addBootstrapPeer("127.0.0.1:" + a.net().port()));
    // a learns b's address only now, so both dial each other at about the same time in several rounds
    Node c = t.start(t.config(2).addBootstrapPeer("127.0.0.1:" + a.net().port()).addBootstrapPeer("127.0.0.1:" + b.net().port()));
    Node d = t.start(t.config(3).addBootstrapPeer("127.0.0.1:" + c.net().port()).addBootstrapPeer("127.0.0.1:" + b.net().port())
        .addBootstrapPeer("127.0.0.1:" + a.net().port()));
    List<Node> all = List.of(a, b, c, d);
    TestNet.await("full mesh of 4", WAIT, () -> all.stream().allMatch(n -> n.net().peers().size() == 3));
    for (Node n : all) {
      assertThat(n.net().peers().stream().map(PeerConnection::id).distinct()).hasSize(3);
      for (PeerConnection p : n.net().peers()) {
        Node other = all.stream().filter(o -> o.net().self().equals(p.id())).findFirst().orElseThrow();
        PeerConnection back = other.net().peers().stream().filter(q -> q.id().equals(n.net().self())).findFirst().orElseThrow();
        assertThat(back.direction()).as("both ends agree on the one surviving connection").isNotEqualTo(p.direction());
      }
    }
  }

  /**
   * A peer told SHUTDOWN dials again soon (after about reconnectMin). The stopping node closes its port before it
   * says SHUTDOWN, so such a dial never reaches a Vert.x server halfway through closing, where Vert.x 5.0 and 5.1
   * log an IllegalStateException trace per connection ("Failed to register an accepted channel",
   * eclipse-vertx/vert.x#6087). Here the peer dials as fast as it can from the moment it hears SHUTDOWN until the
   * port refuses, in several rounds: with the goodbyes sent before the port closed, such dials met that window.
   * (A dial may still complete against the closing socket's backlog for a moment; Vert.x never sees it.)
   */
  @Test
  void aStoppingNodeClosesItsPortBeforeItsPeersHearShutdown() throws Exception {
    KeyPair member = t.keys.get(2);
    // the spi's LogCapture (this package's own only listens): keeps what Netty logs out of the build log, to assert on it
    int leftOutBefore = VertxIssue6087.leftOut(); // the build's filter drops exactly these records before any handler sees them
    try (org.meshledger.spi.testsupport.LogCapture netty = org.meshledger.spi.testsupport.LogCapture.of("io.netty")) {
      for (int round = 0; round < 10; round++) {
        Node b = t.start(t.config(1));
        int port = b.net().port();
        try (RawPeer raw = RawPeer.connect(t.vertx, port, member)) {
          byte[] nonce = new byte[32];
          nonce[0] = (byte) round;
          assertThat(raw.handshake(t.genesis, member, RawPeer.hello(t.genesis, member.nodeId(), nonce))).as("round %d: accepted", round)
              .isNull();
          Future<Void> stopped = b.net().stop();
          Messages.Disconnect bye = raw.awaitDisconnect(WAIT);
          assertThat(bye).as("round %d: a goodbye", round).isNotNull();
          assertThat(bye.reason()).isEqualTo(Reason.SHUTDOWN);
          int dials = 0;
          long deadline = System.nanoTime() + WAIT.toNanos();
          while (accepts(port)) {
            dials++;
            assertThat(System.nanoTime()).as("round %d: port %d still accepts after %d dials", round, port, dials).isLessThan(deadline);
          }
          TestNet.get(stopped, "stop b");
        }
      }
      assertThat(netty.lines()).as("what Netty logged while nodes stopped and a peer dialed them").isEmpty();
      assertThat(VertxIssue6087.leftOut() - leftOutBefore).as("connections that reached a server Vert.x was closing").isZero();
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), (int) WAIT.toMillis());
      return true;
    } catch (IOException refused) {
      return false;
    }
  }
}
