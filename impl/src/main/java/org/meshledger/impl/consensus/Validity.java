package org.meshledger.impl.consensus;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.CommitSignature;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.crypto.SignatureDomain;

/**
 * The paper's valid(v) for the next block of this chain, cached per candidate for the current height, and the
 * check that a certified block from sync, verified already on a worker, is the next block of this chain.
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

  /**
   * True if {@code block}, checked already by {@link org.meshledger.chain.Block#verify} on a worker (certificate,
   * transaction signatures, root, validator set, proposer), is the valid next block: this chain, this height,
   * linked to the last block, a certificate for it with a quorum of distinct validators, and the application
   * accepts it.
   */
  boolean certifiedVerified(Block block, long height, Hash previous) {
    CommitCertificate cert = block.certificate();
    if (cert.height() != height || !cert.blockHash().equals(block.hash()) || cert.signatures().size() < validators.quorum()) {
      return false;
    }
    Set<org.meshledger.chain.NodeId> signers = new HashSet<>();
    for (CommitSignature s : cert.signatures()) {
      if (!validators.contains(s.validator()) || !signers.add(s.validator())) {
        return false;
      }
    }
    // Block.verify checked the rest (validator set, proposer, transactions of this chain and listed once, root)
    BlockHeader header = block.header();
    return header.chainId().equals(config.chainId()) && header.height() == height && header.previousHash().equals(previous)
        && host.accept(Candidate.of(header, block.transactions()));
  }
}
