package org.meshledger.impl.consensus;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.meshledger.Block;
import org.meshledger.NodeId;

/**
 * How a node that fell behind gets the committed blocks it lacks instead of replaying rounds: when it hears
 * a message for a later height it asks that peer (at most once per {@code voteTimeout}) for the blocks from its
 * own height on; the peer answers with up to {@link #BATCH} certified blocks (at most twice per
 * {@code voteTimeout} per asker); blocks that arrive ahead of their turn wait here, a bounded number of them.
 */
final class CatchUp {
  /** Blocks sent in answer to one sync request. */
  static final int BATCH = 16;
  /** Blocks held for later heights. */
  static final int MAX_PENDING = 64;

  private final ConsensusConfig config;
  private final ConsensusHost host;
  private final TreeMap<Long, Block> pending = new TreeMap<>();
  private final Map<NodeId, Long> lastServed = new HashMap<>();
  private long lastRequest = Long.MIN_VALUE;

  CatchUp(ConsensusConfig config, ConsensusHost host) {
    this.config = config;
    this.host = host;
  }

  private long interval() {
    return config.parameters().voteTimeout().toMillis();
  }

  /** Keeps {@code block} if it is for a later height than {@code height}; true if it did. */
  boolean hold(Block block, long height) {
    if (block.height() <= height) {
      return false;
    }
    if (block.height() <= height + MAX_PENDING && pending.size() < MAX_PENDING) {
      pending.putIfAbsent(block.height(), block);
    }
    return true;
  }

  /** The held block for {@code height}, if any; forgets blocks below it. */
  Block take(long height) {
    pending.headMap(height, false).clear();
    return pending.remove(height);
  }

  /** Asks {@code peer}, which is ahead, for the blocks from {@code height} on. */
  void request(NodeId peer, long height) {
    long now = host.now();
    if (lastRequest == Long.MIN_VALUE || now - lastRequest >= interval()) {
      lastRequest = now;
      host.send(peer, new ConsensusMessage.SyncRequest(height));
    }
  }

  /** Answers {@code peer}'s request for the blocks from {@code from}, when this node's next height is {@code height}. */
  void serve(NodeId peer, long from, long height) {
    long now = host.now();
    Long last = lastServed.get(peer);
    if (from >= height || last != null && now - last < interval() / 2) {
      return;
    }
    if (lastServed.size() > 4 * Math.max(config.validators().size(), 64)) {
      lastServed.clear();
    }
    lastServed.put(peer, now);
    for (long h = from; h < height && h < from + BATCH; h++) {
      Block b = host.committed(h);
      if (b != null) {
        host.send(peer, new ConsensusMessage.Decision(b));
      }
    }
  }
}
