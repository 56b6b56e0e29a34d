package org.meshledger.samples.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.crypto.KeyPair;

/** Deterministic inputs shared by the benchmarks: fixed keys, realistic transactions and certified blocks. */
final class Fixtures {
  static final String CHAIN = "bench";
  static final List<KeyPair> VALIDATORS = List.of(key(0x11), key(0x12), key(0x13), key(0x14));
  static final ValidatorSet VALIDATOR_SET = ValidatorSet.of(VALIDATORS.stream().map(KeyPair::nodeId).toList());

  private Fixtures() {}

  static KeyPair key(int b) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) b);
    return KeyPair.fromSeed(seed);
  }

  /**
   * {@code count} signed DATA writes of about 200 bytes each from {@code senders} keys; keys and values differ
   * per transaction, so ids are random-looking like real ones.
   */
  static List<Transaction> transactions(int count, long firstNonce, List<KeyPair> senders) {
    List<Transaction> txs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      KeyPair sender = senders.get(i % senders.size());
      long nonce = firstNonce + i / senders.size();
      byte[] value = ("shipment status update " + nonce + " " + "x".repeat(100)).getBytes(StandardCharsets.UTF_8);
      txs.add(Transaction.sign(CHAIN, sender, nonce, Amount.of(1),
          Payload.DataWrite.of("shipment-" + (nonce % 5000) + "-" + (i % senders.size()), value)));
    }
    return txs;
  }

  /**
   * A block at {@code height} after {@code previous}, certified by three of the four validators; above height 1 it
   * carries the same three validators' certificate for {@code previous} as its previous commit (signatures are
   * deterministic, so for a chain built in order it is the previous block's own certificate).
   */
  static Block block(long height, Hash previous, List<Transaction> txs) {
    Optional<CommitCertificate> previousCommit = height > 1 ? Optional.of(certificate(height - 1, previous)) : Optional.empty();
    BlockHeader header = new BlockHeader(CHAIN, height, previous, previousCommit.map(CommitCertificate::hash).orElse(Hash.ZERO),
        1_700_000_000_000L + height, VALIDATORS.get(0).nodeId(), MerkleTree.rootOf(txs), txs.size(), Hash.ZERO, VALIDATOR_SET.hash());
    return new Block(header, txs, previousCommit, certificate(height, header.hash()));
  }

  private static CommitCertificate certificate(long height, Hash block) {
    return new CommitCertificate(height, 0, block, VALIDATORS.subList(0, 3).stream()
        .map(k -> CommitCertificate.precommit(k, CHAIN, height, 0, block)).toList());
  }
}
