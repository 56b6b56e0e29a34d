package org.meshledger.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestnetPlanTest {
  @Test
  void nodesOnOneHostNeverShareAPort() {
    TestnetPlan plan = TestnetPlan.of(10, List.of("127.0.0.1"), 7001);
    Set<Integer> ports = new HashSet<>();
    for (TestnetPlan.Slot s : plan.slots()) {
      assertThat(ports.add(s.p2pPort())).as("p2p port of %s", s.name()).isTrue();
      assertThat(ports.add(s.httpPort())).as("http port of %s", s.name()).isTrue();
    }
    assertThat(plan.slots().get(0)).isEqualTo(new TestnetPlan.Slot("node0", "127.0.0.1", 7001, 7002));
    assertThat(plan.slots().get(9)).isEqualTo(new TestnetPlan.Slot("node9", "127.0.0.1", 7019, 7020));
  }

  @Test
  void nodesOnDistinctHostsUseTheSamePortsAndDialEachOtherThere() {
    TestnetPlan plan = TestnetPlan.of(4, List.of("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"), 26656);
    assertThat(plan.slots()).extracting(TestnetPlan.Slot::p2pPort).containsOnly(26656);
    assertThat(plan.slots()).extracting(TestnetPlan.Slot::httpPort).containsOnly(26657);
    assertThat(plan.peersOf(0)).containsExactly("10.0.0.2:26656", "10.0.0.3:26656", "10.0.0.4:26656");
  }

  @Test
  void moreNodesThanHostsTakeTurnsAndShareAHostOnDistinctPorts() {
    TestnetPlan plan = TestnetPlan.of(5, List.of("a.example", "b.example"), 9000);
    assertThat(plan.slots()).extracting(TestnetPlan.Slot::host).containsExactly("a.example", "b.example", "a.example", "b.example", "a.example");
    assertThat(plan.slots()).extracting(TestnetPlan.Slot::p2pPort).containsExactly(9000, 9000, 9002, 9002, 9004);
    Set<String> addresses = new HashSet<>();
    plan.slots().forEach(s -> assertThat(addresses.add(s.p2pAddress())).isTrue());
  }

  @Test
  void anIpv6HostIsBracketedInPeerAddresses() {
    assertThat(TestnetPlan.of(2, List.of("::1"), 7001).peersOf(0)).containsExactly("[::1]:7003");
  }

  @Test
  void portsPast65535AndBadCountsAreRefusedWithTheFix() {
    assertThatThrownBy(() -> TestnetPlan.of(3, List.of("127.0.0.1"), 65_531)).hasMessageContaining("past 65535")
        .hasMessageContaining("lower --base-port");
    assertThatThrownBy(() -> TestnetPlan.of(0, List.of("127.0.0.1"), 7001)).hasMessageContaining("--nodes must be 1 to 256");
    assertThatThrownBy(() -> TestnetPlan.of(2, List.of("h", " "), 7001)).hasMessageContaining("empty entry");
  }
}
