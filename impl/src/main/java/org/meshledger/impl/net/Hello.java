package org.meshledger.impl.net;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.meshledger.PeerAddress;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Limits;
import org.meshledger.chain.NodeId;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;
import org.meshledger.genesis.Role;

/**
 * The first frame each side sends ({@link Frames#HELLO}). Both sides send theirs at once, then each signs
 * over the pair (see {@link Handshake#transcript}).
 *
 * @param version the protocol version ({@link #PROTOCOL_VERSION})
 * @param chainId the chain the sender belongs to
 * @param genesisHash the hash of the sender's genesis
 * @param node the sender's key, which must be the key of its TLS certificate
 * @param roles the roles the sender claims (a permissioned network uses the genesis roles instead)
 * @param listen where the sender accepts connections, or null if it does not listen
 * @param height the sender's chain height
 * @param nonce 32 fresh random bytes
 */
public record Hello(int version, String chainId, Hash genesisHash, NodeId node, Set<Role> roles, PeerAddress listen,
    long height, byte[] nonce) {
  /**
   * The protocol version this build speaks. 2: blocks and proposals carry the previous block's commit certificate,
   * so a node of version 1 would fail to decode them; it is refused at the handshake instead.
   */
  public static final int PROTOCOL_VERSION = 2;
  public static final int NONCE_BYTES = 32;

  public Hello {
    if (version < 0 || version > 0xff) {
      throw new IllegalArgumentException("version must fit a byte, got " + version);
    }
    Limits.checkChainId(chainId);
    Objects.requireNonNull(genesisHash, "genesisHash");
    Objects.requireNonNull(node, "node");
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    if (height < 0) {
      throw new IllegalArgumentException("height must not be negative, got " + height);
    }
    if (nonce.length != NONCE_BYTES) {
      throw new IllegalArgumentException("nonce must be " + NONCE_BYTES + " bytes, got " + nonce.length);
    }
    nonce = nonce.clone();
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  public byte[] encode() {
    CanonicalWriter w = new CanonicalWriter(200);
    w.u8(version).string(chainId).fixed(genesisHash.bytes()).fixed(node.key());
    w.u8(Role.mask(roles));
    if (listen == null) {
      w.bool(false);
    } else {
      w.bool(true);
      listen.writeTo(w);
    }
    return w.i64(height).fixed(nonce).toByteArray();
  }

  /** The protocol version a HELLO body starts with, or -1 if it is empty. */
  static int peekVersion(byte[] body) {
    return body.length == 0 ? -1 : body[0] & 0xff;
  }

  /**
   * Decodes a HELLO body of this build's version (check {@link #peekVersion} first to refuse others with
   * {@link Reason#PROTOCOL_VERSION}).
   *
   * @throws DecodeException for anything malformed
   */
  public static Hello decode(byte[] body) {
    CanonicalReader r = new CanonicalReader(body);
    int version = r.u8("hello version");
    if (version != PROTOCOL_VERSION) {
      throw new DecodeException("hello: protocol version " + version + ", this build speaks " + PROTOCOL_VERSION);
    }
    String chainId = r.string(Limits.MAX_CHAIN_ID_BYTES, "hello chain id");
    Hash genesis = new Hash(r.fixed(Hash.BYTES, "hello genesis hash"));
    NodeId node = NodeId.readFrom(r, "hello node key");
    Set<Role> roles = Role.fromMask(r.u8("hello roles"), "hello roles");
    PeerAddress listen = r.bool("hello listens") ? PeerAddress.readFrom(r, "hello listen address") : null;
    long height = r.nonNegative("hello height");
    byte[] nonce = r.fixed(NONCE_BYTES, "hello nonce");
    r.end("hello");
    try {
      return new Hello(version, chainId, genesis, node, roles, listen, height, nonce);
    } catch (IllegalArgumentException e) {
      throw new DecodeException("hello: " + e.getMessage());
    }
  }
}
