package org.meshledger.samples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.meshledger.Verification;
import org.meshledger.chain.Payload;
import org.meshledger.chain.ReceiptProof;
import org.meshledger.genesis.Genesis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code verify}: checks an exported receipt proof file offline, against the genesis alone: no node, no network.
 * Each proof's certificate must be a quorum of the genesis validators for its block header, and its Merkle proof
 * must lead from the signed transaction to that header. Exit code 0 if every proof holds, 1 if any fails.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, description = {
    "Checks a receipt proof file (as an auditor exports it) offline against a genesis.",
    "Each proof must hold: the block's certificate is signed by more than two thirds of the genesis validators and",
    "the transaction, signed by its sender, is in that block. The outcome a proof records is the exporting node's",
    "word: block headers do not commit to transaction results."})
final class VerifyCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--genesis", required = true, paramLabel = "FILE", description = "the network's genesis.json")
  Path genesisFile;

  @Parameters(paramLabel = "PROOFS", description = "the receipt proof file")
  Path proofsFile;

  @Override
  public Integer call() {
    Genesis genesis = Genesis.fromJson(genesisFile);
    List<ReceiptProof> proofs = ReceiptProof.read(proofsFile);
    PrintWriter out = spec.commandLine().getOut();
    int failed = 0;
    for (int i = 0; i < proofs.size(); i++) {
      ReceiptProof p = proofs.get(i);
      Verification v = p.verify(genesis);
      if (v.valid()) {
        out.printf("ok     proof %d: transaction %s in block %d at index %d, %s; %d of %d validators signed%n", i + 1,
            p.receipt().transactionId().toHex(), p.header().height(), p.receipt().index(), describe(p.receipt().transaction().payload()),
            p.certificate().signatures().size(), genesis.validators().size());
      } else {
        failed++;
        out.printf("FAILED proof %d: %s%n", i + 1, v.reason());
      }
    }
    out.printf("%d of %d proofs hold against genesis %s (chain %s)%s%n", proofs.size() - failed, proofs.size(), genesis.hash().toHex(),
        genesis.chainId(), failed == 0 ? "" : "; the file is not to be trusted");
    return failed == 0 ? 0 : 1;
  }

  private static String describe(Payload payload) {
    if (payload instanceof Payload.DataWrite d) {
      return "data '" + d.key() + "'";
    }
    return payload.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
