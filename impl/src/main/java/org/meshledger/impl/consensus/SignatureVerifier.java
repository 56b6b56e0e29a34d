package org.meshledger.impl.consensus;

import org.meshledger.chain.NodeId;
import org.meshledger.chain.Signature;
import org.meshledger.crypto.SignatureDomain;

/**
 * Checks one domain-separated signature. Consensus verifies through this interface so that a driver may add
 * a cache: a flooded vote reaches a node many times, and in the simulator every node of one JVM checks the
 * same signatures. A verifier must answer exactly as {@link NodeId#verifies} does.
 */
@FunctionalInterface
public interface SignatureVerifier {
  /** Verifies with {@link NodeId#verifies}, no cache. */
  SignatureVerifier DIRECT = (signer, domain, chainId, message, signature) -> signer.verifies(domain, chainId, message, signature);

  boolean verify(NodeId signer, SignatureDomain domain, String chainId, byte[] message, Signature signature);
}
