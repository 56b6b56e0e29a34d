package org.meshledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Options check each value at the setter with a message naming it; the builder refuses incomplete nodes. */
class NodeOptionsTest {

  @Test
  void settersRejectOutOfRangeValuesNamingTheOption() {
    NodeOptions o = new NodeOptions();
    assertThatThrownBy(() -> o.setListenPort(70_000)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listenPort");
    assertThatThrownBy(() -> o.setTargetOutbound(0)).hasMessageContaining("targetOutbound");
    assertThatThrownBy(() -> o.setMaxInbound(-1)).hasMessageContaining("maxInbound");
    assertThatThrownBy(() -> o.setIdleTimeout(Duration.ofMillis(1))).hasMessageContaining("idleTimeout");
    assertThatThrownBy(() -> o.setHandshakeTimeout(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("handshakeTimeout");
    assertThatThrownBy(() -> o.setMaxFrameBytes(10)).hasMessageContaining("maxFrameBytes");
    assertThatThrownBy(() -> o.setStorage(" ")).hasMessageContaining("storage");
    assertThatThrownBy(() -> o.addPeer("no-port")).hasMessageContaining("no-port");
    assertThatThrownBy(() -> o.setMempoolTransactions(0)).hasMessageContaining("mempoolTransactions");
    assertThatThrownBy(() -> o.setMinimumFee(-1)).hasMessageContaining("minimumFee");
    assertThatThrownBy(() -> o.setMempoolMaxAge(Duration.ZERO)).hasMessageContaining("mempoolMaxAge");
    assertThatThrownBy(() -> o.setAdvertisedHost("ho st")).hasMessageContaining("ho st");
    assertThatThrownBy(() -> o.setPeerExchangeInterval(Duration.ofDays(2))).hasMessageContaining("peerExchangeInterval");
    assertThatThrownBy(() -> o.setBanThreshold(0)).hasMessageContaining("banThreshold");
    assertThatThrownBy(() -> o.setBanDuration(Duration.ofMillis(5))).hasMessageContaining("banDuration");
    assertThatThrownBy(() -> o.setSubmitTimeout(Duration.ofMillis(9))).hasMessageContaining("submitTimeout").hasMessageContaining("PT0.009S");
    assertThatThrownBy(() -> o.setSubmitTimeout(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("submitTimeout");
  }

  @Test
  void validateCatchesOptionsThatDisagree() {
    NodeOptions o = new NodeOptions().setKeepAliveInterval(Duration.ofSeconds(5)).setIdleTimeout(Duration.ofSeconds(5));
    assertThatThrownBy(o::validate).isInstanceOf(ConfigurationException.class).hasMessageContaining("keepAliveInterval");
    NodeOptions r = new NodeOptions().setReconnectMin(Duration.ofSeconds(10)).setReconnectMax(Duration.ofSeconds(1));
    assertThatThrownBy(r::validate).isInstanceOf(ConfigurationException.class).hasMessageContaining("reconnectMin");
  }

  @Test
  void copyIsIndependent() {
    NodeOptions a = new NodeOptions().setDataDir(Path.of("x")).addPeer("10.0.0.2:7001").setListenPort(0)
        .setAdvertisedHost(" ledger.carrier.example ").setBanThreshold(50).setBanDuration(Duration.ofHours(1))
        .setPeerExchangeInterval(Duration.ofMinutes(2)).setMempoolMaxAge(Duration.ofMinutes(1)).setMinimumFee(3).setMempoolTransactions(7)
        .setSubmitTimeout(Duration.ofSeconds(5));
    NodeOptions b = new NodeOptions(a);
    a.setSubmitTimeout(Duration.ofSeconds(9));
    a.addPeer("10.0.0.3:7001").setListenPort(9).setAdvertisedHost(null).setBanThreshold(1);
    assertThat(b.getAdvertisedHost()).isEqualTo("ledger.carrier.example");
    assertThat(b.getBanThreshold()).isEqualTo(50);
    assertThat(b.getBanDuration()).isEqualTo(Duration.ofHours(1));
    assertThat(b.getPeerExchangeInterval()).isEqualTo(Duration.ofMinutes(2));
    assertThat(b.getMempoolMaxAge()).isEqualTo(Duration.ofMinutes(1));
    assertThat(b.getMinimumFee()).isEqualTo(3);
    assertThat(b.getMempoolTransactions()).isEqualTo(7);
    assertThat(b.getSubmitTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(new NodeOptions().getSubmitTimeout()).isEqualTo(NodeOptions.DEFAULT_SUBMIT_TIMEOUT).isEqualTo(Duration.ofSeconds(60));
    assertThat(b.getPeers()).containsExactly("10.0.0.2:7001");
    assertThat(b.getListenPort()).isZero();
    assertThat(b.getDataDir()).isEqualTo(Path.of("x"));
  }

  @Test
  void peerAddressesParseHostsAndBracketedIpv6() {
    assertThat(PeerAddress.parse(" node-1.example.org:7001 ")).isEqualTo(new PeerAddress("node-1.example.org", 7001));
    assertThat(PeerAddress.parse("[::1]:7001")).isEqualTo(new PeerAddress("::1", 7001));
    assertThat(new PeerAddress("::1", 7001)).hasToString("[::1]:7001");
    for (String bad : List.of("", "host", ":7001", "host:0", "host:99999", "host:x", "::1:7001", "[::1]7001", "ho st:1", "h/x:1")) {
      assertThatThrownBy(() -> PeerAddress.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void builderNamesWhatIsMissing() {
    assertThatThrownBy(() -> Node.builder().build()).isInstanceOf(ConfigurationException.class).hasMessageContaining("genesis");
  }
}
