package org.meshledger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.meshledger.chain.AccountId;
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

/** Values for tests that need no signature: keys, hashes and signatures are arbitrary bytes. */
public final class Fixtures {
  public static final String CHAIN = "test-chain";

  private Fixtures() {}

  public static byte[] filled(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (seed * 31 + i * 7);
    }
    return b;
  }

  public static Hash hash(int seed) {
    return Hash.sha256(("hash-" + seed).getBytes(StandardCharsets.UTF_8));
  }

  public static NodeId node(int seed) {
    return new NodeId(hash(seed + 1_000_000).bytes());
  }

  public static AccountId account(int seed) {
    return new AccountId(node(seed).key());
  }

  public static Signature signature(int seed) {
    return new Signature(filled(Signature.BYTES, seed));
  }

  public static Transaction data(int seed) {
    return Transaction.of(CHAIN, account(seed), seed, Amount.of(10), Payload.DataWrite.ifVersion("key-" + seed, filled(5, seed), 3), signature(seed));
  }

  public static Transaction transfer(int seed) {
    return Transaction.of(CHAIN, account(seed), seed, Amount.of(1), new Payload.Transfer(account(seed + 1), Amount.of(500)), signature(seed));
  }

  public static Transaction challenge(int seed) {
    return Transaction.of(CHAIN, account(seed), seed, Amount.ZERO, new Payload.ChallengeResponse(7, hash(seed), filled(20, seed)), signature(seed));
  }

  public static List<Transaction> mixed(int count) {
    List<Transaction> txs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      txs.add(switch (i % 3) {
        case 0 -> data(i);
        case 1 -> transfer(i);
        default -> challenge(i);
      });
    }
    return txs;
  }

  /** Block 5's header, after block 4 (whose hash is {@code hash(4)}) and the previous commit of {@link #unsignedCertificate}. */
  public static BlockHeader header(List<Transaction> txs, ValidatorSet validators) {
    return new BlockHeader(CHAIN, 5, hash(4), unsignedCertificate(4, hash(4), validators).hash(), 1_700_000_000_000L,
        validators.validators().get(0), MerkleTree.rootOf(txs), txs.size(), hash(99), validators.hash());
  }

  /** A certificate for {@code blockHash} at {@code height} by every validator, whose signatures are arbitrary bytes. */
  public static CommitCertificate unsignedCertificate(long height, Hash blockHash, ValidatorSet validators) {
    List<CommitSignature> sigs = new ArrayList<>();
    for (NodeId k : validators.validators()) {
      sigs.add(new CommitSignature(k, signature(k.hashCode() + (int) height)));
    }
    return new CommitCertificate(height, 0, blockHash, sigs);
  }

  /**
   * Block 5: its certificate and its previous commit name the right blocks, but their signatures are arbitrary
   * bytes (fine for decoding).
   */
  public static Block unsignedBlock(List<Transaction> txs, int validatorCount) {
    List<NodeId> keys = new ArrayList<>();
    for (int i = 0; i < validatorCount; i++) {
      keys.add(node(i));
    }
    ValidatorSet set = ValidatorSet.of(keys);
    BlockHeader header = header(txs, set);
    return new Block(header, txs, java.util.Optional.of(unsignedCertificate(4, hash(4), set)), unsignedCertificate(5, header.hash(), set));
  }

  public static List<Hash> ids(int count, Random random) {
    List<Hash> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] b = new byte[Hash.BYTES];
      random.nextBytes(b);
      ids.add(new Hash(b));
    }
    return ids;
  }
}
