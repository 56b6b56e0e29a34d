package org.meshledger.impl.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.meshledger.Amount;
import org.meshledger.Block;
import org.meshledger.DataEntry;
import org.meshledger.Hash;
import org.meshledger.KeyPair;
import org.meshledger.Payload;
import org.meshledger.Transaction;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.StateChanges;
import org.meshledger.spi.contract.TestChain;

/**
 * The process {@link H2CrashIT} kills: opens the H2 store in the directory given, prints {@code OPEN <height>},
 * then appends signed blocks that continue the stored chain and prints {@code APPENDED <height>} after each
 * append returns, until it is killed (or its parent goes away and stdin closes).
 */
public final class H2CrashChild {
  static final String CHAIN = "crash-chain";
  static final int TRANSACTIONS = 20;

  private H2CrashChild() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // the parent never writes; EOF means it is gone
        }
      } catch (IOException ignored) {
        // same: no parent
      }
      Runtime.getRuntime().halt(3);
    }, "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();

    TestChain chain = new TestChain(CHAIN, seed);
    try (BlockStore store = BlockStores.open("h2", chain.context(dir))) {
      long height = store.height();
      Hash previous = height == 0 ? chain.genesisHash() : store.block(height).orElseThrow().hash();
      System.out.println("OPEN " + height);
      System.out.flush();
      while (true) {
        height++;
        List<Transaction> txs = new ArrayList<>();
        List<DataEntry> writes = new ArrayList<>();
        java.util.Map<String, Long> versions = new java.util.HashMap<>();
        for (int i = 0; i < TRANSACTIONS; i++) {
          KeyPair sender = chain.users().get(i % chain.users().size());
          String key = "key-" + (height * 7 + i) % 13;
          byte[] value = ("value of " + key + " at " + height + "/" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
          Transaction tx = Transaction.sign(CHAIN, sender, height * TRANSACTIONS + i, Amount.of(1), Payload.DataWrite.of(key, value));
          txs.add(tx);
          long version = versions.computeIfAbsent(key, k -> store.current(k).map(DataEntry::version).orElse(0L)) + 1;
          versions.put(key, version);
          writes.add(new DataEntry(key, value, version, sender.accountId(), height, i, tx.id()));
        }
        Block block = chain.block(CHAIN, height, previous, txs);
        store.append(block, new StateChanges(writes, java.util.Map.of()));
        previous = block.hash();
        System.out.println("APPENDED " + height);
        System.out.flush();
      }
    }
  }
}
