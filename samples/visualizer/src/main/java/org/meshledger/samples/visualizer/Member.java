package org.meshledger.samples.visualizer;

import java.nio.file.Path;
import java.util.Objects;
import org.meshledger.Node;
import org.meshledger.crypto.KeyPair;
import org.meshledger.testing.LinkFilter;

/**
 * One member of the demo's genesis and the node that runs as it, if any. The slot outlives its node: a killed
 * validator keeps its data directory and comes back with it; a deleted node's directory is gone and its slot is
 * retired. Changed on the demo's control thread; read by the status poller, hence the volatile fields.
 */
final class Member {
  /** Where a member is in its life, as the page shows it. */
  enum Life {
    SPARE, STARTING, RUNNING, KILLED, DELETED
  }

  final String name;
  final KeyPair key;
  final boolean validator;
  final Path dataDir;
  /** This node's side of a partition: which peers it may link to. */
  final LinkFilter filter = new LinkFilter();
  volatile Node node;
  volatile Life life = Life.SPARE;
  /** The port it listens on: kept across restarts, so its address in peers' books stays right. */
  volatile int port;
  /** The balance of its account: everything it earned, as nodes start with none. */
  volatile long balance;
  /** Restarted or added while the network ran: the headless summary checks these caught up. */
  volatile boolean rejoined;
  /**
   * The height at which this node, since it last started, began catching up (from its sync progress events), or -1:
   * a short catch-up may finish between two status polls, and the page still shows that it happened.
   */
  volatile long caughtUpFrom = -1;

  Member(String name, KeyPair key, boolean validator, Path dataDir) {
    this.name = Objects.requireNonNull(name, "name");
    this.key = Objects.requireNonNull(key, "key");
    this.validator = validator;
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
  }

  /** A sync progress event from the node's context: the first one that says it is catching up is remembered. */
  void progress(org.meshledger.SyncProgress p) {
    if (p.catchingUp() && caughtUpFrom < 0) {
      caughtUpFrom = p.height();
    }
  }

  boolean running() {
    return life == Life.RUNNING && node != null;
  }

  String role() {
    return validator ? "validator" : "follower";
  }
}
