package org.meshledger.impl.consensus;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.meshledger.Block;
import org.meshledger.BlockHeader;
import org.meshledger.CommitCertificate;
import org.meshledger.CommitSignature;
import org.meshledger.Hash;
import org.meshledger.MerkleTree;
import org.meshledger.Transaction;
import org.meshledger.ValidatorSet;
import org.meshledger.crypto.SignatureDomain;

/**
 * The paper's valid(v) for the next block of this chain, cached per candidate for the current height, and the
 * check of a certified block offered by a peer (what {@link Block#verify} checks, but with signatures through
 * the configured {@link SignatureVerifier}: a certificate's precommits were usually seen as votes already).
 */
final class Validity {
  private final ConsensusConfig config;
  private final ConsensusHost host;
  private final ValidatorSet validators;
  private final Map<Hash, Boolean> cache = new HashMap<>();

  Validity(ConsensusConfig config, ConsensusHost host) {
    this.config = config;
    this.host = host;
    this.validators = config.validators();
  }

  /** Forgets the cached answers: a new height has begun. */
  void clear() {
    cache.clear();
  }

  /** True if {@code c} is a well-formed block at {@code height} on {@code previous} that the application accepts. */
  boolean candidate(Candidate c, long height, Hash previous) {
    return cache.computeIfAbsent(c.hash(), h -> check(c, height, previous));
  }

  private boolean check(Candidate c, long height, Hash previous) {
    BlockHeader header = c.header();
    if (!header.chainId().equals(config.chainId()) || header.height() != height || !header.previousHash().equals(previous)
        || !header.validatorSetHash().equals(validators.hash()) || !validators.contains(header.proposer())) {
      return false;
    }
    if (!MerkleTree.rootOf(c.transactions()).equals(header.transactionsRoot()) || !host.accept(c)) {
      return false; // the cheap checks first: signatures cost the most
    }
    Set<Hash> ids = new HashSet<>();
    for (Transaction tx : c.transactions()) {
      if (!tx.chainId().equals(config.chainId()) || !ids.add(tx.id()) || !host.verified(tx)) {
        return false;
      }
    }
    return true;
  }

  /** True if {@code block} is the valid next block and more than two thirds of the validators precommitted it. */
  boolean certified(Block block, long height, Hash previous) {
    CommitCertificate cert = block.certificate();
    if (cert.signatures().size() < validators.quorum() || !candidate(Candidate.of(block.header(), block.transactions()), height, previous)) {
      return false;
    }
    byte[] message = CommitCertificate.voteMessage(cert.height(), cert.round(), cert.blockHash());
    for (CommitSignature s : cert.signatures()) {
      if (!validators.contains(s.validator())
          || !config.verifier().verify(s.validator(), SignatureDomain.VOTE, config.chainId(), message, s.signature())) {
        return false;
      }
    }
    return true;
  }
}
