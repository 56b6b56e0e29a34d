package org.meshledger.impl.spreading;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.meshledger.Gossip;
import org.meshledger.PropagationStats.Kind;
import org.meshledger.spi.Peer;
import org.meshledger.spi.SpreadFrame;
import org.meshledger.spi.SpreadingContext;
import org.meshledger.spi.SpreadingProtocol;

/** The relay engine on its own, with a protocol that records what it is told and relays nothing. */
class RelayTest {
  private static final long TIMEOUT = Duration.ofSeconds(2).toNanos();
  private final FakeRuntime rt = new FakeRuntime();
  private final Peer a = FakeRuntime.FakePeer.of(1, Peer.Direction.INBOUND);
  private final Peer b = FakeRuntime.FakePeer.of(2, Peer.Direction.OUTBOUND);
  private final Peer c = FakeRuntime.FakePeer.of(3, Peer.Direction.OUTBOUND);
  private final List<String> events = new ArrayList<>();
  private final List<Gossip> delivered = new ArrayList<>();
  private Relay relay;
  private SpreadingContext ctx;

  private final SpreadingProtocol recorder = new SpreadingProtocol() {
    @Override
    public void start(SpreadingContext context) {
      ctx = context;
    }

    @Override
    public void onPublish(Gossip gossip) {
      events.add("publish");
    }

    @Override
    public void onReceive(Gossip gossip, Peer from, Phase phase) {
      events.add(phase + " from " + from.id().key()[31]);
    }

    @Override
    public void onStemLoop(Gossip gossip, Peer from) {
      events.add("loop");
    }
  };

  private static Gossip msg(int n) {
    return Gossip.of("t", ("m" + n).getBytes(StandardCharsets.UTF_8));
  }

  @BeforeEach
  void setUp() {
    rt.peers.addAll(List.of(a, b, c));
    relay = new Relay(rt, recorder, new Relay.Settings(3, Duration.ofNanos(TIMEOUT), 8), delivered::add);
  }

  @Test
  void anAnnouncedMessageIsPulledOnceFromTheFirstAnnouncerAndDeliveredOnce() {
    Gossip m = msg(1);
    relay.onFrame(a, new SpreadFrame.Announce(m.id()));
    relay.onFrame(b, new SpreadFrame.Announce(m.id()));
    assertThat(rt.drain()).containsExactly(new FakeRuntime.Sent(a, new SpreadFrame.Request(m.id())));
    relay.onFrame(a, new SpreadFrame.Payload(m));
    relay.onFrame(b, new SpreadFrame.Payload(m));
    assertThat(delivered).containsExactly(m);
    assertThat(events).containsExactly("FLUFF from 1");
    var stats = relay.stats();
    assertThat(stats.of(Kind.ANNOUNCE).received()).isEqualTo(2);
    assertThat(stats.of(Kind.ANNOUNCE).duplicates()).isEqualTo(1);
    assertThat(stats.of(Kind.PAYLOAD).duplicates()).isEqualTo(1);
    assertThat(stats.of(Kind.REQUEST).sent()).isEqualTo(1);
    assertThat(stats.of(Kind.REQUEST).sentBytes()).isEqualTo(37);
    // The timeout of the answered request does nothing.
    rt.advance(TIMEOUT * 2);
    assertThat(rt.drain()).isEmpty();
  }

  @Test
  void anUnansweredRequestGoesToTheNextAnnouncerThenIsForgotten() {
    Gossip m = msg(2);
    relay.onFrame(a, new SpreadFrame.Announce(m.id()));
    relay.onFrame(b, new SpreadFrame.Announce(m.id()));
    rt.drain();
    rt.advance(TIMEOUT);
    assertThat(rt.drain()).containsExactly(new FakeRuntime.Sent(b, new SpreadFrame.Request(m.id())));
    rt.advance(TIMEOUT);
    assertThat(rt.drain()).isEmpty();
    // Forgotten: a new announcement starts a new pull.
    relay.onFrame(c, new SpreadFrame.Announce(m.id()));
    assertThat(rt.drain()).containsExactly(new FakeRuntime.Sent(c, new SpreadFrame.Request(m.id())));
  }

  @Test
  void onlyPublicMessagesAreServed() {
    Gossip stem = msg(3);
    Gossip pub = msg(4);
    relay.onFrame(a, new SpreadFrame.Stem(stem));
    relay.onFrame(a, new SpreadFrame.Payload(pub));
    relay.onFrame(b, new SpreadFrame.Request(stem.id()));
    relay.onFrame(b, new SpreadFrame.Request(msg(99).id()));
    relay.onFrame(b, new SpreadFrame.Request(pub.id()));
    assertThat(rt.drain()).containsExactly(new FakeRuntime.Sent(b, new SpreadFrame.Payload(pub)));
    assertThat(delivered).containsExactly(pub);
    assertThat(ctx.isPublic(stem.id())).isFalse();
  }

  @Test
  void aStemHeldHereBecomesPublicWhenAnnouncedAndAStemLoopIsReported() {
    Gossip m = msg(5);
    relay.onFrame(a, new SpreadFrame.Stem(m));
    relay.onFrame(c, new SpreadFrame.Stem(m));
    relay.onFrame(b, new SpreadFrame.Announce(m.id()));
    assertThat(events).containsExactly("STEM from 1", "loop", "FLUFF from 2");
    assertThat(rt.drain()).as("no request: the payload is held").isEmpty();
    assertThat(delivered).containsExactly(m);
    assertThat(relay.stats().of(Kind.STEM).duplicates()).isEqualTo(1);
  }

  @Test
  void aPublishedMessageIsPrivateUntilRelayedAndNeverDeliveredBackToItsPublisher() {
    Gossip m = msg(6);
    relay.publish(m);
    assertThat(events).containsExactly("publish");
    assertThat(ctx.isPublic(m.id())).isFalse();
    ctx.announce(b, m);
    assertThat(ctx.isPublic(m.id())).isTrue();
    relay.onFrame(c, new SpreadFrame.Payload(m));
    assertThat(delivered).isEmpty();
    assertThat(relay.stats().of(Kind.PAYLOAD).duplicates()).isEqualTo(1);
  }

  @Test
  void theSeenCacheIsBoundedAndForgetsTheOldestFirst() {
    for (int i = 10; i < 14; i++) {
      relay.onFrame(a, new SpreadFrame.Payload(msg(i)));
    }
    // Capacity 3: message 10 was evicted, so it counts as new again; 13 is still known.
    relay.onFrame(b, new SpreadFrame.Payload(msg(13)));
    relay.onFrame(b, new SpreadFrame.Payload(msg(10)));
    assertThat(delivered).extracting(Gossip::id).containsExactly(msg(10).id(), msg(11).id(), msg(12).id(), msg(13).id(), msg(10).id());
  }
}
