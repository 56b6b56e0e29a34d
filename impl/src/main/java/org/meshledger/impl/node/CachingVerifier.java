package org.meshledger.impl.node;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.meshledger.chain.Hash;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.Signature;
import org.meshledger.crypto.SignatureDomain;
import org.meshledger.impl.consensus.SignatureVerifier;

/**
 * Remembers the last signatures that verified, so a vote checked when it arrived is not checked again when
 * the machine counts it, or when its precommit reappears in a certificate. Only successes are kept; the
 * answer is always {@link NodeId#verifies}'s. One node's context only: not thread-safe.
 */
final class CachingVerifier implements SignatureVerifier {
  private final Map<Hash, Boolean> verified;

  CachingVerifier(int capacity) {
    this.verified = new LinkedHashMap<>(capacity, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Hash, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  @Override
  public boolean verify(NodeId signer, SignatureDomain domain, String chainId, byte[] message, Signature signature) {
    Hash key = Hash.sha256(signer.key(), domain.name().getBytes(StandardCharsets.UTF_8), chainId.getBytes(StandardCharsets.UTF_8),
        message, signature.bytes());
    if (verified.containsKey(key)) {
      return true;
    }
    boolean ok = signer.verifies(domain, chainId, message, signature);
    if (ok) {
      verified.put(key, Boolean.TRUE);
    }
    return ok;
  }
}
