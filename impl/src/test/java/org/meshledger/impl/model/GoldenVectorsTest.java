package org.meshledger.impl.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.meshledger.impl.model.GoldenScenario.CHAIN;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.meshledger.Verification;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.CommitSignature;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleProof;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.NodeId;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.crypto.Ed25519;
import org.meshledger.crypto.KeyPair;
import org.meshledger.crypto.SignatureDomain;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;

/**
 * The golden vectors of docs/protocol.md, read from the doc. For each one, three things agree: the hex in the
 * doc, the bytes the production encoder writes, and a field-by-field layout written in this test from the
 * doc's tables. Decoding the doc's hex gives back the equal value.
 *
 * <p>After a deliberate format change, run with {@code -Dmeshledger.printVectors=true} to print every block
 * in the doc's form.
 */
class GoldenVectorsTest {
  private static final Map<String, String> DOC = DocBlocks.read("protocol.md", "vector");
  private static final boolean PRINT = Boolean.getBoolean("meshledger.printVectors");
  private static final List<String> CHECKED = new ArrayList<>();
  private static final StringBuilder PRINTED = new StringBuilder();

  /** Checks vector {@code name}: the doc's hex equals {@code layout} (by hand) and {@code encoded} (by the code). */
  private static String check(String name, Layout layout, byte[] encoded) {
    String block = "```vector " + name + "\n" + layout.annotated() + "```\n";
    CHECKED.add(name);
    assertThat(HexFormat.of().formatHex(encoded)).as("%s: the encoder disagrees with the documented layout", name).isEqualTo(layout.hex());
    if (PRINT) {
      PRINTED.append(block).append('\n');
      return layout.hex();
    }
    assertThat(DOC).as("docs/protocol.md has no vector %s; it should read:%n%s", name, block).containsKey(name);
    assertThat(DocBlocks.hex(DOC.get(name))).as("docs/protocol.md vector %s is stale; the encoding is now:%n%s", name, block).isEqualTo(layout.hex());
    return DocBlocks.hex(DOC.get(name));
  }

  private static String check(String name, Hash hash) {
    return check(name, new Layout().raw(hash.bytes(), "SHA-256"), hash.bytes());
  }

  private static <T> void roundTrip(String name, String docHex, Function<byte[], T> decode, T expected) {
    assertThat(decode.apply(HexFormat.of().parseHex(docHex))).as("%s decoded from the doc", name).isEqualTo(expected);
  }

  @Test
  void keys() {
    String[] names = {"alice", "bob", "treasury", "validator1", "validator2", "validator3", "validator4"};
    List<KeyPair> keys = new ArrayList<>(List.of(GoldenScenario.ALICE, GoldenScenario.BOB, GoldenScenario.TREASURY));
    keys.addAll(GoldenScenario.VALIDATORS);
    int[] seeds = {0x01, 0x02, 0x03, 0x11, 0x12, 0x13, 0x14};
    for (int i = 0; i < names.length; i++) {
      byte[] seed = GoldenScenario.seed(seeds[i]);
      check("key." + names[i] + ".seed", new Layout().raw(seed, "seed (RFC 8032 private key)"), seed);
      byte[] docSeed = PRINT ? seed : HexFormat.of().parseHex(DocBlocks.hex(DOC.get("key." + names[i] + ".seed")));
      byte[] pub = Ed25519.publicKey(docSeed);
      check("key." + names[i] + ".publicKey", new Layout().raw(keys.get(i).nodeId().key(), "public key"), pub);
    }
  }

  private static Layout transactionBody(Transaction tx) {
    Layout l = new Layout().u8(1, "version").string(tx.chainId(), "chain id").u8(tx.kind().code(), "kind " + tx.kind())
        .raw(tx.sender().key(), "sender").i64(tx.nonce(), "nonce").i64(tx.fee().units(), "fee");
    if (tx.payload() instanceof Payload.DataWrite d) {
      l.string(d.key(), "key").bytes(d.value(), "value");
      if (d.expectedVersion().isPresent()) {
        l.u8(1, "has expected version").i64(d.expectedVersion().getAsLong(), "expected version");
      } else {
        l.u8(0, "no expected version");
      }
    } else if (tx.payload() instanceof Payload.Transfer t) {
      l.raw(t.to().key(), "recipient").i64(t.amount().units(), "amount");
    } else if (tx.payload() instanceof Payload.ChallengeResponse c) {
      l.i64(c.epoch(), "epoch").raw(c.challenge().bytes(), "challenge").bytes(c.proof(), "proof");
    } else if (tx.payload() instanceof Payload.ServiceRegistration r) {
      l.u8(r.tier() == Role.SECURE_NODE ? 1 : 2, "tier " + r.tier().jsonName());
    } // ServiceExit: no fields
    return l;
  }

