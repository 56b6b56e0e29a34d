package org.meshledger.samples.visualizer;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The page's update stream, independent of HTTP: the current state by key (a node, the chain panel) and a queue per
 * client. A client first gets a snapshot of the state, then numbered updates. Its queue holds at most one update per
 * key: a newer update to a key replaces the older one (latest wins) while the client is behind. If a client falls
 * further behind than {@code maxQueued} keys, its queue is dropped and its next message is a fresh snapshot, so a slow
 * or long-open tab costs a bounded amount of memory and a reconnecting one a small snapshot.
 *
 * <p>Two kinds of update: {@link #put} and {@link #remove} change the state (and so the next snapshot);
 * {@link #event} is passing news (a gossip hop) that no snapshot repeats, so the snapshot holds no history.
 *
 * <p>Numbering: every update gets the next number of one sequence; a snapshot carries the number of the last update
 * it includes. A client sees numbers that only increase; a gap means updates merged or replaced by a snapshot.
 *
 * <p>Thread-safe: nodes' threads publish, the web server's event loop drains. A client's {@code ready} callback runs
 * on the publishing thread, outside the hub's lock, when its queue goes from empty to not empty; it must not block.
 */
final class UpdateHub {
  /** What a client is sent: a snapshot or an update, with its number and body. */
  record Message(String event, long seq, JsonObject data) {
    static final String SNAPSHOT = "snapshot";
    static final String UPDATE = "update";
  }

  private final int maxQueued;
  private final Map<String, JsonObject> state = new LinkedHashMap<>();
  private final List<Client> clients = new ArrayList<>();
  private long seq;

  /** @param maxQueued the most updates a client may have waiting before it is sent a snapshot instead */
  UpdateHub(int maxQueued) {
    if (maxQueued < 1) {
      throw new IllegalArgumentException("maxQueued must be at least 1, got " + maxQueued);
    }
    this.maxQueued = maxQueued;
  }

  /** Sets {@code key}'s state to {@code value} and tells every client. */
  void put(String key, JsonObject value) {
    publish(key, Objects.requireNonNull(value, "value"), true);
  }

  /** Removes {@code key} from the state and tells every client (an update whose value is null). */
  void remove(String key) {
    publish(key, null, true);
  }

  /** Tells every client of passing news under {@code key}; the state and so the snapshots do not keep it. */
  void event(String key, JsonObject value) {
    publish(key, Objects.requireNonNull(value, "value"), false);
  }

  /** The number of the last update published. */
  synchronized long seq() {
    return seq;
  }

  /** The state as a snapshot would send it now. */
  synchronized JsonObject snapshot() {
    JsonObject s = new JsonObject();
    state.forEach(s::put);
    return new JsonObject().put("seq", seq).put("state", s);
  }

  /** A new client, whose first message is a snapshot; {@code ready} is called when it has something to drain. */
  Client connect(Runnable ready) {
    Client c = new Client(Objects.requireNonNull(ready, "ready"));
    synchronized (this) {
      clients.add(c);
    }
    ready.run();
    return c;
  }

  private void publish(String key, JsonObject value, boolean retained) {
    Objects.requireNonNull(key, "key");
    List<Runnable> wake = new ArrayList<>();
    synchronized (this) {
      long n = ++seq;
      if (retained) {
        if (value == null) {
          state.remove(key);
        } else {
          state.put(key, value);
        }
      }
      JsonObject body = new JsonObject().put("seq", n).put("key", key).put("value", value);
      for (Client c : clients) {
        if (c.offer(key, new Message(Message.UPDATE, n, body))) {
          wake.add(c.ready);
        }
      }
    }
    wake.forEach(Runnable::run);
  }

  /** One client's queue. */
  final class Client {
    private final Runnable ready;
    private final LinkedHashMap<String, Message> pending = new LinkedHashMap<>();
    private boolean needsSnapshot = true;
    private long snapshots;
    private boolean closed;

    private Client(Runnable ready) {
      this.ready = ready;
    }

    /** Queues an update under the hub's lock; true if the client should be woken. */
    private boolean offer(String key, Message m) {
      if (closed || needsSnapshot) {
        return false; // the coming snapshot includes it, or it is passing news a snapshot skips
      }
      boolean wasEmpty = pending.isEmpty();
      pending.remove(key); // latest wins, and takes its place at the end so numbers stay in order
      pending.put(key, m);
      if (pending.size() > maxQueued) {
        pending.clear();
        needsSnapshot = true;
      }
      return wasEmpty;
    }

    /** Everything waiting, in order: a snapshot first if one is due. Empties the queue. */
    List<Message> drain() {
      synchronized (UpdateHub.this) {
        List<Message> out = new ArrayList<>(pending.size() + 1);
        if (closed) {
          return out;
        }
        if (needsSnapshot) {
          needsSnapshot = false;
          snapshots++;
          out.add(new Message(Message.SNAPSHOT, seq, snapshot()));
        }
        out.addAll(pending.values());
        pending.clear();
        return out;
      }
    }

    /** Updates waiting now. */
    int pending() {
      synchronized (UpdateHub.this) {
        return pending.size();
      }
    }

    /** Snapshots sent so far: the first, and one each time the client fell too far behind. */
    long snapshots() {
      synchronized (UpdateHub.this) {
        return snapshots;
      }
    }

    /** Stops queueing for this client and forgets it. */
    void close() {
      synchronized (UpdateHub.this) {
        closed = true;
        pending.clear();
        clients.remove(this);
      }
    }
  }

  /** Clients connected now. */
  synchronized int clients() {
    return clients.size();
  }
}
