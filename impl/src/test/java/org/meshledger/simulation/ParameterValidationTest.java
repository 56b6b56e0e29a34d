package org.meshledger.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.meshledger.ConfigurationException;
import org.meshledger.Spreading;
import org.meshledger.spi.SpreadingProtocols;

/** Bad parameters fail before anything runs, with a message naming the parameter and what it should be. */
class ParameterValidationTest {

  @ParameterizedTest(name = "{0} {1}={2}")
  @CsvSource(delimiter = '|', value = {
      "flooding    | delay            | -1s   | from 0ms to 1h",
      "flooding    | delay            | soon  | is not a duration; write it like 250ms",
      "flooding    | relay            | shout | must be push",
      "diffusion   | meanDelay        | 0ms   | must be above 0",
      "diffusion   | meanDelay        | 2h    | from 0ms to 1h",
      "diffusion   | trickle          | maybe | must be true or false",
      "diffusion   | inboundMeanDelay | 0     | must be above 0",
      "dandelion++ | fluffProbability | 0     | must be above 0.0 and at most 1.0",
      "dandelion++ | fluffProbability | 1.5   | must be above 0.0 and at most 1.0",
      "dandelion++ | fluffProbability | often | is not a number",
      "dandelion++ | destinations     | 0     | must be from 1 to 8",
      "dandelion++ | destinations     | two   | is not an integer",
      "dandelion++ | epochMean        | 0s    | must be above 0",
      "dandelion++ | embargoMin       | -5s   | from 0ms to 1h",
  })
  void aBadValueIsNamedWithItsRange(String protocol, String name, String value, String expected) {
    Spreading s = Spreading.of(protocol).with(name, value);
    assertThatThrownBy(() -> SpreadingProtocols.validate(s))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(protocol + ": parameter " + name + "=" + value)
        .hasMessageContaining(expected);
    // The simulator refuses it too, before building anything.
    assertThatThrownBy(() -> new Simulation(new SimulationOptions().setTopology(Topology.ring(3)).setSpreading(s)))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void anUnknownParameterListsTheKnownOnes() {
    assertThatThrownBy(() -> SpreadingProtocols.validate(Spreading.of("diffusion").with("mean", "1s")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("diffusion: unknown parameter 'mean' (known: inboundMeanDelay, meanDelay, relay, trickle)");
  }

  @Test
  void anUnknownProtocolListsTheAvailableOnes() {
    assertThatThrownBy(() -> SpreadingProtocols.validate(Spreading.of("gossipsub")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no spreading protocol called 'gossipsub'")
        .hasMessageContaining("flooding").hasMessageContaining("diffusion").hasMessageContaining("dandelion++");
  }

  @Test
  void bothEmbargoPartsZeroIsRefused() {
    assertThatThrownBy(() -> SpreadingProtocols.validate(Spreading.dandelionPlusPlus().with("embargoMin", "0s").with("embargoMean", "0s")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("embargoMin and embargoMean are both 0");
  }

  @Test
  void validParametersAreCompletedWithDefaultsAndNormalised() {
    Spreading s = SpreadingProtocols.validate(Spreading.diffusion(Duration.ofMillis(1500)).with("relay", "PUSH").with("trickle", "TRUE"));
    assertThat(s.parameters()).isEqualTo(Map.of("meanDelay", "1500ms", "relay", "push", "trickle", "true", "inboundMeanDelay", "5s"));
    assertThat(SpreadingProtocols.validate(Spreading.flooding().with("delay", "PT0.25S")).parameters()).containsEntry("delay", "250ms");
    assertThat(SpreadingProtocols.validate(Spreading.dandelionPlusPlus()).parameters())
        .containsEntry("fluffProbability", "0.1").containsEntry("destinations", "2").containsEntry("epochMean", "10m");
  }

  @Test
  void simulationOptionsAndModelsCheckTheirArguments() {
    SimulationOptions o = new SimulationOptions();
    assertThatThrownBy(() -> o.setLossProbability(1)).hasMessageContaining("loss probability must be from 0 to below 1, got 1.0");
    assertThatThrownBy(() -> o.setSpyFraction(-0.1)).hasMessageContaining("spy fraction");
    assertThatThrownBy(() -> o.setUplinkBytesPerSecond(-1)).hasMessageContaining("0 means unlimited");
    assertThatThrownBy(() -> o.setSeenCapacity(0)).hasMessageContaining("seen-cache capacity must be at least 1");
    assertThatThrownBy(() -> o.setRequestTimeout(Duration.ZERO)).hasMessageContaining("request timeout must be above 0");
    assertThatThrownBy(() -> Topology.randomRegular(9, 3)).hasMessageContaining("n * k even");
    assertThatThrownBy(() -> Topology.randomRegular(8, 8)).hasMessageContaining("k < n");
    assertThatThrownBy(() -> Topology.erdosRenyi(10, 1.5)).hasMessageContaining("0 <= p <= 1");
    assertThatThrownBy(() -> Topology.barabasiAlbert(3, 3)).hasMessageContaining("1 <= m < n");
    assertThatThrownBy(() -> Topology.edges(3, new int[][] {{0, 1}, {1, 0}})).hasMessageContaining("connected twice");
    assertThatThrownBy(() -> Topology.edges(3, new int[][] {{0, 3}})).hasMessageContaining("outside 0..2");
    assertThatThrownBy(() -> Topology.edges(3, new int[][] {{2, 2}})).hasMessageContaining("to itself");
    assertThatThrownBy(() -> LatencyModel.uniform(Duration.ofMillis(5), Duration.ofMillis(1))).hasMessageContaining("min <= max");
    assertThatThrownBy(() -> LatencyModel.constant(Duration.ofMillis(-1))).hasMessageContaining("cannot be negative");
    assertThatThrownBy(() -> LatencyModel.logNormal(Duration.ofMillis(50), -1)).hasMessageContaining("sigma");
    assertThatThrownBy(() -> LatencyModel.matrix(new Duration[][] {{Duration.ZERO}, {Duration.ZERO}}, i -> i)).hasMessageContaining("square");
    Simulation sim = new Simulation(new SimulationOptions().setTopology(Topology.ring(3)));
    assertThatThrownBy(() -> sim.publish(3)).hasMessageContaining("no node 3; nodes are 0..2");
    sim.remove(1);
    assertThatThrownBy(() -> sim.publish(1)).hasMessageContaining("node 1 is removed");
  }
}
