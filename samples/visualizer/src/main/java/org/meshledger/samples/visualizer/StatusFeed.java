package org.meshledger.samples.visualizer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.meshledger.Gossip;
import org.meshledger.Node;
import org.meshledger.NodeStatus;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Receipt;
import org.meshledger.testing.SpreadTrace;

/**
 * What the page shows, read from the nodes and put into the {@link UpdateHub}: each node's status
 * ({@code node:NAME}: role, life, height, sync progress, peers, quorum, rewards, whether its ledger holds the last
 * transaction) a few times a second, sent only when it changed; the chain panel ({@code chain}); each transaction made
 * final ({@code tx}); and each hop of a message the page published ({@code hop:N}, passing news that no snapshot
 * repeats).
 */
final class StatusFeed {
  static final long POLL_MILLIS = 300;
  static final long BALANCE_MILLIS = 2000;

  private final DemoNetwork net;
  private final UpdateHub hub;
  private final Map<String, JsonObject> last = new HashMap<>(); // on the timer's thread
  private final Map<String, Long> published = new ConcurrentHashMap<>(); // gossip id hex -> publish time
  private final AtomicLong hops = new AtomicLong();
  private final AtomicLong messages = new AtomicLong();
  private volatile LastTx lastTx; // null before the first
  /** Per node name, the last transaction its ledger was found to hold (a lookup by id), and the lookups under way. */
  private final Map<String, Hash> holds = new ConcurrentHashMap<>();
  private final Set<String> lookingUp = ConcurrentHashMap.newKeySet();
  private long pollTimer = -1;
  private long balanceTimer = -1;

  StatusFeed(DemoNetwork net, UpdateHub hub) {
    this.net = net;
    this.hub = hub;
    net.load().onCommit(this::committed);
    net.trace(this::frame);
  }

  void start() {
    pollTimer = net.vertx().setPeriodic(POLL_MILLIS, t -> poll());
    balanceTimer = net.vertx().setPeriodic(BALANCE_MILLIS, t -> balances());
    poll();
  }

  void stop() {
    net.vertx().cancelTimer(pollTimer);
    net.vertx().cancelTimer(balanceTimer);
  }

  /**
   * Publishes a message on the demo's topic from a random node and animates its frames; its id, or empty. Each message
   * is new (numbered), since nodes drop one they have seen; its id is known before it is published, because the node
   * sends its first frame on its own thread, which may come before {@code publish} returns here.
   */
  String publishGossip() {
    return net.anyRunning().map(m -> {
      byte[] body = ("hello " + messages.incrementAndGet() + " from " + m.name).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      String id = Gossip.idOf(DemoNetwork.GOSSIP_TOPIC, body).toHex();
      if (published.size() > 32) {
        published.clear(); // only recent messages are animated
      }
      published.put(id, System.nanoTime());
      hub.event("hop:" + hops.incrementAndGet(), new JsonObject().put("gossip", id.substring(0, 12)).put("kind", "publish")
          .put("from", m.name).put("to", m.name).put("ms", 0));
      m.node.propagator().publish(DemoNetwork.GOSSIP_TOPIC, body);
      return id;
    }).orElse("");
  }

  /** A trace frame from a node's thread: the hops of the page's own messages, as each sender reports them. */
  private void frame(SpreadTrace.Frame f) {
    if (f.direction() != SpreadTrace.Direction.SENT) {
      return;
    }
    Long at = published.get(f.gossip().toHex());
    if (at == null) {
      return; // the nodes' own gossip (transactions) is not animated
    }
    hub.event("hop:" + hops.incrementAndGet(), new JsonObject().put("gossip", f.gossip().toHex().substring(0, 12))
        .put("kind", f.kind().name().toLowerCase(java.util.Locale.ROOT)).put("from", net.nameOf(f.from())).put("to", net.nameOf(f.to()))
        .put("ms", (System.nanoTime() - at) / 1_000_000));
  }

  /** The last transaction the page's buttons or load made final: the page shows which nodes hold it. */
  private record LastTx(Hash id, long height) {
    String shortId() {
      return id.toHex().substring(0, 12);
    }
  }

