package org.meshledger.samples.quickstart;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleProof;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.ConsensusParameters;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Member;
import org.meshledger.genesis.Role;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.StateChanges;
import org.meshledger.spi.StoreContext;

/**
 * A supply-chain consortium's first blocks, end to end, on the default H2 store.
 *
 * <p>Four members (manufacturer, carrier, retailer, auditor) each hold a key and validate. They agree on a
 * genesis, sign shipment updates, certify blocks with a quorum of precommits, and keep them in an H2 file
 * under {@code target/quickstart-data}. Then anyone holding only the genesis checks the chain, and a single
 * transaction is proven to be in a block with nothing but the block header.
 *
 * <p>What this sample does by hand (executing transactions, gathering precommits) is what a running node does
 * by itself (the {@code supply-chain} sample runs real nodes: consensus, receipts, the ledger API). Run it with
 * {@code mvn -B -q install -DskipTests && mvn -B -q -pl samples/quickstart exec:java}.
 */
public final class Quickstart {
  private Quickstart() {}

  public static void main(String[] args) throws Exception {
    run(Paths.get(args.length > 0 ? args[0] : "target/quickstart-data"), System.out);
  }

  /** Runs the quickstart with its files under {@code dataDir}, reporting to {@code out}. */
  static void run(Path dataDir, PrintStream out) throws IOException {

    // 1. Keys: in production each member creates its own and shares only the public key.
    Map<String, KeyPair> keys = new LinkedHashMap<>();
    for (String name : List.of("manufacturer", "carrier", "retailer", "auditor")) {
      keys.put(name, KeyPair.generate());
    }

    // 2. The genesis: who is in the consortium and what they may do. Its hash is the chain's identity.
    List<Member> members = new ArrayList<>();
    keys.forEach((name, key) -> members.add(Member.of(name, key.nodeId(), Role.VALIDATOR)));
    AccountId treasury = keys.get("auditor").accountId();
    Genesis genesis = new Genesis("supply-chain-demo", Instant.parse("2026-01-01T00:00:00Z"), true, members,
        ConsensusParameters.DEFAULTS, IncentivePolicy.feesTo(treasury),
        Map.of(keys.get("manufacturer").accountId(), Amount.of(1_000_000)));
    ValidatorSet validators = genesis.validators();
    out.printf("chain %s, genesis %s, %d validators (quorum %d)%n", genesis.chainId(), genesis.hash().toHex(),
        validators.size(), validators.quorum());

    Files.createDirectories(dataDir);
    Path runDir = Files.createTempDirectory(dataDir, "run-");
    StoreContext context = new StoreContext(runDir, genesis.chainId(), genesis.hash());

    // 3. Three blocks of shipment updates, each certified by 3 of the 4 validators. Each block after the first
    //    carries the certificate of the block before it (its previous commit), and its header names that
    //    certificate's hash: who signed block h-1 is fixed by block h.
    List<String> steps = List.of("packed at plant 7", "picked up by carrier", "delivered to store 12");
    Hash previous = genesis.hash();
    Optional<CommitCertificate> previousCommit = Optional.empty();
    Transaction proven = null;
    try (BlockStore store = BlockStores.open(BlockStores.DEFAULT, context)) {
      long nonce = 0;
      for (int i = 0; i < steps.size(); i++) {
        KeyPair writer = keys.get("manufacturer");
        Transaction tx = Transaction.sign(genesis.chainId(), writer, nonce++, Amount.of(1),
            Payload.DataWrite.of("shipment-42", steps.get(i).getBytes(StandardCharsets.UTF_8)));
        List<Transaction> txs = List.of(tx);
        long height = store.height() + 1;
        BlockHeader header = new BlockHeader(genesis.chainId(), height, previous,
            previousCommit.map(CommitCertificate::hash).orElse(Hash.ZERO), System.currentTimeMillis(),
            keys.get("manufacturer").nodeId(), MerkleTree.rootOf(txs), txs.size(), Hash.ZERO, validators.hash());
        List<KeyPair> signers = List.of(keys.get("manufacturer"), keys.get("carrier"), keys.get("retailer"));
        CommitCertificate certificate = new CommitCertificate(height, 0, header.hash(), signers.stream()
            .map(k -> CommitCertificate.precommit(k, genesis.chainId(), height, 0, header.hash())).toList());
        Block block = new Block(header, txs, previousCommit, certificate);

        // What executing the block changed: one write of the key, and the writer's fee and nonce.
        DataEntry write = new DataEntry("shipment-42", steps.get(i).getBytes(StandardCharsets.UTF_8), i + 1,
            writer.accountId(), height, 0, tx.id());
        AccountState after = new AccountState(Amount.of(1_000_000 - nonce), nonce);
        store.append(block, new StateChanges(List.of(write), Map.of(writer.accountId(), after)));
        previous = block.hash();
        previousCommit = Optional.of(certificate);
        proven = tx;
        out.printf("block %d %s committed: %s%n", height, block.hash().toHex().substring(0, 16), steps.get(i));
      }
    }

    // 4. Reopen the file and check everything with nothing but the genesis.
    try (BlockStore store = BlockStores.open(BlockStores.DEFAULT, context)) {
      Hash link = genesis.hash();
      for (long h = 1; h <= store.height(); h++) {
        Block block = store.block(h).orElseThrow();
        if (!block.header().previousHash().equals(link)) {
          throw new IllegalStateException("block " + h + " does not link to its predecessor");
        }
        var verdict = block.verify(validators);
        if (!verdict.valid()) {
          throw new IllegalStateException("block " + h + " fails verification: " + verdict.reason());
        }
        link = block.hash();
      }
      out.printf("reopened: %d blocks, hash chain and commit certificates verified%n", store.height());
      Block last = store.block(store.height()).orElseThrow();
      out.printf("block %d carries block %d's certificate, signed by %d validators%n", last.height(), last.height() - 1,
          last.previousCommitSigners().size());

      for (DataEntry e : store.history("shipment-42", 0, 10)) {
        out.printf("  shipment-42 v%d @%d: %s%n", e.version(), e.height(),
            new String(e.value(), StandardCharsets.UTF_8));
      }

      // 5. A light client proves one transaction with the header alone.
      var located = store.transaction(proven.id()).orElseThrow();
      BlockHeader header = store.header(located.height()).orElseThrow();
      MerkleProof proof = store.block(located.height()).orElseThrow().proof(located.index());
      out.printf("inclusion proof of %s in block %d: %s%n", proven.id().toHex().substring(0, 16),
          located.height(), proof.verify(proven.id(), header) ? "valid" : "INVALID");
    }
    out.println("data under " + runDir);
  }
}
