package org.meshledger.samples.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for node processes that a test starts: a config names its ports, so they are chosen before the node runs. */
final class Ports {
  private Ports() {}

  /** The first of {@code count} consecutive ports free on loopback now, starting from one the system picks. */
  static int freeRange(int count) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int start;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        start = s.getLocalPort();
      }
      if (start + count > 65_535) {
        continue;
      }
      boolean free = true;
      for (int p = start; p < start + count && free; p++) {
        try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
          s.setReuseAddress(true);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return start;
      }
    }
    throw new IllegalStateException("no " + count + " consecutive free ports on loopback");
  }
}
