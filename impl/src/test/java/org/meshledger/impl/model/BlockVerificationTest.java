package org.meshledger.impl.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshledger.Verification;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.CommitSignature;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Signature;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.crypto.KeyPair;

/** An auditor with nothing but the validator set accepts a committed block and rejects each kind of forgery, saying why. */
class BlockVerificationTest {
  private static final String CHAIN = "audit";

  static KeyPair key(int i) {
    byte[] seed = new byte[32];
    seed[0] = (byte) i;
    seed[31] = 0x5a;
    return KeyPair.fromSeed(seed);
  }

  static List<KeyPair> keys(int n) {
    List<KeyPair> keys = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      keys.add(key(i));
    }
    return keys;
  }

  static ValidatorSet set(List<KeyPair> validators) {
    return ValidatorSet.of(validators.stream().map(KeyPair::nodeId).toList());
  }

  static List<Transaction> transactions(String chain) {
    KeyPair alice = key(100);
    return List.of(
        Transaction.sign(chain, alice, 0, Amount.of(1), Payload.DataWrite.of("shipment-42", new byte[] {1})),
        Transaction.sign(chain, alice, 1, Amount.of(1), new Payload.Transfer(key(101).accountId(), Amount.of(7))),
        Transaction.sign(chain, key(102), 0, Amount.ZERO, new Payload.ChallengeResponse(3, Hash.sha256(new byte[] {3}), new byte[] {9})));
  }

  /** The hash of block 6, which the blocks of these tests follow. */
  static final Hash BLOCK_6 = Hash.sha256(new byte[] {6});

  /** Block 6's certificate: precommits of every validator of {@code set} (made of {@code keys(set.size())}). */
  static CommitCertificate previousCommit(ValidatorSet set) {
    return new CommitCertificate(6, 0, BLOCK_6, keys(set.size()).stream().map(k -> CommitCertificate.precommit(k, CHAIN, 6, 0, BLOCK_6)).toList());
  }

  static BlockHeader header(List<Transaction> txs, ValidatorSet set, NodeId proposer) {
    return new BlockHeader(CHAIN, 7, BLOCK_6, previousCommit(set).hash(), 1_700_000_000_000L, proposer, MerkleTree.rootOf(txs), txs.size(),
        Hash.ZERO, set.hash());
  }

  /** A block with precommits from {@code signers}. */
  static Block block(List<Transaction> txs, ValidatorSet set, List<KeyPair> signers) {
    BlockHeader h = header(txs, set, set.validators().get(0));
    return withSignatures(h, set, txs, signers.stream().map(k -> CommitCertificate.precommit(k, CHAIN, h.height(), 0, h.hash())).toList());
  }

  /** Block 7 of {@code h}, carrying {@link #previousCommit} of {@code set}, certified by {@code sigs}. */
  static Block withSignatures(BlockHeader h, ValidatorSet set, List<Transaction> txs, List<CommitSignature> sigs) {
    return new Block(h, txs, java.util.Optional.of(previousCommit(set)), new CommitCertificate(h.height(), 0, h.hash(), sigs));
  }

  private static void assertRejected(Verification v, String... reason) {
    assertThat(v.valid()).as(v.reason()).isFalse();
    assertThat(v.reason()).contains(reason);
  }

  @Test
  void validBlocksVerifyWithOneAndFourValidators() {
    for (int n : new int[] {1, 4}) {
      List<KeyPair> validators = keys(n);
      ValidatorSet set = set(validators);
      Block all = block(transactions(CHAIN), set, validators);
      assertThat(all.verify(set)).isEqualTo(Verification.ok());
      Block quorum = block(transactions(CHAIN), set, validators.subList(0, set.quorum()));
      assertThat(quorum.verify(set)).as("exactly a quorum of %d", n).isEqualTo(Verification.ok());
      assertThat(Block.decode(all.encode()).verify(set)).isEqualTo(Verification.ok());
      Block empty = block(List.of(), set, validators);
      assertThat(empty.verify(set)).isEqualTo(Verification.ok());
      for (int i = 0; i < all.transactions().size(); i++) {
        assertThat(all.proof(i).verify(all.transactions().get(i).id(), all.header())).isTrue();
      }
    }
  }

  @Test
  void quorumIsMoreThanTwoThirds() {
    int[] expected = {1, 2, 3, 3, 4, 5, 5, 6, 7, 7}; // floor(2n/3)+1 for n = 1..10: the least count above 2n/3
    for (int n = 1; n <= 10; n++) {
      int q = set(keys(n)).quorum();
      assertThat(q).as("n=%d", n).isEqualTo(expected[n - 1]);
      assertThat(3 * q).as("n=%d: quorum above two thirds", n).isGreaterThan(2 * n);
      assertThat(3 * (q - 1)).as("n=%d: one less is not", n).isLessThanOrEqualTo(2 * n);
    }
  }

  /** Transfers of {@code n} senders, enough for the signatures to be checked as one batch. */
  private static List<Transaction> manyTransactions(int n) {
    List<Transaction> txs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      txs.add(Transaction.sign(CHAIN, key(200 + i), 0, Amount.of(1), new Payload.Transfer(key(101).accountId(), Amount.of(i + 1))));
    }
    return txs;
  }

  @Test
  void aForgedSignatureInALargeBlockIsNamedAfterTheBatchFails() {
    List<KeyPair> validators = keys(4);
    ValidatorSet set = set(validators);
    List<Transaction> txs = new ArrayList<>(manyTransactions(40));
    assertThat(block(txs, set, validators).verify(set).valid()).isTrue();
    Transaction good = txs.get(27);
    txs.set(27, Transaction.of(CHAIN, good.sender(), good.nonce(), good.fee(), new Payload.Transfer(key(101).accountId(), Amount.of(9_999)),
        good.signature()));
    assertRejected(block(txs, set, validators).verify(set), "transaction 27", "bad signature");
    // another transaction's signature in its place: valid bytes, wrong message
    txs.set(27, Transaction.of(CHAIN, good.sender(), good.nonce(), good.fee(), good.payload(), txs.get(3).signature()));
    assertRejected(block(txs, set, validators).verify(set), "transaction 27", "bad signature");
  }

  @Test
  void blocksVerifiedTogetherGetTheVerdictsTheyGetAlone() {
    List<KeyPair> validators = keys(4);
    ValidatorSet set = set(validators);
    List<Transaction> txs = manyTransactions(30);
    Block good = block(txs.subList(0, 10), set, validators);
    List<Transaction> forgedTxs = new ArrayList<>(txs.subList(10, 20));
    Transaction t = forgedTxs.get(6);
    forgedTxs.set(6, Transaction.of(CHAIN, t.sender(), t.nonce(), t.fee(), new Payload.Transfer(key(101).accountId(), Amount.of(5)), t.signature()));
    Block forged = block(forgedTxs, set, validators);
    Block underSigned = block(txs.subList(20, 30), set, validators.subList(0, 2));
    Block empty = block(List.of(), set, validators);
    List<Block> blocks = List.of(good, forged, underSigned, empty, good);
    List<org.meshledger.Verification> together = Block.verifyAll(blocks, set);
    assertThat(together).hasSize(blocks.size());
    for (int i = 0; i < blocks.size(); i++) {
      org.meshledger.Verification alone = blocks.get(i).verify(set);
      assertThat(together.get(i).valid()).as("block %d", i).isEqualTo(alone.valid());
      assertThat(together.get(i).reason()).as("block %d", i).isEqualTo(alone.reason());
    }
    assertThat(together.get(1).reason()).contains("transaction 6", "bad signature");
    assertThat(Block.verifyAll(List.of(good, empty, good), set)).allMatch(org.meshledger.Verification::valid);
    assertThat(Block.verifyAll(List.of(), set)).isEmpty();
  }

  @Test
  void aBadCertificateIsReportedBeforeTheTransactionsAreChecked() {
    List<KeyPair> validators = keys(4);
    ValidatorSet set = set(validators);
    List<Transaction> txs = new ArrayList<>(manyTransactions(10));
    Transaction good = txs.get(4);
    txs.set(4, Transaction.of(CHAIN, good.sender(), good.nonce(), good.fee(), new Payload.Transfer(key(101).accountId(), Amount.of(9_999)),
        good.signature()));
    assertRejected(block(txs, set, validators.subList(0, 2)).verify(set), "3 of 4 validators are needed");
  }

  @Test
  void forgeriesAreRejectedWithTheirReason() {
    List<KeyPair> validators = keys(4);
    ValidatorSet set = set(validators);
    List<Transaction> txs = transactions(CHAIN);

    // a transaction whose signature does not match its body
    Transaction good = txs.get(1);
    Transaction forged = Transaction.of(CHAIN, good.sender(), good.nonce(), good.fee(), new Payload.Transfer(key(101).accountId(), Amount.of(7_000)),
        good.signature());
    assertRejected(block(List.of(txs.get(0), forged), set, validators).verify(set), "transaction 1", "bad signature");

    // a transaction signed for another chain
    Transaction otherChain = transactions("other").get(2);
    assertRejected(block(List.of(txs.get(0), otherChain), set, validators).verify(set), "transaction 1 is for chain other");
    // ... even when relabelled with this chain id, its signature does not carry over
    Transaction relabelled = Transaction.of(CHAIN, otherChain.sender(), otherChain.nonce(), otherChain.fee(), otherChain.payload(), otherChain.signature());
    assertRejected(block(List.of(relabelled), set, validators).verify(set), "bad signature");

    // the same transaction twice
    assertRejected(block(List.of(txs.get(0), txs.get(1), txs.get(0)), set, validators).verify(set), "lists transaction " + txs.get(0).id() + " twice");

    // a header whose Merkle root does not match its transactions (and is signed as such)
    BlockHeader h = header(txs, set, set.validators().get(0));
    BlockHeader wrongRoot = new BlockHeader(CHAIN, h.height(), h.previousHash(), h.previousCommitHash(), h.timeMillis(), h.proposer(),
        MerkleTree.rootOf(txs.subList(0, 2)), 3, h.stateDigest(), h.validatorSetHash());
    assertRejected(withSignatures(wrongRoot, set, txs, precommits(validators, wrongRoot)).verify(set), "transactions make root", "header says");

    // two of four validators: below the quorum of three
    assertRejected(block(txs, set, validators.subList(0, 2)).verify(set), "2 signatures; 3 of 4 validators are needed");

    // a signer outside the set
    List<KeyPair> withOutsider = new ArrayList<>(validators.subList(0, 3));
    withOutsider.add(key(50));
    assertRejected(block(txs, set, withOutsider).verify(set), "signed by " + key(50).nodeId(), "not a validator");

    // a signature that is not the validator's over this block (here: one made for another round)
    List<CommitSignature> sigs = new ArrayList<>(precommits(validators.subList(0, 3), h));
    sigs.set(1, new CommitSignature(sigs.get(1).validator(), CommitCertificate.precommit(validators.get(0), CHAIN, h.height(), 1, h.hash()).signature()));
    assertRejected(withSignatures(h, set, txs, sigs).verify(set), "bad signature from " + sigs.get(1).validator());
    byte[] flipped = sigs.get(0).signature().bytes();
    flipped[5] ^= 1;
    List<CommitSignature> flippedSigs = new ArrayList<>(precommits(validators, h));
    flippedSigs.set(0, new CommitSignature(flippedSigs.get(0).validator(), new Signature(flipped)));
    assertRejected(withSignatures(h, set, txs, flippedSigs).verify(set), "bad signature from");

    // a vote signed for another chain does not count on this one
    List<CommitSignature> otherChainVotes = validators.stream().map(k -> CommitCertificate.precommit(k, "other", h.height(), 0, h.hash())).toList();
    assertRejected(withSignatures(h, set, txs, otherChainVotes).verify(set), "bad signature");

    // checked against another validator set (the block names the set it was made for)
    Block valid = block(txs, set, validators);
    ValidatorSet other = set(keys(5));
    assertRejected(valid.verify(other), "names validator set " + set.hash() + ", not the one given");

    // a proposer that is not a validator
    BlockHeader outsiderProposer = header(txs, set, key(50).nodeId());
    assertRejected(withSignatures(outsiderProposer, set, txs, precommits(validators, outsiderProposer)).verify(set), "proposed by " + key(50).nodeId());
  }

  private static List<CommitSignature> precommits(List<KeyPair> signers, BlockHeader h) {
    return signers.stream().map(k -> CommitCertificate.precommit(k, CHAIN, h.height(), 0, h.hash())).toList();
  }
}
