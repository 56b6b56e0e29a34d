package org.meshledger.samples.supplychain;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.meshledger.Ledger;
import org.meshledger.MeshledgerException;
import org.meshledger.Verification;
import org.meshledger.chain.Block;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.ReceiptProof;
import org.meshledger.chain.Transaction;
import org.meshledger.genesis.Genesis;

/**
 * The auditor's work: export a shipment's whole history as receipt proofs, then check it with nothing but the
 * genesis file: each proof (commit certificate of a quorum of the genesis's validators, Merkle proof, signature),
 * and the custody rule replayed over the writes in chain order.
 */
final class Audit {
  private Audit() {}

  /** What an offline check found: how many proofs it read and the first failure, if any. */
  record Outcome(int proofs, String failure) {
    boolean verified() {
      return failure.isEmpty();
    }
  }

  /** Every committed write of {@code key} with its receipt and block, from the auditor's own node, to {@code file}. */
  static List<ReceiptProof> export(Ledger ledger, String key, Path file) throws InterruptedException, TimeoutException {
    List<ReceiptProof> proofs = new ArrayList<>();
    long after = 0;
    while (true) {
      List<DataEntry> page = ledger.history(key, after, 100).await(30, TimeUnit.SECONDS);
      for (DataEntry e : page) {
        Receipt receipt = ledger.receipt(e.transactionId()).await(30, TimeUnit.SECONDS).orElseThrow();
        Block block = ledger.block(e.height()).await(30, TimeUnit.SECONDS).orElseThrow();
        proofs.add(ReceiptProof.of(receipt, block));
        after = e.version();
      }
      if (page.size() < 100) {
        break;
      }
    }
    ReceiptProof.write(file, proofs);
    return proofs;
  }

  /**
   * Reads {@code proofFile} and checks it against the genesis in {@code genesisFile}, printing each write of
   * {@code key} as it goes; no node is needed. Fails at the first proof that does not verify or the first write
   * that breaks the custody rule.
   */
  static Outcome verifyOffline(Path genesisFile, Path proofFile, String key, PrintStream out) {
    Genesis genesis = Genesis.fromJson(genesisFile);
    CustodyRule rule = new CustodyRule(genesis, Consortium.MANUFACTURER);
    List<ReceiptProof> proofs;
    try {
      proofs = ReceiptProof.read(proofFile);
    } catch (MeshledgerException e) {
      return new Outcome(0, e.getMessage());
    }
    String holder = null;
    long previousHeight = 0;
    for (int i = 0; i < proofs.size(); i++) {
      ReceiptProof p = proofs.get(i);
      Verification v = p.verify(genesis);
      if (!v.valid()) {
        return new Outcome(proofs.size(), "proof " + (i + 1) + ": " + v.reason());
      }
      Receipt r = p.receipt();
      Transaction tx = r.transaction();
      if (!(tx.payload() instanceof Payload.DataWrite w) || !w.key().equals(key) || r.height() < previousHeight || !r.accepted()) {
        return new Outcome(proofs.size(), "proof " + (i + 1) + ": not an applied write of " + key + " after the one before");
      }
      String sender = rule.nameOf(tx.sender());
      Shipment s = Shipment.fromBytes(w.value());
      boolean custody = holder == null ? sender.equals(Consortium.MANUFACTURER) : sender.equals(holder);
      if (!custody) {
        return new Outcome(proofs.size(), "proof " + (i + 1) + ": written by the " + sender + " while the " + holder + " held it");
      }
      out.printf("  v%d block %-4d %-12s -> holder %-12s %-22s %-20s certificate %d/%d, Merkle proof ok%n", i + 1, r.height(), sender,
          s.holder(), s.status(), s.location(), p.certificate().signatures().size(), genesis.validators().size());
      holder = s.holder();
      previousHeight = r.height();
    }
    return new Outcome(proofs.size(), "");
  }

  /**
   * A forged copy of {@code proofFile}: in the first write that names the carrier as holder, "carrier" becomes
   * "auditor" (as many letters, so the encoding keeps its shape), and the transaction id stated beside it is
   * recomputed, as a careful forger would. The signature no longer matches.
   */
  static Path forge(Path proofFile, Path copy) throws IOException {
    String text = Files.readString(proofFile);
    HexFormat hex = HexFormat.of();
    String from = hex.formatHex("\"holder\":\"carrier\"".getBytes(StandardCharsets.UTF_8));
    String to = hex.formatHex("\"holder\":\"auditor\"".getBytes(StandardCharsets.UTF_8));
    for (ReceiptProof p : ReceiptProof.read(proofFile)) {
      String txHex = hex.formatHex(p.receipt().transaction().encode());
      if (txHex.contains(from)) {
        Transaction forged = Transaction.decode(hex.parseHex(txHex.replace(from, to)));
        text = text.replace(txHex, hex.formatHex(forged.encode())).replace(p.receipt().transactionId().toHex(), forged.id().toHex());
        break;
      }
    }
    Files.writeString(copy, text);
    return copy;
  }
}
