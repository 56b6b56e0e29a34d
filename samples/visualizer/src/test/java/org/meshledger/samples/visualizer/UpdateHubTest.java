package org.meshledger.samples.visualizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.meshledger.samples.visualizer.UpdateHub.Message;

/** The update stream's promises to a page: a snapshot first, numbered updates, latest wins while behind, bounded queues. */
class UpdateHubTest {
  private static JsonObject height(long h) {
    return new JsonObject().put("height", h);
  }

  @Test
  void aClientGetsASnapshotOfTheStateThenNumberedUpdates() {
    UpdateHub hub = new UpdateHub(10);
    hub.put("node:a", height(1));
    hub.event("hop:1", new JsonObject().put("from", "a"));
    UpdateHub.Client c = hub.connect(() -> {});

    List<Message> first = c.drain();
    assertThat(first).hasSize(1);
    assertThat(first.get(0).event()).isEqualTo(Message.SNAPSHOT);
    assertThat(first.get(0).seq()).isEqualTo(2);
    assertThat(first.get(0).data().getJsonObject("state").fieldNames()).as("no passing news in a snapshot").containsExactly("node:a");

    hub.put("node:b", height(5));
    hub.event("hop:2", new JsonObject().put("from", "b"));
    hub.remove("node:a");
    List<Message> next = c.drain();
    assertThat(next).extracting(Message::event).containsOnly(Message.UPDATE);
    assertThat(next).extracting(Message::seq).containsExactly(3L, 4L, 5L);
    assertThat(next.get(2).data().getValue("value")).as("a removal").isNull();
    assertThat(hub.snapshot().getJsonObject("state").fieldNames()).containsExactly("node:b");
    assertThat(c.drain()).isEmpty();
  }

  @Test
  void updatesToOneKeyMergeWhileTheClientIsBehindLatestWinsInNumberOrder() {
    UpdateHub hub = new UpdateHub(10);
    UpdateHub.Client c = hub.connect(() -> {});
    c.drain();
    hub.put("node:a", height(1));
    hub.put("node:b", height(1));
    hub.put("node:a", height(2));
    hub.put("node:a", height(3));

    List<Message> got = c.drain();
    assertThat(got).extracting(m -> m.data().getString("key")).containsExactly("node:b", "node:a");
    assertThat(got.get(1).data().getJsonObject("value").getLong("height")).isEqualTo(3);
    assertThat(got).extracting(Message::seq).containsExactly(2L, 4L).isSorted();
  }

  @Test
  void aClientTooFarBehindGetsAFreshSnapshotInsteadOfAGrowingQueue() {
    UpdateHub hub = new UpdateHub(3);
    UpdateHub.Client slow = hub.connect(() -> {});
    UpdateHub.Client quick = hub.connect(() -> {});
    slow.drain();
    quick.drain();
    for (int i = 0; i < 1000; i++) {
      hub.event("hop:" + i, new JsonObject().put("i", i));
      hub.put("node:" + (i % 5), height(i));
      assertThat(slow.pending()).isLessThanOrEqualTo(3);
      quick.drain(); // two updates behind at most: within its cap
    }
    List<Message> got = slow.drain();
    assertThat(got).hasSize(1);
    assertThat(got.get(0).event()).isEqualTo(Message.SNAPSHOT);
    assertThat(got.get(0).seq()).isEqualTo(hub.seq()).isEqualTo(2000);
    assertThat(got.get(0).data().getJsonObject("state").size()).as("5 nodes, no hops").isEqualTo(5);
    assertThat(got.get(0).data().getJsonObject("state").getJsonObject("node:4").getLong("height")).isEqualTo(999);
    assertThat(slow.snapshots()).isEqualTo(2);
    assertThat(quick.snapshots()).as("a client that keeps up is never reset").isEqualTo(1);
  }

  @Test
  void aClientIsWokenOnlyWhenItsQueueStopsBeingEmptyAndForgottenWhenClosed() {
    UpdateHub hub = new UpdateHub(10);
    AtomicInteger wakes = new AtomicInteger();
    UpdateHub.Client c = hub.connect(wakes::incrementAndGet);
    assertThat(wakes).as("woken for its snapshot").hasValue(1);
    c.drain();
    hub.put("a", height(1));
    hub.put("b", height(1));
    assertThat(wakes).hasValue(2);
    c.drain();
    hub.put("a", height(2));
    assertThat(wakes).hasValue(3);
    c.close();
    hub.put("a", height(3));
    assertThat(c.drain()).isEmpty();
    assertThat(hub.clients()).isZero();
    assertThatThrownBy(() -> new UpdateHub(0)).hasMessageContaining("maxQueued");
  }
}
