package org.meshledger.genesis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.meshledger.ConfigurationException;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Limits;
import org.meshledger.chain.NodeId;

/** Reads and writes the genesis JSON format; every error names the field. */
final class GenesisJson {
  static final String FORMAT = "meshledger-genesis";
  static final int FILE_VERSION = 1;
  private static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  private GenesisJson() {}

  static Genesis read(Path file) {
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new ConfigurationException("genesis file " + file + " is " + size + " bytes; the limit is " + MAX_FILE_BYTES);
      }
      return parse(Files.readString(file, StandardCharsets.UTF_8), "genesis file " + file);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("genesis file " + file + " does not exist", e);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new ConfigurationException("genesis file " + file + " is not UTF-8 text: save it as UTF-8", e);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read genesis file " + file + ": " + e, e);
    }
  }

  static Genesis parse(String text, String source) {
    checkSyntax(text, source);
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) { // checkSyntax leaves nothing to fail here; kept as a guard
      throw new ConfigurationException(source + " is not a JSON object", e);
    }
    Fields f = new Fields(source);
    f.only(json, "", "format", "version", "chainId", "genesisTime", "mode", "members", "consensus", "incentives", "balances");
    if (!FORMAT.equals(json.getValue("format"))) {
      throw f.error("format", "must be \"" + FORMAT + "\"");
    }
    if (!Integer.valueOf(FILE_VERSION).equals(json.getValue("version"))) {
      throw f.error("version", "must be " + FILE_VERSION + " (this build reads version " + FILE_VERSION + ")");
    }
    String chainId = f.string(json, "chainId", "chainId");
    f.check("chainId", () -> Limits.checkChainId(chainId));
    Instant time = f.instant(json, "genesisTime");
    String mode = json.containsKey("mode") ? f.string(json, "mode", "mode") : "permissioned";
    if (!mode.equals("permissioned") && !mode.equals("open")) {
      throw f.error("mode", "must be \"permissioned\" or \"open\", got \"" + mode + "\"");
    }

    JsonArray membersJson = f.array(json, "members", "members");
    List<Member> members = new ArrayList<>();
    Map<String, String> nameAt = new HashMap<>();
    Map<NodeId, String> keyAt = new HashMap<>();
    for (int i = 0; i < membersJson.size(); i++) {
      String at = "members[" + i + "]";
      JsonObject m = f.object(membersJson.getValue(i), at);
      f.only(m, at + ".", "name", "publicKey", "roles");
      String name = f.string(m, "name", at + ".name");
      String sameName = nameAt.putIfAbsent(name, at);
      if (sameName != null) {
        throw f.error(at + ".name", "repeats the name '" + name + "' of " + sameName + "; member names must be unique");
      }
      NodeId key = f.check(at + ".publicKey", () -> NodeId.fromHex(f.string(m, "publicKey", at + ".publicKey")));
      String sameKey = keyAt.putIfAbsent(key, at);
      if (sameKey != null) {
        throw f.error(at + ".publicKey", "repeats the key of " + sameKey + "; each member has its own key");
      }
      JsonArray rolesJson = f.array(m, "roles", at + ".roles");
      Set<Role> roles = EnumSet.noneOf(Role.class);
      for (int j = 0; j < rolesJson.size(); j++) {
        String roleAt = at + ".roles[" + j + "]";
        Object r = rolesJson.getValue(j);
        if (!(r instanceof String s)) {
          throw f.error(roleAt, "must be a string");
        }
        roles.add(f.check(roleAt, () -> Role.fromJsonName(s)));
      }
      members.add(f.check(at, () -> new Member(name, key, roles)));
    }
    if (members.stream().noneMatch(m -> m.has(Role.VALIDATOR))) {
      throw f.error("members", "has no member with the role \"validator\"; a chain needs at least one");
    }

    ConsensusParameters consensus = json.containsKey("consensus") ? consensus(f, json) : ConsensusParameters.DEFAULTS;

    IncentivePolicy incentives = IncentiveJson.read(f, json);

    Map<AccountId, Amount> balances = new LinkedHashMap<>();
    if (json.containsKey("balances")) {
      JsonObject b = f.object(json.getValue("balances"), "balances");
      for (String account : b.fieldNames()) {
        String at = "balances." + account;
        AccountId id = f.check(at, () -> AccountId.fromHex(account));
        if (balances.containsKey(id)) {
          throw f.error(at, "names an account already listed (hex digits in another case); list each account once");
        }
        balances.put(id, f.check(at, () -> Amount.of(f.longValue(b, account, at, -1))));
      }
    }
    return f.check("genesis", () -> new Genesis(chainId, time, mode.equals("permissioned"), members, consensus, incentives, balances));
  }

  private static ConsensusParameters consensus(Fields f, JsonObject json) {
    JsonObject c = f.object(json.getValue("consensus"), "consensus");
    f.only(c, "consensus.", "proposeTimeoutMs", "voteTimeoutMs", "timeoutIncrementMs", "blockIntervalMs", "heartbeatMs",
        "maxBlockTransactions");
    ConsensusParameters d = ConsensusParameters.DEFAULTS;
    return f.check("consensus", () -> new ConsensusParameters(
        f.millis(c, "proposeTimeoutMs", "consensus.proposeTimeoutMs", d.proposeTimeout()),
        f.millis(c, "voteTimeoutMs", "consensus.voteTimeoutMs", d.voteTimeout()),
        f.millis(c, "timeoutIncrementMs", "consensus.timeoutIncrementMs", d.timeoutIncrement()),
        f.millis(c, "blockIntervalMs", "consensus.blockIntervalMs", d.blockInterval()),
        f.millis(c, "heartbeatMs", "consensus.heartbeatMs", d.heartbeat()),
        c.containsKey("maxBlockTransactions") ? f.intValue(c, "maxBlockTransactions", "consensus.maxBlockTransactions")
            : d.maxBlockTransactions()));
  }

  static String write(Genesis g) {
    JsonArray members = new JsonArray();
    for (Member m : g.members()) {
      JsonArray roles = new JsonArray();
      for (Role r : Role.values()) {
        if (m.has(r)) {
          roles.add(r.jsonName());
        }
      }
      members.add(new JsonObject().put("name", m.name()).put("publicKey", m.key().toHex()).put("roles", roles));
    }
    ConsensusParameters c = g.consensus();
    JsonObject balances = new JsonObject();
    g.balances().forEach((a, amount) -> balances.put(a.toHex(), amount.units()));
    return new JsonObject()
        .put("format", FORMAT)
        .put("version", FILE_VERSION)
        .put("chainId", g.chainId())
        .put("genesisTime", g.genesisTime().toString())
        .put("mode", g.permissioned() ? "permissioned" : "open")
        .put("members", members)
        .put("consensus", new JsonObject()
            .put("proposeTimeoutMs", c.proposeTimeout().toMillis())
            .put("voteTimeoutMs", c.voteTimeout().toMillis())
            .put("timeoutIncrementMs", c.timeoutIncrement().toMillis())
            .put("blockIntervalMs", c.blockInterval().toMillis())
            .put("heartbeatMs", c.heartbeat().toMillis())
            .put("maxBlockTransactions", c.maxBlockTransactions()))
        .put("incentives", IncentiveJson.write(g.incentives()))
        .put("balances", balances)
        .encodePrettily() + "\n";
  }

  /** Field access that turns every problem into a ConfigurationException naming the field. */
  record Fields(String source) {
    ConfigurationException error(String field, String problem) {
      return new ConfigurationException(source + ": field '" + field + "' " + problem);
    }

    <T> T check(String field, java.util.function.Supplier<T> parse) {
      try {
        return parse.get();
      } catch (ConfigurationException e) {
        throw e;
      } catch (IllegalArgumentException | ArithmeticException | NullPointerException e) {
        throw new ConfigurationException(source + ": field '" + field + "': " + e.getMessage(), e);
      }
    }

    void check(String field, Runnable validate) {
      check(field, () -> {
        validate.run();
        return null;
      });
    }

    String string(JsonObject o, String name, String field) {
      Object v = o.getValue(name);
      if (!(v instanceof String s)) {
        throw error(field, v == null ? "is missing" : "must be a string");
      }
      return s;
    }

    JsonArray array(JsonObject o, String name, String field) {
      Object v = o.getValue(name);
      if (!(v instanceof JsonArray a)) {
        throw error(field, v == null ? "is missing" : "must be an array");
      }
      return a;
    }

    JsonObject object(Object v, String field) {
      if (!(v instanceof JsonObject o)) {
        throw error(field, v == null ? "is missing" : "must be an object");
      }
      return o;
    }

    long longValue(JsonObject o, String name, String field, long missing) {
      Object v = o.getValue(name);
      if (v == null) {
        if (missing < 0) {
          throw error(field, "is missing");
        }
        return missing;
      }
      if (!(v instanceof Integer || v instanceof Long)) {
        throw error(field, "must be a whole number, got " + v);
      }
      return ((Number) v).longValue();
    }

    /** A required whole number that fits an int: a larger one is an error, never silently truncated. */
    int intValue(JsonObject o, String name, String field) {
      long v = longValue(o, name, field, -1);
      if (v != (int) v) {
        throw error(field, "must be between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE + ", got " + v);
      }
      return (int) v;
    }

    /**
     * Fails on a field not in {@code known}: a misspelt optional field would otherwise be ignored and its
     * default silently used, giving a different chain than the author meant.
     */
    void only(JsonObject o, String prefix, String... known) {
      Set<String> allowed = Set.of(known);
      for (String name : o.fieldNames()) {
        if (!allowed.contains(name)) {
          throw error(prefix + name, "is not a field of this format (known: " + String.join(", ", known) + ")");
        }
      }
    }

    Duration millis(JsonObject o, String name, String field, Duration missing) {
      return o.containsKey(name) ? Duration.ofMillis(longValue(o, name, field, 0)) : missing;
    }

    Instant instant(JsonObject o, String field) {
      String s = string(o, field, field);
      try {
        Instant t = Instant.parse(s);
        if (t.isBefore(Instant.EPOCH) || t.getNano() % 1_000_000 != 0) {
          throw error(field, "must be after 1970 and in whole milliseconds, got \"" + s + "\"");
        }
        return t;
      } catch (DateTimeParseException e) {
        throw error(field, "must be an ISO-8601 instant such as 2026-01-01T00:00:00Z, got \"" + s + "\"");
      }
    }
  }

  /**
   * Reads the text once with a streaming parser before anything else, so that every syntax error is reported in
   * the reader's terms: where (line and column) and what was expected there, without the JSON library's internals.
   * It must be exactly one object. A key given twice in one object is refused too: JSON parsers disagree on which
   * one wins, so two members reading the same file could derive different genesis hashes.
   */
  private static void checkSyntax(String text, String source) {
    JsonFactory factory = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    try (JsonParser p = factory.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new ConfigurationException(source + " is empty: expected a JSON object, { ... }");
      }
      if (first != JsonToken.START_OBJECT) {
        throw new ConfigurationException(source + " is not a JSON object: it starts with " + describe(first) + " at " + at(p.currentTokenLocation())
            + "; a genesis is one object, { ... }");
      }
      p.skipChildren();
      JsonToken after = p.nextToken();
      if (after != null) {
        throw new ConfigurationException(source + ": malformed JSON at " + at(p.currentTokenLocation()) + ": " + describe(after)
            + " after the end of the genesis object; a genesis is one object");
      }
    } catch (JsonParseException e) {
      String m = e.getOriginalMessage();
      if (m != null && m.startsWith("Duplicate field")) {
        throw new ConfigurationException(source + ": " + m.replace("Duplicate field", "key") + " appears twice in one object (line "
            + e.getLocation().getLineNr() + "); give each key once");
      }
      throw new ConfigurationException(source + ": malformed JSON at " + at(e.getLocation()) + ": " + plain(m));
    } catch (IOException e) {
      throw new ConfigurationException(source + ": cannot be read as JSON: " + plain(e.getMessage()));
    }
  }

  private static String at(JsonLocation l) {
    return "line " + l.getLineNr() + ", column " + l.getColumnNr();
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> "'" + t.asString() + "'";
    };
  }

  /**
   * Jackson's words for a syntax error, without its internals: no "[Source: REDACTED ...]" location (the caller
   * says where), no character codes, and "close marker" said as the bracket it is.
   */
  private static String plain(String jackson) {
    if (jackson == null) {
      return "unreadable";
    }
    String m = SOURCE.matcher(jackson).replaceAll("line $1, column $2");
    m = CLOSE.matcher(m).replaceAll(r -> "expected '" + (r.group(1).equals("Object") ? "}" : "]") + "' to close the "
        + r.group(1).toLowerCase(java.util.Locale.ROOT) + " that starts at " + r.group(2));
    m = CTRL.matcher(m).replaceAll("(a control character, code $1)");
    m = CODE.matcher(m).replaceAll("");
    return m;
  }

  private static final java.util.regex.Pattern SOURCE =
      java.util.regex.Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");
  private static final java.util.regex.Pattern CLOSE =
      java.util.regex.Pattern.compile("expected close marker for (Object|Array) \\(start marker at (line \\d+, column \\d+)\\)");
  private static final java.util.regex.Pattern CTRL = java.util.regex.Pattern.compile("\\(\\(CTRL-CHAR, code (\\d+)\\)\\)");
  private static final java.util.regex.Pattern CODE = java.util.regex.Pattern.compile(" \\(code \\d+\\)");
}
