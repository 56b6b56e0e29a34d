package org.meshledger.impl.consensus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.meshledger.chain.Hash;
import org.meshledger.chain.NodeId;
import org.meshledger.codec.DecodeException;

/**
 * Consensus messages between peers, sans-IO: proposals and votes are flooded whatever the transaction propagator.
 * Each new one is checked (decodes, signed by a validator) and relayed once to every peer but its sender; the
 * {@link Host} moves the bytes (a node's connections, or the simulator's network), so the same flood runs on
 * sockets and in the whole-node simulator.
 *
 * <p><b>Copies.</b> A bounded cache keeps each checked proposal and vote by the hash of its bytes. A copy that
 * comes back is neither decoded, checked nor relayed again, but it is still handed to the machine (from the
 * cache): a node that could not use a vote when it first came (it was behind, or the vote was for a later
 * height) must be able to use its re-broadcast, or a round can stall for good. The machine ignores what it
 * holds already, cheaply.
 *
 * <p>Decisions, statuses and sync requests go to one peer, are not relayed, and are block sync's to judge. A frame
 * that does not decode, or is not validly signed by a validator, costs its sender points ({@link Host#penalize}).
 * On the node's thread only.
 *
 * @param <P> the host's handle of a peer
 */
public final class ConsensusFlood<P> {
  /** A frame that does not decode. */
  public static final int BAD_FRAME_POINTS = 20;
  /** A well-formed message with a bad signature or signer: forged, or from a broken node. */
  public static final int BAD_SIGNATURE_POINTS = 40;
  private static final int SEEN = 32_768;
  /** Proposals carry a block: fewer of them are kept decoded; an older copy is decoded again. */
  private static final int SEEN_PROPOSALS = 64;

  /** What the flood needs of its node: the peers it is connected to, sending, and scoring. */
  public interface Host<P> {
    /** The peers to flood to: connected and past their handshake. */
    Iterable<P> peers();

    /** The node at the other end of {@code peer}. */
    NodeId id(P peer);

    /** Sends a consensus frame's body to {@code peer}. */
    void send(P peer, byte[] body);

    /** {@code peer} sent something no honest node sends. */
    void penalize(P peer, int points, String reason);
  }

  private final Host<P> host;
  private final ConsensusConfig config;
  private final SignatureVerifier verifier;
  private final Map<Hash, ConsensusMessage> seen = lru(SEEN);
  private final Map<Hash, ConsensusMessage> seenProposals = lru(SEEN_PROPOSALS);
  private final Consumer<ConsensusMessage> fresh;

  private static Map<Hash, ConsensusMessage> lru(int capacity) {
    return new LinkedHashMap<>(1024, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Hash, ConsensusMessage> eldest) {
        return size() > capacity;
      }
    };
  }

  /** {@code fresh} hears of each proposal and vote that is new to this node and checked out, before the machine does. */
  public ConsensusFlood(Host<P> host, ConsensusConfig config, SignatureVerifier verifier, Consumer<ConsensusMessage> fresh) {
    this.host = host;
    this.config = config;
    this.verifier = verifier;
    this.fresh = fresh;
  }

  /**
   * The message in {@code body} from {@code peer}: a well-signed proposal or vote (relayed already if it was
   * new; a copy comes from the cache, unchecked and not relayed again), or a sync message; null if it is none
   * of these.
   *
   * @throws DecodeException after penalizing the peer, if the frame does not decode
   */
  public ConsensusMessage receive(P peer, byte[] body) {
    // Flooded kinds arrive once from each peer: take the copies by their bytes without paying to decode them
    // again (a proposal carries a whole block). Only what decoded and checked out below is ever cached.
    Hash id = null;
    if (body.length > 0 && (body[0] == ConsensusMessage.KIND_PROPOSAL || body[0] == ConsensusMessage.KIND_VOTE)) {
      id = Hash.sha256(body);
      ConsensusMessage copy = body[0] == ConsensusMessage.KIND_VOTE ? seen.get(id) : seenProposals.get(id);
      if (copy != null) {
        return copy;
      }
    }
    ConsensusMessage m;
    try {
      m = ConsensusMessage.decode(body);
    } catch (DecodeException e) {
      host.penalize(peer, BAD_FRAME_POINTS, "bad consensus frame: " + e.getMessage());
      throw e;
    }
    if (!(m instanceof Proposal) && !(m instanceof Vote)) {
      return m; // block sync's: judged there
    }
    if (id == null) {
      return null; // a proposal or vote has an id; anything else here is one decoded under another kind byte
    }
    String bad = check(m);
    if (bad != null) {
      host.penalize(peer, BAD_SIGNATURE_POINTS, bad);
      return null;
    }
    remember(id, m);
    relay(body, peer);
    fresh.accept(m);
    return m;
  }

  private void remember(Hash id, ConsensusMessage m) {
    if (m instanceof Proposal) {
      seenProposals.put(id, m);
    } else {
      seen.put(id, m);
    }
  }

  private String check(ConsensusMessage m) {
    if (m instanceof Proposal p) {
      if (!config.validators().contains(p.proposer())) {
        return "proposal by non-validator " + p.proposer();
      }
      return p.verify(config.chainId(), verifier) ? null : "proposal with a bad signature from " + p.proposer();
    }
    Vote v = (Vote) m;
    if (!config.validators().contains(v.validator())) {
      return "vote by non-validator " + v.validator();
    }
    return v.verify(config.chainId(), verifier) ? null : "vote with a bad signature from " + v.validator();
  }

  /** Sends this node's message (or one it relays for the machine) to every peer. */
  public void broadcast(ConsensusMessage m) {
    byte[] body = ConsensusMessage.encode(m);
    if (m instanceof Proposal || m instanceof Vote) {
      remember(Hash.sha256(body), m);
    }
    relay(body, null);
  }

  /** Sends to one peer, if connected. */
  public void send(NodeId to, ConsensusMessage m) {
    byte[] body = null;
    for (P p : host.peers()) {
      if (to.equals(host.id(p))) {
        body = body == null ? ConsensusMessage.encode(m) : body;
        host.send(p, body);
      }
    }
  }

  private void relay(byte[] body, P except) {
    for (P p : host.peers()) {
      if (p != except && host.id(p) != null) {
        host.send(p, body);
      }
    }
  }
}
