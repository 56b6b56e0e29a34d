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
import org.meshledger.chain.NodeId;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.crypto.SignatureDomain;

/**
 * The paper's valid(v) for the next block of this chain, cached per candidate for the current height, and the
 * check that a certified block from sync, verified already on a worker, is the next block of this chain.
 *
 * <p><b>The previous commit</b> a candidate carries is part of valid(v): more than two thirds of the validators'
 * precommits for the previous block of this chain, each signature verified. That is a rule of the protocol, so it
 * lives here, where the simulator reaches it too, rather than in the application's {@link ConsensusHost#accept}.
 * Its signatures are checked on the machine's thread through the configured {@link SignatureVerifier}: on a node
 * that is a cache of the votes it verified as they arrived, which holds the precommits of the previous height that
 * this node counted itself, so an honest proposal costs a hash per signer; a signer the cache lacks (a node that
 * came by sync, its own precommit) costs one Ed25519 verification, at most one per validator per candidate (the
 * answer is cached per candidate), far less than the candidate's transactions may cost.
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
    if (c.previousCommit().isPresent() && !previousCommit(c.previousCommit().get())) {
      return false; // its height and block (header.previousHash(), checked above) the candidate's constructor checked
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
    if (cert.height() != height || !cert.blockHash().equals(block.hash()) || !quorumOfValidators(cert)) {
      return false;
    }
    // Block.verify checked the rest (validator set, proposer, transactions of this chain and listed once, root, the
    // previous commit's signatures; the block's constructor, that its previous commit is for block height - 1 and the
    // header's previous hash)
    BlockHeader header = block.header();
    return header.chainId().equals(config.chainId()) && header.height() == height && header.previousHash().equals(previous)
        && host.accept(Candidate.of(header, block.transactions(), block.previousCommit()));
  }

  /** True if {@code previous} holds a quorum of validators' precommits that verify (through the cache). */
  private boolean previousCommit(CommitCertificate previous) {
    if (!quorumOfValidators(previous)) {
      return false;
    }
    byte[] message = CommitCertificate.voteMessage(previous.height(), previous.round(), previous.blockHash());
    for (CommitSignature s : previous.signatures()) {
      if (!config.verifier().verify(s.validator(), SignatureDomain.VOTE, config.chainId(), message, s.signature())) {
        return false;
      }
    }
    return true;
  }

  /** True if {@code cert} is signed by a quorum of distinct validators of this chain (signatures unchecked). */
  private boolean quorumOfValidators(CommitCertificate cert) {
    if (cert.signatures().size() < validators.quorum()) {
      return false;
    }
    Set<NodeId> signers = new HashSet<>();
    for (CommitSignature s : cert.signatures()) {
      if (!validators.contains(s.validator()) || !signers.add(s.validator())) {
        return false;
      }
    }
    return true;
  }
}
