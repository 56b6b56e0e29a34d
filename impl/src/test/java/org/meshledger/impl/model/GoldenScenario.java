package org.meshledger.impl.model;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.AccountId;
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
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;

/** The fixed inputs of the golden vectors in docs/protocol.md and the example of docs/genesis.md. */
final class GoldenScenario {
  static final String CHAIN = "meshledger-golden";

  private GoldenScenario() {}

  /** A key whose 32 seed bytes all equal {@code b}. */
  static byte[] seed(int b) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) b);
    return s;
  }

  static final KeyPair ALICE = KeyPair.fromSeed(seed(0x01));
  static final KeyPair BOB = KeyPair.fromSeed(seed(0x02));
  static final KeyPair TREASURY = KeyPair.fromSeed(seed(0x03));
  static final List<KeyPair> VALIDATORS = List.of(KeyPair.fromSeed(seed(0x11)), KeyPair.fromSeed(seed(0x12)), KeyPair.fromSeed(seed(0x13)),
      KeyPair.fromSeed(seed(0x14)));

  /** The genesis of docs/genesis.md, built in code. */
  static Genesis genesis() {
    List<Member> members = List.of(
        Member.of("manufacturer", VALIDATORS.get(0).nodeId(), Role.VALIDATOR),
        Member.of("carrier", VALIDATORS.get(1).nodeId(), Role.VALIDATOR),
        Member.of("retailer", VALIDATORS.get(2).nodeId(), Role.VALIDATOR),
        Member.of("auditor", VALIDATORS.get(3).nodeId(), Role.VALIDATOR, Role.OBSERVER),
        Member.of("alice-relay", ALICE.nodeId(), Role.SECURE_NODE),
        Member.of("bob-archive", BOB.nodeId(), Role.SUPER_NODE));
    ConsensusParameters consensus = new ConsensusParameters(Duration.ofMillis(1000), Duration.ofMillis(500), Duration.ofMillis(500),
        Duration.ofMillis(100), Duration.ofMillis(10_000), 5000);
    IncentivePolicy incentives = IncentivePolicy.builder().treasury(TREASURY.accountId())
        .era(IncentivePolicy.standard(TREASURY.accountId(), IncentivePolicy.Subsidy.constant(Amount.of(1_000_000))).eras().get(0))
        .era(new IncentivePolicy.Era(100_000, IncentivePolicy.Subsidy.constant(Amount.of(1_000_000)), Map.of(IncentivePolicy.PRODUCERS, 500L,
            IncentivePolicy.SECURE_NODES, 150L, IncentivePolicy.SUPER_NODES, 150L, IncentivePolicy.TREASURY, 200L), 1000, IncentivePolicy.FeeRule.SHARED))
        .build();
    Map<AccountId, Amount> balances = Map.of(ALICE.accountId(), Amount.of(5_000_000), BOB.accountId(), Amount.of(250));
    // By hand, not TestGenesis: GoldenVectorsTest pins these exact bytes and hash (docs/protocol.md) and equals docs/genesis.md.
    return new Genesis(CHAIN, Instant.parse("2026-01-01T00:00:00Z"), true, members, consensus, incentives, balances);
  }

  static Transaction data() {
    return Transaction.sign(CHAIN, ALICE, 0, Amount.of(10), Payload.DataWrite.ifVersion("shipment-42", "picked up".getBytes(StandardCharsets.UTF_8), 0));
  }

  static Transaction transfer() {
    return Transaction.sign(CHAIN, ALICE, 1, Amount.of(10), new Payload.Transfer(BOB.accountId(), Amount.of(250)));
  }

  static Transaction challengeResponse() {
    return Transaction.sign(CHAIN, ALICE, 2, Amount.ZERO,
        new Payload.ChallengeResponse(3, Hash.sha256("epoch-3".getBytes(StandardCharsets.UTF_8)), new byte[] {0, 1, 2, 3, 4, 5, 6, 7}));
  }

  static List<Transaction> transactions() {
    return List.of(data(), transfer(), challengeResponse());
  }

  static ValidatorSet validatorSet() {
    return ValidatorSet.of(VALIDATORS.stream().map(KeyPair::nodeId).toList());
  }

  /** Block 1: the three transactions, proposed by the manufacturer, after the genesis of {@code genesisHash}. */
  static BlockHeader header(Hash genesisHash) {
    List<Transaction> txs = transactions();
    return new BlockHeader(CHAIN, 1, genesisHash, Hash.ZERO, Instant.parse("2026-01-01T00:00:01Z").toEpochMilli(),
        VALIDATORS.get(0).nodeId(), MerkleTree.rootOf(txs), txs.size(), Hash.ZERO, validatorSet().hash());
  }

  /** Precommits of the first three validators (a quorum of four) in round 0. */
  static CommitCertificate certificate(BlockHeader header) {
    return certificate(header, 0, VALIDATORS.subList(0, 3));
  }

  static CommitCertificate certificate(BlockHeader header, int round, List<KeyPair> signers) {
    return new CommitCertificate(header.height(), round, header.hash(),
        signers.stream().map(k -> CommitCertificate.precommit(k, CHAIN, header.height(), round, header.hash())).toList());
  }

  static Block block(Hash genesisHash) {
    BlockHeader header = header(genesisHash);
    return new Block(header, transactions(), Optional.empty(), certificate(header));
  }

  /** The state digest block 2 names: a stand-in, SHA-256 of the UTF-8 of {@code state-1}. */
  static final Hash STATE_AFTER_BLOCK_1 = Hash.sha256("state-1".getBytes(StandardCharsets.UTF_8));

  /**
   * Block 2: no transactions, proposed by the carrier one second after block 1, carrying block 1's certificate as
   * its previous commit; validators 2, 3 and 4 precommit it in round 1.
   */
  static Block block2(Hash genesisHash) {
    Block one = block(genesisHash);
    CommitCertificate previous = one.certificate();
    BlockHeader header = new BlockHeader(CHAIN, 2, one.hash(), previous.hash(), Instant.parse("2026-01-01T00:00:02Z").toEpochMilli(),
        VALIDATORS.get(1).nodeId(), MerkleTree.rootOf(List.of()), 0, STATE_AFTER_BLOCK_1, validatorSet().hash());
    return new Block(header, List.of(), Optional.of(previous), certificate(header, 1, VALIDATORS.subList(1, 4)));
  }
}
