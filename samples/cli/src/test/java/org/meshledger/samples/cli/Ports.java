package org.meshledger.samples.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Ports for node processes that a test starts: a config names its ports, so they are chosen before the node runs. */
final class Ports {
  /** Where Linux hands out the local ports of outgoing connections, when the system does not say. */
  private static final int EPHEMERAL_LOW = 32_768;
  private static final int LOWEST = 10_000;

  private Ports() {}

  /**
   * The first of {@code count} consecutive ports free on loopback now. They are chosen below the range the system
   * hands out to outgoing connections: a port chosen there (as the system's own pick of a free port is) could be
   * taken by any connection a process opens between the check and the node's bind, which made a node fail to
   * start with "address already in use".
   */
  static int freeRange(int count) throws IOException {
    int high = ephemeralLow() - count;
    for (int attempt = 0; attempt < 50; attempt++) {
      int start = ThreadLocalRandom.current().nextInt(LOWEST, high);
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
    throw new IllegalStateException("no " + count + " consecutive free ports on loopback from " + LOWEST + " to " + high);
  }

  /** The lowest port of the system's range for outgoing connections (Linux); 32768 elsewhere. */
  private static int ephemeralLow() {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    try {
      int low = Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]);
      return Math.max(LOWEST + 1_000, low);
    } catch (IOException | RuntimeException e) {
      return EPHEMERAL_LOW;
    }
  }
}