  private void committed(Receipt r) {
    LastTx tx = new LastTx(r.transaction().id(), r.height());
    lastTx = tx;
    hub.put("tx", new JsonObject().put("id", tx.shortId()).put("height", r.height()).put("committed", net.load().committed()));
  }

  /**
   * Whether node {@code m} holds {@code tx}: its ledger answered a lookup of the transaction's id with a receipt. The
   * lookup is asked once the node's height reaches the transaction's, one at a time per node, and its answer shows
   * at the next poll.
   */
  private boolean holdsLastTx(Member m, Node n, long height, LastTx tx) {
    if (tx == null) {
      return false;
    }
    if (tx.id().equals(holds.get(m.name))) {
      return true;
    }
    if (m.running() && height >= tx.height() && lookingUp.add(m.name)) {
      try {
        n.ledger().receipt(tx.id()).onComplete(r -> {
          if (r.succeeded() && r.result().isPresent()) {
            holds.put(m.name, tx.id());
          }
          lookingUp.remove(m.name);
        });
      } catch (RuntimeException e) {
        lookingUp.remove(m.name); // the node stopped meanwhile: asked again at a later poll if it comes back
      }
    }
    return false;
  }

  /** Node {@code m}'s view, as the page draws it. */
  JsonObject nodeJson(Member m) {
    JsonObject j = new JsonObject().put("name", m.name).put("role", m.role()).put("life", m.life.name().toLowerCase(java.util.Locale.ROOT))
        .put("balance", m.balance).put("partitionBlocked", m.filter.blocked().size());
    Node n = m.node;
    if (n == null || m.life == Member.Life.DELETED || m.life == Member.Life.SPARE) {
      return j.put("height", 0).put("peers", new JsonArray());
    }
    NodeStatus s = n.status();
    JsonArray peers = new JsonArray();
    s.peers().stream().map(p -> net.nameOf(p.id())).sorted().forEach(peers::add);
    return j.put("height", s.height()).put("target", s.progress().target()).put("catchingUp", s.progress().catchingUp())
        .put("caughtUpFrom", m.caughtUpFrom)
        .put("sync", s.sync().name()).put("quorum", s.quorum().reached()).put("reachable", s.quorum().reachable())
        .put("needed", s.quorum().needed()).put("peers", peers).put("mempool", s.mempool())
        .put("hasLastTx", holdsLastTx(m, n, s.height(), lastTx)).put("service", s.service().isPresent());
  }

  private void poll() {
    long height = 0;
    boolean quorum = false;
    int running = 0;
    for (Member m : net.members()) {
      if (m.life == Member.Life.SPARE) {
        continue;
      }
      String key = "node:" + m.name;
      if (m.life == Member.Life.DELETED) {
        if (last.remove(key) != null) {
          hub.remove(key);
        }
        continue;
      }
      JsonObject j = nodeJson(m);
      if (m.running()) {
        running++;
        height = Math.max(height, j.getLong("height"));
        quorum |= m.validator && j.getBoolean("quorum", false) && "IN_SYNC".equals(j.getString("sync"));
      }
      if (!j.equals(last.get(key))) {
        last.put(key, j);
        hub.put(key, j);
      }
    }
    LastTx tx = lastTx;
    JsonObject chain = new JsonObject().put("height", height).put("committed", net.load().committed()).put("submitted", net.load().submitted())
        .put("failed", net.load().failed()).put("quorum", quorum).put("protocol", net.protocol()).put("partitioned", net.partitioned())
        .put("load", net.load().perSecond()).put("running", running).put("lastTx", tx == null ? "" : tx.shortId())
        .put("lastTxHeight", tx == null ? 0 : tx.height());
    if (!chain.equals(last.get("chain"))) {
      last.put("chain", chain);
      hub.put("chain", chain);
    }
  }

  private void balances() {
    for (Member m : List.copyOf(net.members())) {
      Node n = m.node;
      if (m.running() && m.validator) {
        try {
          n.ledger().account(m.key.accountId()).onSuccess(a -> m.balance = a.balance().units());
        } catch (RuntimeException e) {
          // the node stopped between the check and the call: its balance shows as last read
        }
      }
    }
  }
}
