package org.meshledger.impl.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Role;

/** The handshake's rules without sockets. */
class HandshakeTest {
  /** The members and genesis of a three-member permissioned network (no sockets, so no TestNet). */
  private static final class Members {
    final List<KeyPair> keys = List.of(TestNet.key("member-0"), TestNet.key("member-1"), TestNet.key("member-2"));
    final Genesis genesis = TestNet.genesis("net-test", keys, true, Instant.parse("2026-01-01T00:00:00Z"));
  }

  private final Members t = new Members();
  private final Handshake mine = new Handshake(t.genesis, t.keys.get(0), Set.of(Role.VALIDATOR));

  private static byte[] nonce(int b) {
    byte[] n = new byte[Hello.NONCE_BYTES];
    n[0] = (byte) b;
    n[31] = (byte) (b >> 8);
    return n;
  }

  private Hello helloOf(Genesis g, KeyPair k, int nonce) {
    return RawPeer.hello(g, k.nodeId(), nonce(nonce));
  }

  @Test
  void acceptsAMemberWhoseCertificateHoldsItsKey() {
    KeyPair peer = t.keys.get(1);
    assertThat(mine.check(helloOf(t.genesis, peer, 1), peer.nodeId())).isNull();
    assertThat(mine.rolesOf(helloOf(t.genesis, peer, 2))).containsExactly(Role.OBSERVER);
  }

  @Test
  void refusesEachWayOfBeingWrongWithItsOwnReason() {
    KeyPair peer = t.keys.get(1);
    Genesis otherChain = TestNet.genesis("other", t.keys, true, t.genesis.genesisTime());
    Genesis otherGenesis = TestNet.genesis(t.genesis.chainId(), t.keys, true, Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(mine.check(helloOf(otherChain, peer, 10), peer.nodeId()).reason()).isEqualTo(Reason.WRONG_CHAIN);
    assertThat(mine.check(helloOf(otherGenesis, peer, 11), peer.nodeId()).reason()).isEqualTo(Reason.WRONG_GENESIS);
    assertThat(mine.check(helloOf(t.genesis, t.keys.get(0), 12), t.keys.get(0).nodeId()).reason()).isEqualTo(Reason.SELF);
    assertThat(mine.check(helloOf(t.genesis, peer, 13), t.keys.get(2).nodeId()).reason()).isEqualTo(Reason.KEY_MISMATCH);
    KeyPair stranger = TestNet.key("stranger");
    assertThat(mine.check(helloOf(t.genesis, stranger, 14), stranger.nodeId()).reason()).isEqualTo(Reason.NOT_MEMBER);
    assertThat(mine.check(helloOf(t.genesis, peer, 15), peer.nodeId())).isNull();
    assertThat(mine.check(helloOf(t.genesis, peer, 15), peer.nodeId()).reason()).isEqualTo(Reason.REPLAYED_NONCE);
    Hello own = mine.hello(null, 0, nonce(16));
    assertThat(own.node()).isEqualTo(t.keys.get(0).nodeId());
    assertThat(mine.check(helloOf(t.genesis, peer, 16), peer.nodeId()).reason()).as("our own nonce echoed").isEqualTo(Reason.REPLAYED_NONCE);
  }

  @Test
  void signaturesCoverBothHellosInOrderSoTheyCannotBeReflected() {
    KeyPair peer = t.keys.get(1);
    Handshake theirs = new Handshake(t.genesis, peer, Set.of(Role.OBSERVER));
    byte[] a = mine.hello(null, 0, nonce(20)).encode();
    byte[] b = theirs.hello(null, 0, nonce(21)).encode();
    byte[] sigB = theirs.sign(b, a);
    assertThat(mine.verify(peer.nodeId(), b, a, sigB)).isTrue();
    assertThat(mine.verify(peer.nodeId(), a, b, sigB)).as("hellos swapped").isFalse();
    byte[] sigA = mine.sign(a, b);
    assertThat(mine.verify(peer.nodeId(), b, a, sigA)).as("our own signature reflected").isFalse();
    byte[] other = theirs.hello(null, 0, nonce(22)).encode();
    assertThat(mine.verify(peer.nodeId(), other, a, sigB)).as("another nonce").isFalse();
    assertThat(mine.verify(peer.nodeId(), b, a, new byte[10])).isFalse();
  }

  @Test
  void openNetworksBelieveClaimedRoles() {
    Genesis open = TestNet.genesis("open", t.keys, false, t.genesis.genesisTime());
    Handshake h = new Handshake(open, t.keys.get(0), Set.of(Role.OBSERVER));
    KeyPair stranger = TestNet.key("stranger");
    Hello claim = new Hello(Hello.PROTOCOL_VERSION, "open", open.hash(), stranger.nodeId(), Set.of(Role.SUPER_NODE), null, 0, nonce(30));
    assertThat(h.check(claim, stranger.nodeId())).isNull();
    assertThat(h.rolesOf(claim)).containsExactly(Role.SUPER_NODE);
    assertThat(List.of(Reason.values())).extracting(Reason::code).doesNotHaveDuplicates();
  }
}
