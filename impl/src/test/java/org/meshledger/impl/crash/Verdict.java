package org.meshledger.impl.crash;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meshledger.chain.Hash;
import org.meshledger.genesis.Genesis;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.StoreContext;

/**
 * The end of a run: opens the stopped nodes' H2 stores through the SPI, runs {@link ChainCheck}, prints the
 * figures, and collects every problem (with the seed) into one failure message.
 */
final class Verdict {
  final List<String> problems = new ArrayList<>();
  ChainCheck check;

  /** Checks the stores under {@code dataDirs} (by node name); stores that cannot be opened are problems too. */
  void checkStores(Genesis genesis, Map<String, Path> dataDirs, Collection<Submission.Final> receipts) {
    Map<String, BlockStore> stores = new LinkedHashMap<>();
    try {
      dataDirs.forEach((name, dir) -> {
        try {
          stores.put(name, BlockStores.open("h2", new StoreContext(dir, genesis.chainId(), genesis.hash())));
        } catch (RuntimeException e) {
          problems.add(name + ": its store under " + dir + " does not open: " + e);
        }
      });
      check = new ChainCheck(genesis, stores);
      problems.addAll(check.run(receipts));
    } finally {
      stores.values().forEach(BlockStore::close);
    }
  }

  /** How many of the signed transactions the client never saw final are in the chain anyway. */
  long committed(Collection<Hash> ids) {
    return check == null ? 0 : check.committed(ids);
  }

  void print(PrintStream out, String name, long seed, List<String> figures) {
    out.println("==== " + name + " (seed " + seed + ")");
    figures.forEach(f -> out.println("  " + f));
    if (problems.isEmpty()) {
      out.println("  no problems");
    } else {
      out.println("  PROBLEMS (" + problems.size() + "):");
      problems.forEach(p -> out.println("    " + p));
    }
  }

  /** Fails with every problem, the seed and the diagnostics, if there is any problem. */
  void assertNone(String name, long seed, String property, String diagnostics) {
    if (!problems.isEmpty()) {
      throw new AssertionError(name + " failed (seed " + seed + ", replay with -D" + property + "=" + seed + "): " + problems.size()
          + " problems:\n  " + String.join("\n  ", problems) + "\nnodes:\n" + diagnostics);
    }
  }
}
