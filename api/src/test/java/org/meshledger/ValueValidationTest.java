package org.meshledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.meshledger.Fixtures.CHAIN;
import static org.meshledger.Fixtures.account;
import static org.meshledger.Fixtures.hash;
import static org.meshledger.Fixtures.node;
import static org.meshledger.Fixtures.signature;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.CommitSignature;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Limits;
import org.meshledger.chain.LocatedTransaction;
import org.meshledger.chain.MerkleProof;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Signature;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;

/** The records refuse invalid values at construction, and no caller can change a value after the fact. */
class ValueValidationTest {

  @Test
  void fixedSizeBytesRefuseNullAndWrongSizes() {
    assertThatThrownBy(() -> new Hash(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("hash");
    assertThatThrownBy(() -> new Hash(new byte[31])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes, got 31");
    assertThatThrownBy(() -> new Hash(new byte[33])).hasMessageContaining("got 33");
    assertThatThrownBy(() -> new NodeId(new byte[0])).hasMessageContaining("public key must be 32 bytes, got 0");
    assertThatThrownBy(() -> new AccountId(new byte[64])).hasMessageContaining("got 64");
    assertThatThrownBy(() -> new Signature(new byte[63])).hasMessageContaining("signature must be 64 bytes, got 63");
    assertThatThrownBy(() -> Hash.fromHex("ab")).hasMessageContaining("64 hex characters, got 2");
    assertThatThrownBy(() -> NodeId.fromHex("zz".repeat(32))).hasMessageContaining("public key is not hexadecimal");
  }

  @Test
  void hexAcceptsOnlyAsciiDigits() {
    assertThat(Hash.fromHex("0aFf".repeat(16)).bytes()).startsWith(0x0a, 0xff);
    // U+FF21 (full-width A) is a digit for Character.digit, but no other tool would read it as hex.
    assertThatThrownBy(() -> Hash.fromHex("\uFF21".repeat(64))).hasMessageContaining("hash is not hexadecimal");
    assertThatThrownBy(() -> NodeId.fromHex("\u0663".repeat(64))).hasMessageContaining("public key is not hexadecimal");
  }

  @Test
  void byteValuesAreDefensivelyCopied() {
    byte[] in = Fixtures.filled(32, 1);
    Hash h = new Hash(in);
    NodeId n = new NodeId(in);
    AccountId a = new AccountId(in);
    byte[] sigIn = Fixtures.filled(64, 1);
    Signature s = new Signature(sigIn);
    in[0] ^= 1;
    sigIn[0] ^= 1;
    assertThat(h.bytes()[0]).isEqualTo(Fixtures.filled(32, 1)[0]);
    assertThat(n.key()[0]).isEqualTo(Fixtures.filled(32, 1)[0]);
    assertThat(a.key()[0]).isEqualTo(Fixtures.filled(32, 1)[0]);
    assertThat(s.bytes()[0]).isEqualTo(Fixtures.filled(64, 1)[0]);

    Hash before = new Hash(h.bytes());
    h.bytes()[0] ^= 1;
    n.key()[0] ^= 1;
    s.bytes()[0] ^= 1;
    assertThat(h).isEqualTo(before);
    assertThat(n).isEqualTo(new NodeId(Fixtures.filled(32, 1)));
    assertThat(s).isEqualTo(new Signature(Fixtures.filled(64, 1)));

    byte[] value = {1, 2, 3};
    Payload.DataWrite d = Payload.DataWrite.of("k", value);
    value[0] = 9;
    d.value()[1] = 9;
    assertThat(d.value()).containsExactly(1, 2, 3);

    byte[] proof = {4, 5};
    Payload.ChallengeResponse c = new Payload.ChallengeResponse(1, hash(1), proof);
    proof[0] = 9;
    c.proof()[1] = 9;
    assertThat(c.proof()).containsExactly(4, 5);

    byte[] entryValue = {7};
    DataEntry e = new DataEntry("k", entryValue, 1, account(1), 1, 0, hash(1));
    entryValue[0] = 0;
    e.value()[0] = 0;
    assertThat(e.value()).containsExactly(7);

    Transaction tx = Fixtures.data(1);
    byte[] body = tx.body();
    body[0] ^= 1;
    assertThat(tx.body()[0]).isEqualTo((byte) Transaction.VERSION);
    byte[] encoded = tx.encode();
    encoded[encoded.length - 1] ^= 1;
    assertThat(Transaction.decode(tx.encode())).isEqualTo(tx);
  }

  @Test
  void listsAreCopiedAndUnmodifiable() {
    List<Transaction> txs = new ArrayList<>(Fixtures.mixed(3));
    Block block = Fixtures.unsignedBlock(txs, 1);
    txs.clear();
    assertThat(block.transactions()).hasSize(3);
    assertThatThrownBy(() -> block.transactions().clear()).isInstanceOf(UnsupportedOperationException.class);

    List<NodeId> keys = new ArrayList<>(List.of(node(2), node(1)));
    ValidatorSet set = ValidatorSet.of(keys);
    keys.add(node(3));
    assertThat(set.size()).isEqualTo(2);
    assertThat(set.validators()).isSorted();
    assertThatThrownBy(() -> set.validators().add(node(4))).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void amountsAreNeverNegativeAndArithmeticNeverWraps() {
    assertThatThrownBy(() -> Amount.of(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    assertThat(Amount.of(Long.MAX_VALUE - 1).plus(Amount.of(1))).isEqualTo(Amount.of(Long.MAX_VALUE));
    assertThatThrownBy(() -> Amount.of(Long.MAX_VALUE).plus(Amount.of(1))).isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("overflow").hasMessageContaining(Long.toString(Long.MAX_VALUE));
    assertThat(Amount.of(5).minus(Amount.of(5))).isEqualTo(Amount.ZERO);
    assertThatThrownBy(() -> Amount.of(5).minus(Amount.of(6))).isInstanceOf(ArithmeticException.class).hasMessageContaining("5 - 6");
    assertThatThrownBy(() -> Amount.ZERO.minus(Amount.of(Long.MAX_VALUE))).isInstanceOf(ArithmeticException.class);
  }

  @Test
  void transactionsRefuseInvalidFields() {
    Payload p = Payload.DataWrite.of("k", new byte[0]);
    assertThatThrownBy(() -> Transaction.of(CHAIN, account(1), -1, Amount.ZERO, p, signature(1))).hasMessageContaining("nonce cannot be negative: -1");
    assertThatThrownBy(() -> Transaction.of("bad chain!", account(1), 0, Amount.ZERO, p, signature(1))).hasMessageContaining("chain id 'bad chain!'");
    assertThatThrownBy(() -> Transaction.of("", account(1), 0, Amount.ZERO, p, signature(1))).hasMessageContaining("chain id ''");
    assertThatThrownBy(() -> Transaction.of("x".repeat(65), account(1), 0, Amount.ZERO, p, signature(1))).hasMessageContaining("1 to 64");
    for (String bad : List.of("caf\u00e9", "a/b", "a b", "a:b", "\u0661", "a\n")) { // a letter or digit outside ASCII is not one
      assertThatThrownBy(() -> Limits.checkChainId(bad)).as(bad).hasMessageContaining("must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
    }
    for (String good : List.of("x".repeat(64), "A.z_0-9", "-", ".", "_")) {
      assertThat(Limits.checkChainId(good)).isEqualTo(good);
    }
    assertThatThrownBy(() -> Transaction.of(null, account(1), 0, Amount.ZERO, p, signature(1))).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Transaction.of(CHAIN, null, 0, Amount.ZERO, p, signature(1))).hasMessageContaining("sender");
    assertThatThrownBy(() -> Transaction.of(CHAIN, account(1), 0, null, p, signature(1))).hasMessageContaining("fee");
    assertThatThrownBy(() -> Transaction.of(CHAIN, account(1), 0, Amount.ZERO, null, signature(1))).hasMessageContaining("payload");
    assertThatThrownBy(() -> Transaction.of(CHAIN, account(1), 0, Amount.ZERO, p, null)).hasMessageContaining("signature");
  }

  @Test
  void payloadsRefuseOversizeAndNegativeFields() {
    assertThatThrownBy(() -> Payload.DataWrite.of("", new byte[0])).hasMessageContaining("data key must be 1 to 256 UTF-8 bytes, got 0");
    Payload.DataWrite.of("k".repeat(256), new byte[0]);
    assertThatThrownBy(() -> Payload.DataWrite.of("k".repeat(257), new byte[0])).hasMessageContaining("got 257");
    // 86 three-byte characters are 258 UTF-8 bytes although only 86 chars
    assertThatThrownBy(() -> Payload.DataWrite.of("\u20ac".repeat(86), new byte[0])).hasMessageContaining("got 258");
    Payload.DataWrite.of("k", new byte[Limits.MAX_DATA_VALUE_BYTES]);
    assertThatThrownBy(() -> Payload.DataWrite.of("k", new byte[Limits.MAX_DATA_VALUE_BYTES + 1])).hasMessageContaining("65537 bytes; the maximum is 65536");
    assertThatThrownBy(() -> Payload.DataWrite.of("k", null)).hasMessageContaining("value");
    assertThatThrownBy(() -> Payload.DataWrite.ifVersion("k", new byte[0], -1)).hasMessageContaining("expected version cannot be negative: -1");
    assertThatThrownBy(() -> new Payload.DataWrite("k", new byte[0], null)).hasMessageContaining("OptionalLong.empty()");
    assertThat(new Payload.DataWrite("k", new byte[0], OptionalLong.of(0)).expectedVersion()).hasValue(0);

    assertThatThrownBy(() -> new Payload.Transfer(account(1), Amount.ZERO)).hasMessageContaining("at least 1 unit");
    assertThatThrownBy(() -> new Payload.Transfer(null, Amount.of(1))).hasMessageContaining("to");

    new Payload.ChallengeResponse(0, hash(1), new byte[Limits.MAX_PROOF_BYTES]);
    assertThatThrownBy(() -> new Payload.ChallengeResponse(0, hash(1), new byte[Limits.MAX_PROOF_BYTES + 1])).hasMessageContaining("1025 bytes");
    assertThatThrownBy(() -> new Payload.ChallengeResponse(-1, hash(1), new byte[0])).hasMessageContaining("epoch cannot be negative");
    assertThatThrownBy(() -> new Payload.ChallengeResponse(0, null, new byte[0])).hasMessageContaining("challenge");
  }

  @Test
  void blockValuesRefuseOutOfRangeFields() {
    ValidatorSet set = ValidatorSet.of(List.of(node(1)));
    assertThatThrownBy(() -> new BlockHeader(CHAIN, 0, hash(1), Hash.ZERO, 0, node(1), hash(2), 0, hash(3), set.hash())).hasMessageContaining("at least 1, got 0");
    assertThatThrownBy(() -> new BlockHeader(CHAIN, -5, hash(1), Hash.ZERO, 0, node(1), hash(2), 0, hash(3), set.hash())).hasMessageContaining("got -5");
    assertThatThrownBy(() -> new BlockHeader(CHAIN, 1, hash(1), Hash.ZERO, -1, node(1), hash(2), 0, hash(3), set.hash())).hasMessageContaining("before the epoch: -1");
    assertThatThrownBy(() -> new BlockHeader(CHAIN, 1, hash(1), Hash.ZERO, 0, node(1), hash(2), -1, hash(3), set.hash())).hasMessageContaining("got -1");
    assertThatThrownBy(() -> new BlockHeader(CHAIN, 1, hash(1), Hash.ZERO, 0, node(1), hash(2), Limits.MAX_BLOCK_TRANSACTIONS + 1, hash(3), set.hash()))
        .hasMessageContaining("100001");
    assertThatThrownBy(() -> new BlockHeader(CHAIN, 1, null, Hash.ZERO, 0, node(1), hash(2), 0, hash(3), set.hash())).hasMessageContaining("previousHash");
    assertThatThrownBy(() -> new BlockHeader(CHAIN, 1, hash(1), Hash.ZERO, 0, null, hash(2), 0, hash(3), set.hash())).hasMessageContaining("proposer");
    assertThatThrownBy(() -> new BlockHeader(CHAIN, 2, hash(1), null, 0, node(1), hash(2), 0, hash(3), set.hash()))
        .hasMessageContaining("previousCommitHash");
    assertThatThrownBy(() -> new BlockHeader(CHAIN, 1, hash(1), hash(4), 0, node(1), hash(2), 0, hash(3), set.hash()))
        .hasMessageContaining("block 1 has no previous block, so its previous commit hash must be Hash.ZERO, got " + hash(4));

    assertThatThrownBy(() -> new CommitCertificate(0, 0, hash(1), List.of())).hasMessageContaining("at least 1, got 0");
    assertThatThrownBy(() -> new CommitCertificate(1, -1, hash(1), List.of())).hasMessageContaining("round cannot be negative");
    CommitSignature s = new CommitSignature(node(1), signature(1));
    assertThatThrownBy(() -> new CommitCertificate(1, 0, hash(1), List.of(s, new CommitSignature(node(1), signature(2)))))
        .hasMessageContaining("signed the certificate twice");
    List<CommitSignature> tooMany = new ArrayList<>();
    for (int i = 0; i <= Limits.MAX_VALIDATORS; i++) {
      tooMany.add(new CommitSignature(node(i), signature(i)));
    }
    assertThatThrownBy(() -> new CommitCertificate(1, 0, hash(1), tooMany)).hasMessageContaining("at most 1024 signatures, got 1025");

    assertThatThrownBy(() -> ValidatorSet.of(List.of())).hasMessageContaining("1 to 1024 validators, got 0");
    assertThatThrownBy(() -> ValidatorSet.of(List.of(node(1), node(1)))).hasMessageContaining("listed twice");

    Block valid = Fixtures.unsignedBlock(Fixtures.mixed(2), 1);
    assertThatThrownBy(() -> new Block(valid.header(), Fixtures.mixed(3), valid.previousCommit(), valid.certificate())).hasMessageContaining("holds 3 transactions but its header counts 2");
    CommitCertificate other = new CommitCertificate(valid.height(), 0, hash(77), valid.certificate().signatures());
    assertThatThrownBy(() -> new Block(valid.header(), valid.transactions(), valid.previousCommit(), other)).hasMessageContaining("signs another block");
    CommitCertificate wrongHeight = new CommitCertificate(valid.height() + 1, 0, valid.hash(), valid.certificate().signatures());
    assertThatThrownBy(() -> new Block(valid.header(), valid.transactions(), valid.previousCommit(), wrongHeight)).hasMessageContaining("certificate for height 6 attached to block 5");

    assertThatThrownBy(() -> new MerkleProof(0, 0, List.of())).hasMessageContaining("leaf count must be 1 to");
    assertThatThrownBy(() -> new MerkleProof(3, 3, List.of())).hasMessageContaining("index 3 outside 0..2");
    assertThatThrownBy(() -> new MerkleProof(-1, 3, List.of())).hasMessageContaining("index -1");
    assertThatThrownBy(() -> new MerkleProof(0, 4, List.of(hash(1)))).hasMessageContaining("has 2 siblings, not 1");
  }

  @Test
  void stateAndGenesisValuesRefuseOutOfRangeFields() {
    assertThatThrownBy(() -> new AccountState(Amount.ZERO, -1)).hasMessageContaining("nonce cannot be negative");
    assertThatThrownBy(() -> new DataEntry("k", new byte[0], 0, account(1), 1, 0, hash(1))).hasMessageContaining("version starts at 1, got 0");
    assertThatThrownBy(() -> new DataEntry("k", new byte[0], 1, account(1), 0, 0, hash(1))).hasMessageContaining("position 0/0");
    assertThatThrownBy(() -> new DataEntry("k", new byte[0], 1, account(1), 1, -1, hash(1))).hasMessageContaining("position 1/-1");
    assertThatThrownBy(() -> new LocatedTransaction(Fixtures.data(1), 0, 0, hash(1))).hasMessageContaining("out of range");

    assertThatThrownBy(() -> Member.of("", node(1), Role.VALIDATOR)).hasMessageContaining("member name must be 1 to 128");
    assertThatThrownBy(() -> Member.of("x".repeat(129), node(1), Role.VALIDATOR)).hasMessageContaining("got 129");
    assertThatThrownBy(() -> Member.of("a", node(1))).hasMessageContaining("member 'a' needs at least one role");
    TreeMap<String, Long> shares = new TreeMap<>(Map.of(IncentivePolicy.PRODUCERS, 60L, IncentivePolicy.TREASURY, 39L));
    assertThatThrownBy(() -> new IncentivePolicy.Era(1, IncentivePolicy.Subsidy.NONE, shares, 100, IncentivePolicy.FeeRule.SHARED))
        .hasMessageContaining("shares add up to 99, not outOf = 100");
    assertThatThrownBy(() -> new IncentivePolicy.Era(0, IncentivePolicy.Subsidy.NONE, Map.of(IncentivePolicy.PRODUCERS, 1L), 1,
        IncentivePolicy.FeeRule.SHARED)).hasMessageContaining("fromHeight must be at least 1, got 0");
    assertThatThrownBy(() -> new IncentivePolicy.Era(1, IncentivePolicy.Subsidy.NONE, Map.of(IncentivePolicy.PRODUCERS, 101L,
        IncentivePolicy.TREASURY, -1L), 100, IncentivePolicy.FeeRule.SHARED)).hasMessageContaining("shares.treasury cannot be negative");
    // long overflow in the sum must not let shares wrap around to outOf
    assertThatThrownBy(() -> new IncentivePolicy.Era(1, IncentivePolicy.Subsidy.NONE, Map.of(IncentivePolicy.PRODUCERS, Long.MAX_VALUE,
        IncentivePolicy.TREASURY, Long.MAX_VALUE), 100, IncentivePolicy.FeeRule.SHARED)).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> new IncentivePolicy.ServiceRules(100, 3, 92, 96, Amount.of(42), Amount.of(500), 100,
        IncentivePolicy.ServiceShare.EQUAL, 4)).hasMessageContaining("epochLength must be a multiple of challengeInterval (3), got 100");
    assertThatThrownBy(() -> new IncentivePolicy.ServiceRules(100, 4, 101, 96, Amount.of(42), Amount.of(500), 100,
        IncentivePolicy.ServiceShare.EQUAL, 4)).hasMessageContaining("secureThresholdPercent must be 0 to 100, got 101");
    assertThatThrownBy(() -> IncentivePolicy.builder().era(new IncentivePolicy.Era(2, IncentivePolicy.Subsidy.NONE,
        Map.of(IncentivePolicy.PRODUCERS, 1L), 1, IncentivePolicy.FeeRule.SHARED)).build()).hasMessageContaining("one from height 1");
    assertThatThrownBy(() -> IncentivePolicy.builder().era(new IncentivePolicy.Era(1, IncentivePolicy.Subsidy.NONE,
        Map.of(IncentivePolicy.TREASURY, 1L), 1, IncentivePolicy.FeeRule.SHARED)).build())
        .hasMessageContaining("eras[0] (from height 1).shares.treasury: a treasury share needs a treasury account");
    assertThatThrownBy(() -> IncentivePolicy.builder().era(new IncentivePolicy.Era(1, IncentivePolicy.Subsidy.NONE,
        Map.of("validators", 1L), 1, IncentivePolicy.FeeRule.SHARED)).build()).hasMessageContaining("shares.validators: no such pool");
    assertThatThrownBy(() -> new ConsensusParameters(Duration.ZERO, Duration.ofMillis(1), Duration.ZERO, Duration.ZERO, Duration.ofMillis(1), 1))
        .hasMessageContaining("proposeTimeout must be positive");
    assertThatThrownBy(() -> new ConsensusParameters(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ZERO, Duration.ofMillis(5), Duration.ofMillis(1), 1))
        .hasMessageContaining("heartbeat");
    assertThatThrownBy(() -> new ConsensusParameters(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ZERO, Duration.ZERO, Duration.ofMillis(1), 0))
        .hasMessageContaining("maxBlockTransactions");
    assertThatThrownBy(() -> new Verification(true, "why")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Verification.failed("")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Role.fromJsonName("secure-node")).isEqualTo(Role.SECURE_NODE);
    assertThatThrownBy(() -> Role.fromJsonName("Validator")).hasMessageContaining("unknown role 'Validator' (valid: validator,");
  }
}
