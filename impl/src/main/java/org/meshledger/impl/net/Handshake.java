package org.meshledger.impl.net;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.meshledger.PeerAddress;
import org.meshledger.chain.Hash;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.Signature;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.crypto.KeyPair;
import org.meshledger.crypto.SignatureDomain;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;

/**
 * The handshake's rules, sans-IO: what this node says in its {@link Hello}, whether a peer's hello is
 * acceptable, and what each side signs. Both sides send HELLO at once, then AUTH: a signature in
 * {@link SignatureDomain#HANDSHAKE} over {@code SHA-256(signer's hello) || SHA-256(other hello)}. Each hello
 * carries its sender's fresh nonce, so each signature covers both nonces and every field of both hellos, and
 * the order of the two hashes stops a signature from being reflected back to its signer.
 *
 * <p>Seen nonces are remembered (a bounded window), so a replayed hello is refused. Not thread-safe: one per
 * node, used on its context.
 */
final class Handshake {
  /** A refusal: the reason code both sides log, and a text for humans. */
  record Refusal(Reason reason, String text) {}

  private static final int NONCE_WINDOW = 65_536;

  private final Genesis genesis;
  private final Hash genesisHash;
  private final KeyPair key;
  private final Set<Role> roles;
  private final Map<String, Boolean> seenNonces = new LinkedHashMap<>(1024, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > NONCE_WINDOW;
    }
  };

  Handshake(Genesis genesis, KeyPair key, Set<Role> roles) {
    this.genesis = Objects.requireNonNull(genesis, "genesis");
    this.genesisHash = genesis.hash();
    this.key = Objects.requireNonNull(key, "key");
    this.roles = Set.copyOf(roles);
  }

  NodeId self() {
    return key.nodeId();
  }

  Set<Role> roles() {
    return roles;
  }

  /** This node's hello with a fresh nonce (which is remembered, so a peer cannot echo it back). */
  Hello hello(PeerAddress listen, long height, byte[] nonce) {
    seenNonces.put(HexFormat.of().formatHex(nonce), Boolean.TRUE);
    return new Hello(Hello.PROTOCOL_VERSION, genesis.chainId(), genesisHash, key.nodeId(), roles, listen, height, nonce);
  }

  /**
   * Checks a peer's hello: chain, genesis, self-connection, the certificate's key, membership, replay.
   *
   * @param certKey the key of the peer's TLS certificate, or null on plain TCP (benchmarks only)
   * @return null if acceptable, else the refusal
   */
  Refusal check(Hello peer, NodeId certKey) {
    if (!peer.chainId().equals(genesis.chainId())) {
      return new Refusal(Reason.WRONG_CHAIN, "peer is on chain '" + peer.chainId() + "', this node on '" + genesis.chainId() + "'");
    }
    if (!peer.genesisHash().equals(genesisHash)) {
      return new Refusal(Reason.WRONG_GENESIS, "peer's genesis hash " + peer.genesisHash() + " is not " + genesisHash);
    }
    if (peer.node().equals(key.nodeId())) {
      return new Refusal(Reason.SELF, "connected to itself");
    }
    if (certKey != null && !certKey.equals(peer.node())) {
      return new Refusal(Reason.KEY_MISMATCH, "hello claims key " + peer.node() + " but the TLS certificate holds " + certKey);
    }
    if (genesis.permissioned() && genesis.member(peer.node()).isEmpty()) {
      return new Refusal(Reason.NOT_MEMBER, "key " + peer.node() + " is not a member of this permissioned network");
    }
    if (seenNonces.put(HexFormat.of().formatHex(peer.nonce()), Boolean.TRUE) != null) {
      return new Refusal(Reason.REPLAYED_NONCE, "hello nonce " + HexFormat.of().formatHex(peer.nonce(), 0, 8) + "... was seen before");
    }
    return null;
  }

  /** The roles to believe: the genesis roles in a permissioned network, the claimed ones in an open one. */
  Set<Role> rolesOf(Hello peer) {
    if (genesis.permissioned()) {
      return genesis.member(peer.node()).map(Member::roles).orElse(Set.of());
    }
    return peer.roles();
  }

  /** What the signer of {@code signerHello} signs (encoded hellos, exactly as sent). */
  static byte[] transcript(byte[] signerHello, byte[] otherHello) {
    return new CanonicalWriter(2 * Hash.BYTES)
        .fixed(Hash.sha256(signerHello).bytes())
        .fixed(Hash.sha256(otherHello).bytes())
        .toByteArray();
  }

  byte[] sign(byte[] ownHello, byte[] peerHello) {
    return key.sign(SignatureDomain.HANDSHAKE, genesis.chainId(), transcript(ownHello, peerHello)).bytes();
  }

  /** True if {@code signature} is the peer's valid AUTH over its hello and ours. */
  boolean verify(NodeId peer, byte[] peerHello, byte[] ownHello, byte[] signature) {
    if (signature.length != Signature.BYTES) {
      return false;
    }
    return peer.verifies(SignatureDomain.HANDSHAKE, genesis.chainId(), transcript(peerHello, ownHello), new Signature(signature));
  }
}
