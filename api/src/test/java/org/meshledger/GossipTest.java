package org.meshledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spreading values: a gossip that exists is valid, choices and stats are complete and immutable. */
class GossipTest {

  @Test
  void aGossipIdIsTheHashOfTopicAndBodyAndIsChecked() {
    byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
    Gossip g = Gossip.of("greetings", body);
    assertThat(g.id()).isEqualTo(Gossip.idOf("greetings", body));
    assertThat(Gossip.of("other", body).id()).isNotEqualTo(g.id());
    assertThat(new Gossip(g.id(), "greetings", body)).isEqualTo(g);
    assertThatThrownBy(() -> new Gossip(g.id(), "greetings", "hellO".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not the hash of its topic and body");
    body[0] = 'j';
    assertThat(g.body()).asString(StandardCharsets.UTF_8).isEqualTo("hello");
    g.body()[0] = 'j';
    assertThat(g.body()).asString(StandardCharsets.UTF_8).isEqualTo("hello");
    assertThat(g.size()).isEqualTo(5);
    assertThat(Gossip.of("é", new byte[0]).topicSize()).isEqualTo(2);
  }

  @Test
  void topicSizeIsTheLengthOfTheUtf8Encoding() {
    for (String topic : new String[] {"tx", "é", "€uro", "\uD83D\uDE00 smile", "lone \uD83D high", "lone \uDE00 low", "end \uD83D", "\u07FF\u0800"}) {
      assertThat(Gossip.of(topic, new byte[0]).topicSize()).as(topic).isEqualTo(topic.getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void topicsAndBodiesAreBounded() {
    assertThatThrownBy(() -> Gossip.of("", new byte[1])).hasMessageContaining("gossip topic must be 1 to 128 UTF-8 bytes, got 0");
    assertThatThrownBy(() -> Gossip.of("t".repeat(129), new byte[1])).hasMessageContaining("got 129");
    assertThatThrownBy(() -> Gossip.of("t", new byte[Gossip.MAX_BODY_BYTES + 1])).hasMessageContaining("the maximum is " + Gossip.MAX_BODY_BYTES);
    assertThat(Gossip.of("t", new byte[Gossip.MAX_BODY_BYTES]).size()).isEqualTo(Gossip.MAX_BODY_BYTES);
  }

  @Test
  void aSpreadingChoiceIsANamedSortedImmutableMap() {
    Spreading s = Spreading.diffusion(Duration.ofMillis(1500)).with("relay", "push");
    assertThat(s.protocol()).isEqualTo("diffusion");
    assertThat(s.parameters()).containsExactly(Map.entry("meanDelay", "PT1.5S"), Map.entry("relay", "push"));
    assertThatThrownBy(() -> s.parameters().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> Spreading.of(" ")).hasMessageContaining("protocol name is blank");
    assertThat(Spreading.flooding()).hasToString("flooding");
  }

  @Test
  void statsListEveryKindAndRefuseNegativeCounts() {
    PropagationStats empty = PropagationStats.EMPTY;
    for (PropagationStats.Kind k : PropagationStats.Kind.values()) {
      assertThat(empty.of(k)).isEqualTo(PropagationStats.Counts.ZERO);
    }
    assertThatThrownBy(() -> new PropagationStats.Counts(-1, 0, 0, 0, 0, 0)).hasMessageContaining("cannot be negative");
  }
}
