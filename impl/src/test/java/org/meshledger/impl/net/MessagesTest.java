package org.meshledger.impl.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.meshledger.PeerAddress;
import org.meshledger.chain.Hash;
import org.meshledger.chain.NodeId;
import org.meshledger.codec.DecodeException;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Role;
import org.meshledger.impl.net.Messages.KnownPeer;

class MessagesTest {
  private static final long SEED = Long.getLong("meshledger.seed", System.nanoTime());

  static Hello hello(NodeId id) {
    return new Hello(Hello.PROTOCOL_VERSION, "test-chain", Hash.sha256(new byte[] {1}), id, EnumSet.of(Role.VALIDATOR),
        new PeerAddress("127.0.0.1", 7001), 42, new byte[32]);
  }

  @Test
  void helloRoundTrips() {
    Hello h = hello(KeyPair.generate().nodeId());
    Hello back = Hello.decode(h.encode());
    assertThat(back.node()).isEqualTo(h.node());
    assertThat(back.roles()).isEqualTo(h.roles());
    assertThat(back.listen()).isEqualTo(h.listen());
    assertThat(back.height()).isEqualTo(42);
    assertThat(back.encode()).isEqualTo(h.encode());
  }

  @Test
  void mutatedHellosDecodeOrFailCleanly() {
    SplittableRandom rnd = new SplittableRandom(SEED);
    byte[] good = hello(KeyPair.generate().nodeId()).encode();
    for (int i = 0; i < 5000; i++) {
      byte[] m = good.clone();
      int flips = 1 + rnd.nextInt(4);
      for (int f = 0; f < flips; f++) {
        m[rnd.nextInt(m.length)] ^= (byte) (1 << rnd.nextInt(8));
      }
      try {
        Hello.decode(m);
      } catch (DecodeException e) {
        assertThat(e.getMessage()).as("seed %d", SEED).startsWith("hello");
      }
    }
  }

  @Test
  void peersListsAreBoundedAndValidated() {
    List<KnownPeer> many = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      many.add(new KnownPeer(KeyPair.generate().nodeId(), new PeerAddress("10.0.0." + i, 7000 + i)));
    }
    assertThat(Messages.readPeers(Messages.peers(many))).hasSize(Messages.MAX_PEERS);
    byte[] huge = new org.meshledger.codec.CanonicalWriter().count(1_000_000).toByteArray();
    assertThatThrownBy(() -> Messages.readPeers(huge)).isInstanceOf(DecodeException.class);
    byte[] badHost = new org.meshledger.codec.CanonicalWriter().count(1).fixed(new byte[32]).string("evil host/").i32(1).toByteArray();
    assertThatThrownBy(() -> Messages.readPeers(badHost)).isInstanceOf(DecodeException.class).hasMessageContaining("host");
    byte[] badPort = new org.meshledger.codec.CanonicalWriter().count(1).fixed(new byte[32]).string("h").i32(70000).toByteArray();
    assertThatThrownBy(() -> Messages.readPeers(badPort)).isInstanceOf(DecodeException.class).hasMessageContaining("port");
  }

  @Test
  void disconnectCarriesReasonTextAndAlternatives() {
    List<KnownPeer> alt = List.of(new KnownPeer(KeyPair.generate().nodeId(), PeerAddress.parse("[::1]:9")));
    Messages.Disconnect d = Messages.readDisconnect(Messages.disconnect(Reason.TOO_MANY_PEERS, "x".repeat(1000), alt));
    assertThat(d.reason()).isEqualTo(Reason.TOO_MANY_PEERS);
    assertThat(d.text()).hasSizeLessThanOrEqualTo(Messages.MAX_TEXT_BYTES);
    assertThat(d.alternatives()).isEqualTo(alt);
    assertThat(Reason.of(200)).isEqualTo(Reason.UNKNOWN);
  }

  @Test
  void addressesParseAndRefuseJunk() {
    assertThat(PeerAddress.parse("10.0.0.2:7001")).isEqualTo(new PeerAddress("10.0.0.2", 7001));
    assertThat(PeerAddress.parse("[::1]:7001").host()).isEqualTo("::1");
    assertThat(PeerAddress.parse("[::1]:7001").toString()).isEqualTo("[::1]:7001");
    assertThat(PeerAddress.parse("0.0.0.0:1").isWildcard()).isTrue();
    assertThatThrownBy(() -> PeerAddress.parse("nope")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> PeerAddress.parse("a b:1")).hasMessageContaining("host");
    assertThatThrownBy(() -> PeerAddress.parse("a:0")).hasMessageContaining("port");
  }
}
