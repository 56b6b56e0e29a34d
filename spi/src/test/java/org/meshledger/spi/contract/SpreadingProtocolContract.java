package org.meshledger.spi.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshledger.Gossip;
import org.meshledger.spi.Peer;
import org.meshledger.spi.SpreadingProtocol;
import org.meshledger.spi.SpreadingProtocol.Phase;

/**
 * The contract test kit of {@link SpreadingProtocol}: extend it, return a fresh instance of the protocol from
 * {@link #newProtocol()}, and the tests check what the node's runtime relies on. A protocol is driven on a
 * {@link ScriptedNode} with 3 inbound and 3 outbound peers.
 */
public abstract class SpreadingProtocolContract {
  private static final long MAX_TIMERS = 10_000;

  /** A new instance, as its provider creates it for one node. */
  protected abstract SpreadingProtocol newProtocol();

  private static Gossip msg(String text) {
    return Gossip.of("contract", text.getBytes(StandardCharsets.UTF_8));
  }

  private static ScriptedNode started(long seed) {
    return new ScriptedNode(seed, 3, 3);
  }

  private SpreadingProtocol start(ScriptedNode node) {
    SpreadingProtocol p = newProtocol();
    p.start(node);
    return p;
  }

  @Test
  void aPublishedMessageLeavesTheNodeAndItsTimersEnd() {
    ScriptedNode node = started(1);
    SpreadingProtocol p = start(node);
    Gossip m = msg("published");
    p.onPublish(m);
    assertThat(node.drain(MAX_TIMERS)).as("timers still pending after %d ran: a protocol must not keep timers forever", MAX_TIMERS).isTrue();
    assertThat(node.actions()).as("a published message must go to at least one peer").isNotEmpty();
    assertThat(node.actions()).allSatisfy(a -> assertThat(node.peerList()).contains(a.to()));
  }

  @Test
  void aPublicMessageIsSpreadPubliclyAndNeverSentBackToItsSender() {
    ScriptedNode node = started(2);
    SpreadingProtocol p = start(node);
    Gossip m = msg("received");
    Peer from = node.peerList().get(0);
    node.makePublic(m); // as the engine does before reporting a public arrival
    p.onReceive(m, from, Phase.FLUFF);
    assertThat(node.drain(MAX_TIMERS)).isTrue();
    assertThat(node.actions()).as("a public message reaches the other peers").isNotEmpty();
    assertThat(node.actions()).noneSatisfy(a -> assertThat(a.to()).isEqualTo(from));
    assertThat(node.actions()).as("a public message is never stemmed").noneSatisfy(a -> assertThat(a.kind()).isEqualTo("stem"));
  }

  @Test
  void aStemEitherMovesOnOrBecomesPublic() {
    ScriptedNode node = started(3);
    SpreadingProtocol p = start(node);
    Gossip m = msg("stem");
    p.onReceive(m, node.peerList().get(0), Phase.STEM);
    assertThat(node.drain(MAX_TIMERS)).isTrue();
    assertThat(node.actions()).as("a stem is passed on or spread, never dropped").isNotEmpty();
  }

  @Test
  void aDisconnectedPeerGetsNoNewMessages() {
    ScriptedNode node = started(4);
    SpreadingProtocol p = start(node);
    for (int i = 0; i < 5; i++) {
      p.onPublish(msg("before " + i));
    }
    node.drain(MAX_TIMERS);
    // The peer the protocol used first (a stem relay, for Dandelion++) goes away.
    Peer gone = node.actions().get(0).to();
    int before = node.actions().size();
    node.peers.remove(gone);
    p.onPeerDisconnected(gone);
    for (int i = 0; i < 20; i++) {
      p.onPublish(msg("after " + i));
    }
    node.drain(MAX_TIMERS);
    List<ScriptedNode.Action> after = node.actions().subList(before, node.actions().size());
    assertThat(after).as("messages published after the disconnection").isNotEmpty();
    assertThat(after).noneSatisfy(a -> assertThat(a.to()).isEqualTo(gone));
  }

  @Test
  void theSameSeedGivesTheSameActions() {
    List<ScriptedNode.Action> first = script(5);
    assertThat(script(5)).isEqualTo(first);
  }

  private List<ScriptedNode.Action> script(long seed) {
    ScriptedNode node = started(seed);
    SpreadingProtocol p = start(node);
    for (int i = 0; i < 10; i++) {
      p.onPublish(msg("mine " + i));
      Gossip other = msg("theirs " + i);
      node.makePublic(other);
      p.onReceive(other, node.peerList().get(i % 6), Phase.FLUFF);
      p.onReceive(msg("stem " + i), node.peerList().get(i % 3), Phase.STEM);
    }
    node.drain(MAX_TIMERS);
    return node.actions();
  }
}
