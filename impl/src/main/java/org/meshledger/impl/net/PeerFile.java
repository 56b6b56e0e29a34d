package org.meshledger.impl.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.meshledger.PeerAddress;
import org.meshledger.chain.NodeId;
import org.meshledger.impl.net.Messages.KnownPeer;

/**
 * The peers a node last reached, kept in its data directory ({@value #FILE_NAME}: one {@code <node id hex>
 * <host:port>} per line), so that a restarted node finds the network again even if its bootstrap peers are
 * gone. Blocking: called off the event loop. A damaged line is skipped, never fatal: the file is a hint.
 */
final class PeerFile {
  static final String FILE_NAME = "peers.txt";
  static final int MAX_PEERS = 256;
  private static final long MAX_BYTES = 64 * 1024;

  private PeerFile() {}

  static List<KnownPeer> load(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    List<KnownPeer> out = new ArrayList<>();
    try {
      if (Files.size(file) > MAX_BYTES) {
        Network.LOG.log(System.Logger.Level.WARNING, "ignoring " + file + ": larger than " + MAX_BYTES + " bytes");
        return out;
      }
      int bad = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] parts = line.trim().split(" ");
        try {
          if (parts.length == 2 && out.size() < MAX_PEERS) {
            out.add(new KnownPeer(NodeId.fromHex(parts[0]), PeerAddress.parse(parts[1])));
            continue;
          }
        } catch (IllegalArgumentException e) {
          // counted below
        }
        bad += line.isBlank() ? 0 : 1;
      }
      if (bad > 0) {
        Network.LOG.log(System.Logger.Level.WARNING, "skipped " + bad + " malformed lines of " + file);
      }
    } catch (NoSuchFileException e) {
      // first start
    } catch (IOException | RuntimeException e) {
      Network.LOG.log(System.Logger.Level.WARNING, "cannot read " + file + " (" + e + "); starting from the bootstrap peers");
    }
    return out;
  }

  static void save(Path dataDir, List<KnownPeer> peers) {
    Path file = dataDir.resolve(FILE_NAME);
    StringBuilder text = new StringBuilder();
    for (KnownPeer p : peers.subList(0, Math.min(peers.size(), MAX_PEERS))) {
      text.append(p.id().toHex()).append(' ').append(p.address()).append('\n');
    }
    try {
      Files.createDirectories(dataDir);
      Path tmp = Files.createTempFile(dataDir, ".peers", ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Network.LOG.log(System.Logger.Level.WARNING, "cannot write " + file + ": " + e);
    }
  }
}
