package org.meshledger.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshledger.Gossip;
import org.meshledger.PropagationStats.Kind;
import org.meshledger.Propagator;
import org.meshledger.Spreading;

/** What a host sees: its protocol, pub/sub by topic, and the statistics. */
class PropagatorTest {

  @Test
  void subscribersGetMessagesOfTheirTopicOnceAndThePublisherDoesNotHearItsOwn() {
    Simulation sim = new Simulation(new SimulationOptions().setSeed(7).setTopology(Topology.randomRegular(50, 4))
        .setSpreading(Spreading.dandelionPlusPlus()));
    Propagator alice = sim.propagator(0);
    Propagator bob = sim.propagator(17);
    List<String> bobGot = new ArrayList<>();
    List<String> aliceGot = new ArrayList<>();
    Propagator.Subscription sub = bob.subscribe("prices", g -> bobGot.add(new String(g.body(), StandardCharsets.UTF_8)));
    alice.subscribe("prices", g -> aliceGot.add(new String(g.body(), StandardCharsets.UTF_8)));

    Gossip first = alice.publish("prices", "EUR 1.08".getBytes(StandardCharsets.UTF_8));
    alice.publish("weather", "rain".getBytes(StandardCharsets.UTF_8));
    sim.run();
    sub.close();
    alice.publish("prices", "EUR 1.09".getBytes(StandardCharsets.UTF_8));
    sim.run();

    assertThat(bobGot).containsExactly("EUR 1.08");
    assertThat(aliceGot).isEmpty();
    assertThat(first.id()).isEqualTo(Gossip.idOf("prices", "EUR 1.08".getBytes(StandardCharsets.UTF_8)));
    assertThat(bob.spreading().protocol()).isEqualTo("dandelion++");
    assertThat(bob.parameters()).containsEntry("fluffProbability", "0.1");
    assertThat(alice.stats().of(Kind.STEM).sent()).as("Dandelion++ stems its own messages").isEqualTo(3);
    assertThat(bob.stats().of(Kind.ANNOUNCE).received() + bob.stats().of(Kind.PAYLOAD).received()).isPositive();
  }
}