  private static Layout transaction(Transaction tx) {
    return transactionBody(tx).raw(tx.signature().bytes(), "signature (Ed25519 over the signing input)");
  }

  @Test
  void serviceTransactions() {
    Transaction register = Transaction.sign(CHAIN, GoldenScenario.BOB, 0, Amount.of(10), new Payload.ServiceRegistration(Role.SUPER_NODE));
    Transaction exit = Transaction.sign(CHAIN, GoldenScenario.BOB, 1, Amount.of(10), Payload.ServiceExit.INSTANCE);
    for (Transaction tx : List.of(register, exit)) {
      String name = "transaction." + (tx == register ? "service-registration" : "service-exit");
      String hex = check(name, transaction(tx), tx.encode());
      roundTrip(name, hex, Transaction::decode, tx);
    }
  }

  @Test
  void transactions() {
    String[] names = {"data", "transfer", "challenge-response"};
    List<Transaction> txs = GoldenScenario.transactions();
    for (int i = 0; i < txs.size(); i++) {
      Transaction tx = txs.get(i);
      String name = "transaction." + names[i];
      Layout signingInput = new Layout().string(SignatureDomain.TRANSACTION.tag(), "domain tag").string(CHAIN, "chain id")
          .u32(tx.body().length, "body: length " + tx.body().length).raw(tx.body(), "body (the transaction without its signature)");
      check("signing-input." + name, signingInput, Ed25519.signingInput(SignatureDomain.TRANSACTION, CHAIN, tx.body()));
      String hex = check(name, transaction(tx), tx.encode());
      roundTrip(name, hex, Transaction::decode, tx);
      assertThat(Transaction.decode(HexFormat.of().parseHex(hex)).verifySignature()).as("%s signature", name).isTrue();
      check(name + ".id", tx.id());
      assertThat(tx.id()).isEqualTo(Hash.sha256(tx.body()));
    }
  }

  private static Layout validatorSetInput(ValidatorSet set) {
    Layout l = new Layout().u8(1, "version").u32(set.size(), "count");
    for (NodeId v : set.validators()) {
      l.raw(v.key(), "validator (sorted by key bytes)");
    }
    return l;
  }

  @Test
  void validatorSet() {
    ValidatorSet set = GoldenScenario.validatorSet();
    Layout input = validatorSetInput(set);
    String hex = check("validator-set.hash-input", input, HexFormat.of().parseHex(input.hex()));
    check("validator-set.hash", set.hash());
    assertThat(Hash.sha256(HexFormat.of().parseHex(hex))).isEqualTo(set.hash());
  }

  private static Layout header(BlockHeader h) {
    return new Layout().u8(2, "version").string(h.chainId(), "chain id").i64(h.height(), "height").raw(h.previousHash().bytes(), "previous hash")
        .raw(h.previousCommitHash().bytes(), h.height() == 1 ? "previous commit hash (none at height 1)" : "previous commit hash")
        .i64(h.timeMillis(), "time (ms since 1970)").raw(h.proposer().key(), "proposer").raw(h.transactionsRoot().bytes(), "transactions root")
        .u32(h.transactionCount(), "transaction count").raw(h.stateDigest().bytes(), "state digest").raw(h.validatorSetHash().bytes(), "validator set hash");
  }

  private static Layout certificate(CommitCertificate c) {
    Layout l = new Layout().u8(1, "version").i64(c.height(), "height").u32(c.round(), "round").raw(c.blockHash().bytes(), "block hash")
        .u32(c.signatures().size(), "signature count");
    for (CommitSignature s : c.signatures()) {
      l.raw(s.validator().key(), "validator (sorted by key bytes)").raw(s.signature().bytes(), "precommit signature");
    }
    return l;
  }

