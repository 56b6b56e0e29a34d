package org.meshledger.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.ConfigurationException;

class NodeConfigTest {
  @TempDir
  Path dir;

  private NodeConfig sample() {
    return new NodeConfig("node0", dir.resolve("node.key"), dir.resolve("genesis.json"), dir.resolve("data"), "0.0.0.0", 7001,
        Optional.of("10.0.0.1"), List.of("10.0.0.2:7001", "10.0.0.3:7001"), "127.0.0.1", 7002, Optional.empty(), Duration.ofSeconds(30));
  }

  private Path write(String json) throws Exception {
    Path f = dir.resolve("node.json");
    Files.writeString(f, json);
    return f;
  }

  private JsonObject sampleJson() {
    return sample().toJson(dir);
  }

  @Test
  void aWrittenConfigReadsBackTheSameWithPathsRelativeToItsDirectory() throws Exception {
    JsonObject json = sampleJson();
    assertThat(json.getString("keyFile")).isEqualTo("node.key"); // the directory moves to its host whole
    assertThat(NodeConfig.read(write(json.encodePrettily()))).isEqualTo(sample());
  }

  @Test
  void theOptionsCarryListenerPeersAndAdvertisedHost() {
    var o = sample().options();
    assertThat(o.getListenPort()).isEqualTo(7001);
    assertThat(o.getPeers()).containsExactly("10.0.0.2:7001", "10.0.0.3:7001");
    assertThat(o.getAdvertisedHost()).isEqualTo("10.0.0.1");
    assertThat(o.getDataDir()).isEqualTo(dir.resolve("data"));
  }

  @Test
  void anUnknownFieldIsNamedWithTheKnownOnes() throws Exception {
    JsonObject json = sampleJson();
    json.getJsonObject("http").put("prot", 1);
    assertThatThrownBy(() -> NodeConfig.read(write(json.encode()))).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("field 'http.prot' is not a known field").hasMessageContaining("port");
  }

  @Test
  void aMissingOrMistypedFieldIsNamed() throws Exception {
    JsonObject noPort = sampleJson();
    noPort.getJsonObject("p2p").remove("port");
    assertThatThrownBy(() -> NodeConfig.read(write(noPort.encode()))).hasMessageContaining("field 'p2p.port' is missing");
    JsonObject badPort = sampleJson();
    badPort.getJsonObject("p2p").put("port", 70000);
    assertThatThrownBy(() -> NodeConfig.read(write(badPort.encode()))).hasMessageContaining("field 'p2p.port' must be 0 to 65535, got 70000");
    JsonObject badPeer = sampleJson();
    badPeer.getJsonObject("p2p").getJsonArray("peers").add("no-port-here");
    assertThatThrownBy(() -> NodeConfig.read(write(badPeer.encode()))).hasMessageContaining("field 'p2p.peers[2]' is invalid");
    JsonObject name = sampleJson().put("name", 5);
    assertThatThrownBy(() -> NodeConfig.read(write(name.encode()))).hasMessageContaining("field 'name' must be a string");
  }

  @Test
  void malformedJsonSaysWhereAndAMissingFileSaysSo() throws Exception {
    Path f = write("{\n  \"format\": \"meshledger-node-config\",\n  \"version\": 1,,\n}");
    assertThatThrownBy(() -> NodeConfig.read(f)).isInstanceOf(ConfigurationException.class).hasMessageContaining("is not a JSON object")
        .hasMessageContaining("(line 3, column");
    assertThatThrownBy(() -> NodeConfig.read(dir.resolve("absent.json"))).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("absent.json does not exist");
  }

  @Test
  void anOversizedFileIsRefusedBeforeItIsRead() throws Exception {
    Path f = dir.resolve("big.json");
    Files.write(f, new byte[(int) NodeConfig.MAX_FILE_BYTES + 1]);
    assertThatThrownBy(() -> NodeConfig.read(f)).isInstanceOf(ConfigurationException.class).hasMessageContaining("bytes");
  }

  @Test
  void anApiOnAnotherInterfaceThanLoopbackNeedsATokenFile() throws Exception {
    JsonObject open = sampleJson();
    open.getJsonObject("http").put("host", "0.0.0.0");
    assertThatThrownBy(() -> NodeConfig.read(write(open.encode()))).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("field 'http.host'").hasMessageContaining("needs a token");
    open.getJsonObject("http").put("tokenFile", "api.token");
    NodeConfig guarded = NodeConfig.read(write(open.encode()));
    assertThat(guarded.tokenFile()).contains(dir.resolve("api.token"));
    assertThat(guarded.httpLoopback()).isFalse();
  }

  @Test
  void theFormatAndVersionAreChecked() throws Exception {
    assertThatThrownBy(() -> NodeConfig.read(write(sampleJson().put("format", "meshledger-genesis").encode())))
        .hasMessageContaining("field 'format' must be \"meshledger-node-config\"");
    assertThatThrownBy(() -> NodeConfig.read(write(sampleJson().put("version", 2).encode()))).hasMessageContaining("field 'version' must be 1");
  }
}
