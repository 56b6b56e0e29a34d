package org.meshledger.samples.cli.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import org.meshledger.NodeStatus;
import org.meshledger.SyncProgress;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Block;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Receipt;
import org.meshledger.chain.Transaction;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Role;

/**
 * The JSON the operator API answers with. Readable fields for people and scripts, and beside them the canonical
 * encoding in hex wherever a client may want to check something itself (a receipt's transaction and proof, a whole
 * block): JSON is for reading, the encoding is what hashes and signatures cover.
 */
public final class JsonViews {
  private static final HexFormat HEX = HexFormat.of();

  private JsonViews() {}

  public static JsonObject status(NodeStatus s, Genesis genesis, String name) {
    JsonArray roles = new JsonArray();
    s.roles().stream().map(Role::jsonName).sorted().forEach(roles::add);
    JsonArray peers = new JsonArray();
    s.peers().forEach(p -> peers.add(new JsonObject().put("id", p.id().toHex()).put("address", p.address()).put("outbound", p.outbound())
        .put("latencyMs", p.latency().toMillis()).put("height", p.height())));
    return new JsonObject().put("name", name).put("id", s.id().toHex()).put("chainId", genesis.chainId())
        .put("genesisHash", genesis.hash().toHex()).put("roles", roles).put("state", s.state().name()).put("height", s.height())
        .put("sync", s.sync().name()).put("fault", s.fault()).put("mempool", s.mempool()).put("p2pPort", s.port())
        .put("quorum", new JsonObject().put("reachable", s.quorum().reachable()).put("needed", s.quorum().needed())
            .put("validators", s.quorum().validators()))
        .put("progress", progress(s.progress())).put("peers", peers);
  }

  public static JsonObject progress(SyncProgress p) {
    JsonObject o = new JsonObject().put("height", p.height()).put("target", p.target()).put("remaining", p.remaining())
        .put("catchingUp", p.catchingUp()).put("blocksPerSecond", p.blocksPerSecond()).put("transactionsPerSecond", p.transactionsPerSecond())
        .put("summary", p.toString());
    p.eta().ifPresent(d -> o.put("etaSeconds", Math.max(1, d.toSeconds())));
    return o;
  }

  public static JsonObject receipt(Receipt r) {
    return new JsonObject().put("transactionId", r.transactionId().toHex()).put("height", r.height()).put("index", r.index())
        .put("blockHash", r.blockHash().toHex()).put("outcome", r.result().outcome().name()).put("reason", r.result().reason())
        .put("transaction", transaction(r.transaction())).put("proof", HEX.formatHex(r.proof().encode()));
  }

  public static JsonObject transaction(Transaction t) {
    JsonObject o = new JsonObject().put("id", t.id().toHex()).put("kind", t.kind().name()).put("sender", t.sender().toHex())
        .put("nonce", t.nonce()).put("fee", t.fee().units());
    Payload p = t.payload();
    if (p instanceof Payload.DataWrite w) {
      o.put("key", w.key());
      putValue(o, w.value());
      w.expectedVersion().ifPresent(v -> o.put("expectedVersion", v));
    } else if (p instanceof Payload.Transfer tr) {
      o.put("to", tr.to().toHex()).put("amount", tr.amount().units());
    }
    return o.put("encoded", HEX.formatHex(t.encode()));
  }

  public static JsonObject entry(DataEntry e) {
    JsonObject o = new JsonObject().put("key", e.key()).put("version", e.version());
    putValue(o, e.value());
    return o.put("writer", e.writer().toHex()).put("height", e.height()).put("index", e.index())
        .put("transactionId", e.transactionId().toHex());
  }

  public static JsonObject account(String id, AccountState a) {
    return new JsonObject().put("account", id).put("balance", a.balance().units()).put("nextNonce", a.nextNonce());
  }

  public static JsonObject block(Block b) {
    JsonArray txs = new JsonArray();
    b.transactions().forEach(t -> txs.add(t.id().toHex()));
    JsonArray signers = new JsonArray();
    b.certificate().signers().forEach(s -> signers.add(s.toHex()));
    return new JsonObject().put("height", b.height()).put("hash", b.hash().toHex()).put("previousHash", b.header().previousHash().toHex())
        .put("time", b.header().time().toString()).put("proposer", b.header().proposer().toHex())
        .put("transactionsRoot", b.header().transactionsRoot().toHex()).put("transactions", txs).put("signers", signers)
        .put("encoded", HEX.formatHex(b.encode()));
  }

  /** The value as hex always, and as text too when it is valid UTF-8 (most application values are). */
  private static void putValue(JsonObject o, byte[] value) {
    utf8(value).ifPresent(text -> o.put("value", text));
    o.put("valueHex", HEX.formatHex(value));
  }

  private static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
