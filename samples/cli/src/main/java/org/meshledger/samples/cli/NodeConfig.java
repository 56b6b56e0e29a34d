package org.meshledger.samples.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.meshledger.ConfigurationException;
import org.meshledger.NodeOptions;
import org.meshledger.PeerAddress;

/**
 * A standalone node's configuration file ({@code node.json}, format {@value #FORMAT}): where its key, genesis and
 * data live, where it listens for peers and for operators, and whom it dials first. Relative paths are taken
 * from the directory of the file, so a node directory can be moved or copied to another host whole.
 *
 * @param name a label for logs and status
 * @param keyFile the node's key file ({@code keygen})
 * @param genesisFile the network's genesis
 * @param dataDir where the node's store lives
 * @param p2pHost the interface the node listens on for peers
 * @param p2pPort the peer port
 * @param advertisedHost the host other nodes dial to reach this one, if not the listen host
 * @param peers bootstrap peers, {@code host:port}
 * @param httpHost the interface of the operator API; a loopback address unless a token guards it
 * @param httpPort the operator API's port
 * @param tokenFile the file holding the bearer token of the operator API, if any
 * @param submitTimeout how long a submit waits for its transaction to be final
 */
public record NodeConfig(String name, Path keyFile, Path genesisFile, Path dataDir, String p2pHost, int p2pPort,
    Optional<String> advertisedHost, List<String> peers, String httpHost, int httpPort, Optional<Path> tokenFile, Duration submitTimeout) {
  public static final String FORMAT = "meshledger-node-config";
  public static final int VERSION = 1;
  /** A configuration file is a few hundred bytes; anything past this is not one. */
  static final long MAX_FILE_BYTES = 1024 * 1024;

  public NodeConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(genesisFile, "genesisFile");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(p2pHost, "p2pHost");
    Objects.requireNonNull(advertisedHost, "advertisedHost");
    peers = List.copyOf(peers);
    Objects.requireNonNull(httpHost, "httpHost");
    Objects.requireNonNull(tokenFile, "tokenFile");
    Objects.requireNonNull(submitTimeout, "submitTimeout");
  }

  /** The node options this configuration gives: data directory, peer listener, advertised host, peers, submit timeout. */
  public NodeOptions options() {
    NodeOptions o = new NodeOptions().setDataDir(dataDir).setListenHost(p2pHost).setListenPort(p2pPort).setPeers(peers)
        .setSubmitTimeout(submitTimeout);
    advertisedHost.ifPresent(o::setAdvertisedHost);
    return o;
  }

  /** True if the operator API listens on a loopback address only (no token needed). */
  public boolean httpLoopback() {
    return loopback(httpHost);
  }

  static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Reads and checks {@code file}.
   *
   * @throws ConfigurationException naming the file and the field, for a missing or oversized file, malformed JSON, an
   *     unknown or missing field, a value out of range, or a non-loopback operator API without a token file
   */
  public static NodeConfig read(Path file) {
    String text;
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new ConfigurationException("config file " + file + " is " + size + " bytes; a node config is a few hundred");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("config file " + file + " does not exist (testnet writes one per node; see docs/operations.md)", e);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(text, "config file " + file, base);
  }

  static NodeConfig parse(String text, String source, Path base) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (RuntimeException e) {
      throw new ConfigurationException(source + " is not a JSON object: " + where(e), e);
    }
    JsonFields f = new JsonFields(source);
    f.only(json, "", Set.of("format", "version", "name", "keyFile", "genesisFile", "dataDir", "p2p", "http", "submitTimeoutMs"));
    if (!FORMAT.equals(json.getValue("format"))) {
      throw f.error("format", "must be \"" + FORMAT + "\"");
    }
    if (!Integer.valueOf(VERSION).equals(json.getValue("version"))) {
      throw f.error("version", "must be " + VERSION);
    }
    String name = f.string(json, "name", "name");
    Path keyFile = base.resolve(f.string(json, "keyFile", "keyFile"));
    Path genesisFile = base.resolve(f.string(json, "genesisFile", "genesisFile"));
    Path dataDir = base.resolve(f.string(json, "dataDir", "dataDir"));

    JsonObject p2p = f.object(json.getValue("p2p"), "p2p");
    f.only(p2p, "p2p.", Set.of("host", "port", "advertisedHost", "peers"));
    String p2pHost = p2p.containsKey("host") ? f.string(p2p, "host", "p2p.host") : NodeOptions.DEFAULT_LISTEN_HOST;
    int p2pPort = f.port(p2p, "port", "p2p.port");
    Optional<String> advertised = p2p.containsKey("advertisedHost") ? Optional.of(f.string(p2p, "advertisedHost", "p2p.advertisedHost"))
        : Optional.empty();
    List<String> peers = new ArrayList<>();
    JsonArray peersJson = p2p.containsKey("peers") ? f.array(p2p, "peers", "p2p.peers") : new JsonArray();
    for (int i = 0; i < peersJson.size(); i++) {
      String at = "p2p.peers[" + i + "]";
      Object v = peersJson.getValue(i);
      if (!(v instanceof String s)) {
        throw f.error(at, "must be a string host:port");
      }
      peers.add(f.check(at, () -> PeerAddress.parse(s).toString()));
    }

    JsonObject http = f.object(json.getValue("http"), "http");
    f.only(http, "http.", Set.of("host", "port", "tokenFile"));
    String httpHost = http.containsKey("host") ? f.string(http, "host", "http.host") : "127.0.0.1";
    int httpPort = f.port(http, "port", "http.port");
    Optional<Path> tokenFile = http.containsKey("tokenFile") ? Optional.of(base.resolve(f.string(http, "tokenFile", "http.tokenFile")))
        : Optional.empty();
    if (tokenFile.isEmpty() && !loopback(httpHost)) {
      throw f.error("http.host", "is \"" + httpHost + "\", not a loopback address: an operator API reachable from other hosts needs"
          + " a token; set http.tokenFile to a file holding one (or bind http.host to 127.0.0.1)");
    }
    Duration submitTimeout = json.containsKey("submitTimeoutMs")
        ? Duration.ofMillis(f.longIn(json, "submitTimeoutMs", "submitTimeoutMs", 1, 3_600_000))
        : NodeOptions.DEFAULT_SUBMIT_TIMEOUT;
    NodeConfig config = new NodeConfig(name, keyFile, genesisFile, dataDir, p2pHost, p2pPort, advertised, peers, httpHost, httpPort,
        tokenFile, submitTimeout);
    f.check("p2p", config::options); // NodeOptions' own checks, named
    return config;
  }

  /** This configuration as JSON, with paths relative to {@code base} where they lie under it. */
  public JsonObject toJson(Path base) {
    JsonObject p2p = new JsonObject().put("host", p2pHost).put("port", p2pPort);
    advertisedHost.ifPresent(h -> p2p.put("advertisedHost", h));
    p2p.put("peers", new JsonArray(new ArrayList<Object>(peers)));
    JsonObject http = new JsonObject().put("host", httpHost).put("port", httpPort);
    tokenFile.ifPresent(t -> http.put("tokenFile", relative(base, t)));
    return new JsonObject().put("format", FORMAT).put("version", VERSION).put("name", name).put("keyFile", relative(base, keyFile))
        .put("genesisFile", relative(base, genesisFile)).put("dataDir", relative(base, dataDir)).put("p2p", p2p).put("http", http)
        .put("submitTimeoutMs", submitTimeout.toMillis());
  }

  private static String relative(Path base, Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path b = base.toAbsolutePath().normalize();
    return abs.startsWith(b) ? b.relativize(abs).toString() : p.toString();
  }

  /** Jackson's own words and where it stopped (Vert.x's message drops the line and column). */
  private static String where(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JsonProcessingException j) {
        JsonLocation at = j.getLocation();
        return j.getOriginalMessage() + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
      }
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