  @Test
  void merkleTree() {
    List<Transaction> txs = GoldenScenario.transactions();
    List<Hash> ids = txs.stream().map(Transaction::id).toList();
    check("merkle.root", MerkleTree.root(ids));
    MerkleProof proof = MerkleTree.proof(ids, 2);
    Layout l = new Layout().u8(1, "version").u32(2, "index").u32(3, "leaf count").u32(proof.siblings().size(), "sibling count");
    proof.siblings().forEach(s -> l.raw(s.bytes(), "sibling, from the leaf up"));
    String hex = check("merkle-proof.challenge-response", l, proof.encode());
    roundTrip("merkle-proof", hex, MerkleProof::decode, proof);
  }

  @Test
  void blockHeaderCertificateAndBlock() {
    Genesis genesis = PRINT ? GoldenScenario.genesis() : GenesisDocExample.parse();
    Block block = GoldenScenario.block(genesis.hash());
    BlockHeader h = block.header();
    String headerHex = check("block-header", header(h), h.encode());
    roundTrip("block-header", headerHex, BlockHeader::decode, h);
    check("block-header.hash", h.hash());

    Layout vote = new Layout().u8(1, "version").u8(2, "vote type: precommit").i64(h.height(), "height").u32(0, "round").raw(h.hash().bytes(), "block hash");
    check("vote-message", vote, CommitCertificate.voteMessage(h.height(), 0, h.hash()));
    Layout voteInput = new Layout().string(SignatureDomain.VOTE.tag(), "domain tag").string(CHAIN, "chain id")
        .u32(vote.hex().length() / 2, "message: length " + vote.hex().length() / 2).raw(HexFormat.of().parseHex(vote.hex()), "vote message");
    check("signing-input.vote-message", voteInput, Ed25519.signingInput(SignatureDomain.VOTE, CHAIN, HexFormat.of().parseHex(vote.hex())));

    String certHex = check("commit-certificate", certificate(block.certificate()), block.certificate().encode());
    roundTrip("commit-certificate", certHex, CommitCertificate::decode, block.certificate());

    Layout l = new Layout().u8(2, "version").comment("header (see block-header)").include(header(h))
        .u32(block.transactions().size(), "transaction count");
    block.transactions().forEach(t -> l.comment("transaction " + t.kind()).include(transaction(t)));
    l.u8(0, "no previous commit (block 1)");
    l.comment("certificate (see commit-certificate)").include(certificate(block.certificate()));
    String blockHex = check("block", l, block.encode());
    Block decoded = Block.decode(HexFormat.of().parseHex(blockHex));
    assertThat(decoded).isEqualTo(block);
    assertThat(decoded.verify(GoldenScenario.validatorSet())).isEqualTo(Verification.ok());
    assertThat(h.previousHash()).isEqualTo(genesis.hash());
  }

  @Test
  void blockWithAPreviousCommit() {
    Genesis genesis = PRINT ? GoldenScenario.genesis() : GenesisDocExample.parse();
    Block one = GoldenScenario.block(genesis.hash());
    Block two = GoldenScenario.block2(genesis.hash());
    BlockHeader h = two.header();
    String headerHex = check("block-header.2", header(h), h.encode());
    roundTrip("block-header.2", headerHex, BlockHeader::decode, h);
    check("commit-certificate.hash", one.certificate().hash());
    assertThat(h.previousCommitHash()).as("block 2 names the hash of block 1's certificate").isEqualTo(Hash.sha256(one.certificate().encode()));
    check("block-header.2.hash", h.hash());

    Layout l = new Layout().u8(2, "version").comment("header (see block-header.2)").include(header(h)).u32(0, "transaction count")
        .u8(1, "has a previous commit").comment("previous commit: block 1's certificate (see commit-certificate)")
        .include(certificate(two.previousCommit().orElseThrow())).comment("certificate: validators 2, 3 and 4 in round 1")
        .include(certificate(two.certificate()));
    String blockHex = check("block.2", l, two.encode());
    Block decoded = Block.decode(HexFormat.of().parseHex(blockHex));
    assertThat(decoded).isEqualTo(two);
    assertThat(decoded.verify(GoldenScenario.validatorSet())).isEqualTo(Verification.ok());
    assertThat(decoded.previousCommitSigners()).as("the signers of block 1, in validator-set order")
        .containsExactlyElementsOf(one.certificate().signers()).isSorted();
  }

