package org.meshledger.impl.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.MeshledgerException;
import org.meshledger.Verification;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.ReceiptProof;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.TransactionResult;
import org.meshledger.codec.DecodeException;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Role;

/**
 * An auditor holding only the genesis accepts an exported receipt proof and rejects each kind of forgery, naming
 * the check that failed; the proof file round-trips, and a hostile file fails with the entry and field, never a
 * crash.
 */
class ReceiptProofTest {
  private static final String CHAIN = "proof-test";
  private final List<KeyPair> validators = BlockVerificationTest.keys(4);
  private final Genesis genesis = genesis(CHAIN, validators);
  private final KeyPair sender = BlockVerificationTest.key(100);
  private final List<Transaction> txs = List.of(
      Transaction.sign(CHAIN, sender, 0, Amount.of(1), Payload.DataWrite.ifVersion("shipment/7", bytes("{\"holder\":\"carrier\"}"), 0)),
      Transaction.sign(CHAIN, sender, 1, Amount.of(1), Payload.DataWrite.of("shipment/8", bytes("packed"))),
      Transaction.sign(CHAIN, sender, 2, Amount.of(1), Payload.DataWrite.of("shipment/9", bytes("packed"))));
  private final Block block = block(3, txs, validators);

  static Genesis genesis(String chain, List<KeyPair> keys) {
    Genesis.Builder b = Genesis.builder(chain).genesisTime(Instant.parse("2026-01-01T00:00:00Z"));
    for (int i = 0; i < keys.size(); i++) {
      b.member("org-" + i, keys.get(i).nodeId(), Role.VALIDATOR);
    }
    return b.build();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Block {@code height} of {@link #genesis}'s chain holding {@code transactions}, certified by {@code signers}. */
  private Block block(long height, List<Transaction> transactions, List<KeyPair> signers) {
    Hash previous = Hash.sha256(bytes("block " + (height - 1)));
    CommitCertificate previousCommit = new CommitCertificate(height - 1, 0, previous,
        validators.stream().map(k -> CommitCertificate.precommit(k, CHAIN, height - 1, 0, previous)).toList());
    BlockHeader h = new BlockHeader(CHAIN, height, previous, previousCommit.hash(), 1_700_000_000_000L, validators.get(0).nodeId(),
        MerkleTree.rootOf(transactions), transactions.size(), Hash.ZERO, genesis.validators().hash());
    return new Block(h, transactions, Optional.of(previousCommit),
        new CommitCertificate(height, 0, h.hash(), signers.stream().map(k -> CommitCertificate.precommit(k, CHAIN, height, 0, h.hash())).toList()));
  }

  private static Receipt receipt(Block block, int index) {
    return new Receipt(block.transactions().get(index), block.height(), index, block.hash(), TransactionResult.accepted(), block.proof(index));
  }

  private static void assertFails(Verification v, String check, String... detail) {
    assertThat(v.valid()).as("expected the %s check to fail", check).isFalse();
    assertThat(v.reason()).startsWith(check + ": ").contains(detail);
  }

  @Test
  void aProofFromItsBlockVerifiesAgainstTheGenesisAlone() {
    for (int i = 0; i < txs.size(); i++) {
      assertThat(ReceiptProof.of(receipt(block, i), block).verify(genesis)).isEqualTo(Verification.ok());
    }
    Block quorumOnly = block(3, txs, validators.subList(0, 3));
    assertThat(ReceiptProof.of(receipt(quorumOnly, 1), quorumOnly).verify(genesis)).as("exactly a quorum of 4").isEqualTo(Verification.ok());
  }

  @Test
  void ofRefusesABlockThatIsNotTheReceipts() {
    Block other = block(4, txs, validators);
    assertThatThrownBy(() -> ReceiptProof.of(receipt(block, 0), other)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names block 3").hasMessageContaining("not block 4");
    Block sameHeightOtherTxs = block(3, txs.subList(0, 2), validators);
    assertThatThrownBy(() -> ReceiptProof.of(receipt(block, 0), sameHeightOtherTxs)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not block 3");
  }

  @Test
  void eachForgeryFailsTheCheckThatCatchesIt() {
    ReceiptProof good = ReceiptProof.of(receipt(block, 1), block);

    // a tampered value: the transaction's payload changed after signing
    Transaction t = txs.get(1);
    Transaction tampered = Transaction.of(CHAIN, t.sender(), t.nonce(), t.fee(), Payload.DataWrite.of("shipment/8", bytes("stolen")), t.signature());
    Receipt tamperedReceipt = new Receipt(tampered, 3, 1, block.hash(), TransactionResult.accepted(), block.proof(1));
    assertFails(new ReceiptProof(tamperedReceipt, block.header(), block.certificate()).verify(genesis), "transaction", "bad signature");
    // ... and re-signed by someone else, it is not the transaction the block holds
    Transaction resigned = Transaction.sign(CHAIN, sender, t.nonce(), t.fee(), Payload.DataWrite.of("shipment/8", bytes("stolen")));
    Receipt resignedReceipt = new Receipt(resigned, 3, 1, block.hash(), TransactionResult.accepted(), block.proof(1));
    assertFails(new ReceiptProof(resignedReceipt, block.header(), block.certificate()).verify(genesis), "receipt", "Merkle proof");

    // a wrong genesis: another chain, or the same chain id with other validators
    assertFails(good.verify(genesis("other-chain", validators)), "chain", "'proof-test'", "'other-chain'");
    assertFails(good.verify(genesis(CHAIN, BlockVerificationTest.keys(5))), "validators", "names validator set");

    // a certificate short of quorum: two of four
    Block twoOfFour = block(3, txs, validators.subList(0, 2));
    assertFails(ReceiptProof.of(receipt(twoOfFour, 1), twoOfFour).verify(genesis), "certificate", "2 signatures; 3 of 4 validators");

    // a proof for another block: the receipt of block 3 with block 4's header and certificate
    Block four = block(4, txs, validators);
    assertFails(new ReceiptProof(receipt(block, 1), four.header(), four.certificate()).verify(genesis), "receipt", "names block 3");
    // ... or block 3's header with block 4's certificate
    assertFails(new ReceiptProof(receipt(block, 1), block.header(), four.certificate()).verify(genesis), "certificate", "height 4");
    // ... or a receipt that claims another index in its block
    Receipt wrongIndex = new Receipt(txs.get(1), 3, 2, block.hash(), TransactionResult.accepted(), block.proof(2));
    assertFails(new ReceiptProof(wrongIndex, block.header(), block.certificate()).verify(genesis), "receipt", "Merkle proof");
  }

  @Test
  void aFileRoundTripsAndItsProofsStillVerify(@TempDir Path dir) throws IOException {
    List<ReceiptProof> proofs = new ArrayList<>();
    for (int i = 0; i < txs.size(); i++) {
      proofs.add(ReceiptProof.of(receipt(block, i), block));
    }
    Receipt failed = new Receipt(txs.get(2), 3, 2, block.hash(), TransactionResult.failed("custody: only the holder hands over"), block.proof(2));
    proofs.add(ReceiptProof.of(failed, block));
    Path file = dir.resolve("history.json");
    ReceiptProof.write(file, proofs);
    List<ReceiptProof> read = ReceiptProof.read(file);
    assertThat(read).isEqualTo(proofs);
    assertThat(read).allSatisfy(p -> assertThat(p.verify(genesis)).isEqualTo(Verification.ok()));
    String text = Files.readString(file);
    assertThat(text).contains("\"format\" : \"meshledger-receipt-proofs\"", "\"version\" : 1", "\"outcome\" : \"failed\"",
        "\"transactionId\" : \"" + txs.get(0).id().toHex() + "\"");
    try (var listing = Files.list(dir)) {
      assertThat(listing.toList()).as("no temporary file left behind").containsExactly(file);
    }
    ReceiptProof.write(file, List.of());
    assertThat(ReceiptProof.read(file)).as("an existing file is replaced").isEmpty();
  }

  @Test
  void aTamperedFileReadsButFailsVerification(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("history.json");
    ReceiptProof.write(file, List.of(ReceiptProof.of(receipt(block, 0), block)));
    String text = Files.readString(file);
    // the holder inside the DATA value, hex-encoded in the transaction: "carrier" becomes "carried"
    String from = HexFormat.of().formatHex(bytes("carrier"));
    String to = HexFormat.of().formatHex(bytes("carried"));
    assertThat(text).contains(from);
    String tampered = text.replace(from, to);
    // the id stated beside the transaction is checked on reading
    assertThatThrownBy(() -> ReceiptProof.read(write(dir, "tampered.json", tampered))).isInstanceOf(DecodeException.class)
        .hasMessageContaining("field 'proofs[0].transactionId'").hasMessageContaining("the transaction's id is");
    // a forger who restates the id gets a file that reads, and fails verification
    Transaction t = txs.get(0);
    Transaction forged = Transaction.of(CHAIN, t.sender(), t.nonce(), t.fee(),
        Payload.DataWrite.ifVersion("shipment/7", bytes("{\"holder\":\"carried\"}"), 0), t.signature());
    List<ReceiptProof> read = ReceiptProof.read(write(dir, "forged.json", tampered.replace(t.id().toHex(), forged.id().toHex())));
    assertThat(read.get(0).receipt().transaction()).isEqualTo(forged);
    assertFails(read.get(0).verify(genesis), "transaction", "bad signature");
  }

  @Test
  void hostileFilesFailWithTheEntryAndField(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("good.json");
    ReceiptProof.write(file, List.of(ReceiptProof.of(receipt(block, 0), block), ReceiptProof.of(receipt(block, 1), block)));
    String good = Files.readString(file);
    String headerHex = HexFormat.of().formatHex(block.header().encode());

    assertRefused(dir, good.substring(0, good.length() / 2), "malformed JSON at line");
    assertRefused(dir, "", "is empty");
    assertRefused(dir, "[1, 2]", "does not start with '{'");
    assertRefused(dir, "{\"format\": \"meshledger-receipt-proofs\", \"version\": 1, \"proofs\": [" + "0,".repeat(100_000) + "0]}",
        "field 'proofs' holds 100001 entries; the limit is 100000");
    assertRefused(dir, good.replace("\"version\" : 1", "\"version\" : 2"), "field 'version' must be 1");
    assertRefused(dir, good.replace("meshledger-receipt-proofs", "something-else"), "field 'format'");
    assertRefused(dir, good.replace("\"version\" : 1", "\"version\" : 1, \"version\" : 1"), "Duplicate field 'version'");
    // in the second entry: a header that is not hex, cut short, or grown past its bound
    int second = good.indexOf(headerHex, good.indexOf(headerHex) + 1);
    String secondEntry = good.substring(0, second);
    String rest = good.substring(second + headerHex.length());
    assertRefused(dir, secondEntry + "zz" + headerHex.substring(2) + rest, "field 'proofs[1].header' is not", "hexadecimal");
    assertRefused(dir, secondEntry + headerHex.substring(0, headerHex.length() - 2) + rest, "field 'proofs[1].header'", "needs");
    assertRefused(dir, secondEntry + headerHex.substring(1) + rest, "field 'proofs[1].header' has an odd number of hex digits");
    assertRefused(dir, secondEntry + "00".repeat(5_000) + rest, "field 'proofs[1].header' is 10000 characters; the limit is 2048");
    assertRefused(dir, good.replace("\"index\" : 1", "\"index\" : \"one\""), "field 'proofs[1].index' must be a whole number");
    assertRefused(dir, good.replace("\"index\" : 1", "\"index\" : 99999999999"), "field 'proofs[1].index' must be at most");
    assertRefused(dir, good.replace("\"index\" : 1", "\"index\" : 2"), "field 'proofs[1]'", "the proof is for index 1, not 2");
    assertRefused(dir, good.replace("\"outcome\" : \"accepted\"", "\"outcome\" : \"maybe\""), "field 'proofs[0].outcome' must be");
    assertRefused(dir, good.replace("\"reason\" : \"\"", "\"reason\" : \"\", \"extra\" : 1"), "field 'proofs[0].extra' is not a field");
    assertRefused(dir, good.replaceFirst("\"reason\" : \"\",", ""), "field 'proofs[0].reason' is missing");

    Path huge = dir.resolve("huge.json");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(65L * 1024 * 1024); // sparse: nothing is written, and nothing may be read
    }
    assertThatThrownBy(() -> ReceiptProof.read(huge)).isInstanceOf(DecodeException.class).hasMessageContaining("the limit is 67108864");
    assertThatThrownBy(() -> ReceiptProof.read(dir.resolve("missing.json"))).isInstanceOf(MeshledgerException.class)
        .hasMessageContaining("does not exist");
  }

  private static void assertRefused(Path dir, String text, String... message) throws IOException {
    Path p = write(dir, "hostile.json", text);
    assertThatThrownBy(() -> ReceiptProof.read(p)).isInstanceOf(DecodeException.class).hasMessageContaining("receipt proof file " + p)
        .hasMessageContainingAll(message);
  }

  private static Path write(Path dir, String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }
}