  @Test
  void genesis() {
    if (PRINT) {
      PRINTED.append("```json genesis-example\n").append(GoldenScenario.genesis().toJson()).append("```\n\n");
    }
    Genesis g = PRINT ? GoldenScenario.genesis() : GenesisDocExample.parse();
    assertThat(g).as("the example of docs/genesis.md is the golden genesis").isEqualTo(GoldenScenario.genesis());
    Layout l = new Layout().u8(Genesis.VERSION, "version").string(g.chainId(), "chain id").i64(g.genesisTime().toEpochMilli(), "genesis time (ms since 1970)")
        .u8(g.permissioned() ? 1 : 0, "permissioned").u32(g.members().size(), "member count");
    for (Member m : g.members()) {
      int mask = 0;
      for (Role r : Role.values()) {
        mask |= m.has(r) ? 1 << r.ordinal() : 0;
      }
      l.string(m.name(), "name").raw(m.key().key(), "public key").u8(mask, "roles " + m.roles().stream().sorted().toList());
    }
    var c = g.consensus();
    l.i64(c.proposeTimeout().toMillis(), "proposeTimeoutMs").i64(c.voteTimeout().toMillis(), "voteTimeoutMs")
        .i64(c.timeoutIncrement().toMillis(), "timeoutIncrementMs").i64(c.blockInterval().toMillis(), "blockIntervalMs")
        .i64(c.heartbeat().toMillis(), "heartbeatMs").u32(c.maxBlockTransactions(), "maxBlockTransactions");
    var inc = g.incentives();
    l.string(inc.rule(), "reward rule").u8(inc.treasury().isPresent() ? 1 : 0, "has treasury");
    inc.treasury().ifPresent(t -> l.raw(t.key(), "treasury"));
    l.string(inc.producers().name(), "producers rule").u32(inc.customPools().size(), "custom pool count");
    inc.customPools().forEach((name, account) -> l.string(name, "custom pool name").raw(account.key(), "custom pool account"));
    l.u32(inc.eras().size(), "era count");
    for (IncentivePolicy.Era e : inc.eras()) {
      l.i64(e.fromHeight(), "era fromHeight").i64(e.subsidy().initial().units(), "subsidy").i64(e.subsidy().halvingInterval(), "halvingInterval")
          .i64(e.outOf(), "outOf").string(e.fees().name(), "fee rule").u32(e.shares().size(), "share count");
      e.shares().forEach((pool, part) -> l.string(pool, "pool").i64(part, "parts"));
    }
    var sv = inc.service();
    l.i64(sv.epochLength(), "epochLength").i64(sv.challengeInterval(), "challengeInterval").u32(sv.secureThresholdPercent(), "secureThresholdPercent")
        .u32(sv.superThresholdPercent(), "superThresholdPercent").i64(sv.secureBond().units(), "secureBond").i64(sv.superBond().units(), "superBond")
        .i64(sv.unbondingDelay(), "unbondingDelay").string(sv.share().name(), "service share").u32(sv.maxPenalty(), "maxPenalty");
    l.u32(g.balances().size(), "balance count");
    for (Map.Entry<AccountId, Amount> e : g.balances().entrySet()) {
      l.raw(e.getKey().key(), "account (sorted by key bytes)").i64(e.getValue().units(), "balance");
    }
    check("genesis", l, g.encode());
    check("genesis.hash", g.hash());
  }

  @Test
  void stringsAreUtf8Bytes() {
    // a multi-byte key: the length prefix counts bytes, not characters
    Transaction tx = Transaction.sign(CHAIN, GoldenScenario.BOB, 0, Amount.ZERO, Payload.DataWrite.of("caf\u00e9/\u20ac", new byte[0]));
    assertThat("caf\u00e9/\u20ac".getBytes(StandardCharsets.UTF_8)).hasSize(9);
    String hex = check("transaction.data-utf8-key", transaction(tx), tx.encode());
    roundTrip("transaction.data-utf8-key", hex, Transaction::decode, tx);
  }

  @AfterAll
  static void everyVectorInTheDocIsChecked() throws java.io.IOException {
    if (PRINT) {
      java.nio.file.Path out = java.nio.file.Path.of("target", "golden-vectors.md");
      java.nio.file.Files.writeString(out, PRINTED);
      System.out.println("golden vectors written to " + out.toAbsolutePath());
      return;
    }
    assertThat(CHECKED).as("vectors in docs/protocol.md that no test checks").containsAll(DOC.keySet());
  }
}
