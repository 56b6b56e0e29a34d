package org.meshledger.impl.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.ConfigurationException;
import org.meshledger.genesis.Genesis;

/** Genesis files: the documented example, round trips, a hash independent of JSON layout, and errors that name the field. */
class GenesisJsonTest {
  @TempDir
  Path dir;

  @Test
  void theDocumentedExampleParsesToTheDescribedNetwork() {
    Genesis g = GenesisDocExample.parse();
    assertThat(g).isEqualTo(GoldenScenario.genesis());
    assertThat(g.validators().size()).isEqualTo(4);
    assertThat(g.validators().quorum()).isEqualTo(3);
    assertThat(g.incentives().eraAt(99_999).share(org.meshledger.IncentivePolicy.PRODUCERS)).isEqualTo(600);
    assertThat(g.incentives().eraAt(100_000).share(org.meshledger.IncentivePolicy.PRODUCERS)).isEqualTo(500);
  }

  @Test
  void toJsonRoundTripsToAnEqualGenesisWithTheSameHash() throws Exception {
    Genesis g = GoldenScenario.genesis();
    Genesis back = Genesis.fromJson(g.toJson());
    assertThat(back).isEqualTo(g);
    assertThat(back.hash()).isEqualTo(g.hash());
    Path file = dir.resolve("genesis.json");
    Files.writeString(file, g.toJson());
    assertThat(Genesis.fromJson(file).hash()).isEqualTo(g.hash());
  }

  @Test
  void theHashIgnoresWhiteSpaceFieldOrderAndHexCase() {
    Genesis g = GenesisDocExample.parse();
    JsonObject json = new JsonObject(GenesisDocExample.json());
    String compact = json.encode();
    String reordered = reverseFields(json).encode().replace("8a88e3dd7409", "8A88E3DD7409");
    assertThat(reordered).isNotEqualTo(compact);
    assertThat(Genesis.fromJson(compact).hash()).isEqualTo(g.hash());
    assertThat(Genesis.fromJson(reordered).hash()).isEqualTo(g.hash());
    assertThat(Genesis.fromJson(reordered)).isEqualTo(g);
    // but the content does count
    JsonObject changed = json.copy();
    era(changed, 0).getJsonObject("subsidy").put("initial", 1_000_001);
    assertThat(Genesis.fromJson(changed.encode()).hash()).isNotEqualTo(g.hash());
  }

  private static JsonObject reverseFields(JsonObject o) {
    List<String> names = new ArrayList<>(o.fieldNames());
    Collections.reverse(names);
    JsonObject out = new JsonObject();
    for (String n : names) {
      Object v = o.getValue(n);
      out.put(n, v instanceof JsonObject j ? reverseFields(j) : v instanceof JsonArray a ? reverseFields(a) : v);
    }
    return out;
  }

  private static JsonArray reverseFields(JsonArray a) {
    JsonArray out = new JsonArray();
    a.forEach(v -> out.add(v instanceof JsonObject j ? reverseFields(j) : v));
    return out;
  }

  private static void assertRejected(Consumer<JsonObject> edit, String... expected) {
    JsonObject json = new JsonObject(GenesisDocExample.json());
    edit.accept(json);
    assertThatThrownBy(() -> Genesis.fromJson(json.encode())).isInstanceOf(ConfigurationException.class).hasMessageContainingAll(expected);
  }

  private static JsonObject member(JsonObject json, int i) {
    return json.getJsonArray("members").getJsonObject(i);
  }

  private static JsonObject era(JsonObject json, int i) {
    return json.getJsonObject("incentives").getJsonArray("eras").getJsonObject(i);
  }

  @Test
  void aKeyGivenTwiceIsRefusedNamingIt() {
    String json = GenesisDocExample.json().replaceFirst("\"chainId\"\\s*:\\s*\"([^\"]*)\"", "\"chainId\": \"$1\", \"chainId\": \"other\"");
    assertThat(json).as("the example was changed").contains("\"other\"");
    assertThatThrownBy(() -> Genesis.fromJson(json)).isInstanceOf(org.meshledger.ConfigurationException.class)
        .hasMessageContaining("key 'chainId' appears twice");
  }

  @Test
  void badFilesFailNamingTheFieldPath() throws Exception {
    assertRejected(j -> member(j, 1).put("publicKey", "ab".repeat(31)), "field 'members[1].publicKey'", "64 hex characters, got 62");
    assertRejected(j -> member(j, 1).put("publicKey", "zz".repeat(32)), "field 'members[1].publicKey'", "not hexadecimal");
    assertRejected(j -> member(j, 1).remove("publicKey"), "field 'members[1].publicKey' is missing");
    assertRejected(j -> member(j, 0).put("roles", new JsonArray().add("Validator")), "field 'members[0].roles[0]'", "unknown role 'Validator'");
    assertRejected(j -> member(j, 0).put("roles", new JsonArray()), "field 'members[0]'", "needs at least one role");
    assertRejected(j -> member(j, 2).put("name", "carrier"), "field 'members[2].name'", "'carrier'", "members[1]");
    assertRejected(j -> member(j, 3).put("publicKey", member(j, 0).getString("publicKey")), "field 'members[3].publicKey'", "members[0]");
    assertRejected(j -> {
      for (int i = 0; i < 4; i++) {
        member(j, i).put("roles", new JsonArray().add("observer"));
      }
    }, "field 'members'", "validator");
    assertRejected(j -> era(j, 0).getJsonObject("shares").put("treasury", 199), "field 'incentives.eras[0]'", "shares add up to 999, not outOf = 1000");
    assertRejected(j -> era(j, 0).getJsonObject("shares").put("producers", 1.5), "field 'incentives.eras[0].shares.producers'", "whole number");
    assertRejected(j -> era(j, 1).put("fromHeight", 1), "field 'incentives'", "two eras start at height 1");
    assertRejected(j -> era(j, 0).put("fees", "everyone"), "field 'incentives.eras[0].fees'", "EVERYONE");
    assertRejected(j -> j.getJsonObject("incentives").getJsonObject("service").put("epochLength", 99), "field 'incentives.service'",
        "multiple of challengeInterval");
    assertRejected(j -> j.put("chainId", "my chain"), "field 'chainId'", "A-Z a-z 0-9");
    assertRejected(j -> j.remove("chainId"), "field 'chainId' is missing");
    assertRejected(j -> j.put("genesisTime", "yesterday"), "field 'genesisTime'", "ISO-8601");
    assertRejected(j -> j.put("genesisTime", "2026-01-01T00:00:00.000001Z"), "field 'genesisTime'", "whole milliseconds");
    assertRejected(j -> j.put("mode", "public"), "field 'mode'", "\"open\"");
    assertRejected(j -> j.put("Mode", "open"), "field 'Mode' is not a field", "mode");
    assertRejected(j -> j.getJsonObject("consensus").put("voteTimeoutMS", 5), "field 'consensus.voteTimeoutMS' is not a field");
    assertRejected(j -> j.getJsonObject("consensus").put("voteTimeoutMs", 0), "field 'consensus'", "voteTimeout must be positive");
    assertRejected(j -> j.getJsonObject("incentives").put("treasury", "x"), "field 'incentives.treasury'");
    assertRejected(j -> j.getJsonObject("incentives").put("blockReward", 1), "field 'incentives.blockReward' is not a field");
    assertRejected(j -> j.getJsonObject("balances").put("8A88E3DD7409F195FD52DB2D3CBA5D72CA6709BF1D94121BF3748801B40F6F5C", 1),
        "field 'balances.8A88E3DD", "already listed");
    assertRejected(j -> j.getJsonObject("balances").put(GoldenScenario.TREASURY.accountId().toHex(), Long.MAX_VALUE), "field 'genesis'", "overflow");
    assertRejected(j -> j.getJsonObject("balances").put(GoldenScenario.TREASURY.accountId().toHex(), 1.5), "whole number");
    assertRejected(j -> j.put("format", "meshledger-genesis-v2"), "field 'format'");
    assertRejected(j -> j.put("version", 2), "field 'version'");
    assertThatThrownBy(() -> Genesis.fromJson("[]")).isInstanceOf(ConfigurationException.class).hasMessageContaining("not a JSON object");

    Path missing = dir.resolve("missing.json");
    assertThatThrownBy(() -> Genesis.fromJson(missing)).isInstanceOf(ConfigurationException.class).hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
    Path file = dir.resolve("bad.json");
    JsonObject json = new JsonObject(GenesisDocExample.json());
    member(json, 1).put("publicKey", "00");
    Files.writeString(file, json.encodePrettily());
    assertThatThrownBy(() -> Genesis.fromJson(file)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("genesis file " + file).hasMessageContaining("members[1].publicKey");
  }

  @Test
  void malformedJsonNamesTheFileTheLineTheColumnAndWhatWasExpected() throws Exception {
    String[] example = new JsonObject(GenesisDocExample.json()).encodePrettily().split("\n");
    assertThat(example[2]).contains("\"version\"");

    // A comma missing at the end of line 2: found on line 3, where the next key starts.
    String noComma = String.join("\n", example).replaceFirst(",\n", "\n");
    assertMalformed("no-comma.json", noComma, "line 3, column 3", "was expecting comma to separate Object entries");
    // A trailing comma before the closing brace.
    String trailing = "{\n  \"format\" : \"meshledger-genesis\",\n}\n";
    assertMalformed("trailing-comma.json", trailing, "line 3, column 1", "was expecting double-quote to start field name");
    // The end of the file before the objects are closed: the innermost open one is named.
    String cut = String.join("\n", java.util.Arrays.copyOf(example, 10));
    assertMalformed("cut.json", cut, "line 10", "Unexpected end-of-input: expected '}' to close the object that starts at line 7, column");
    assertMalformed("unclosed.json", "{\n  \"version\" : 1\n", "line 3, column 1", "expected '}' to close the object that starts at line 1, column 1");
    // A bare word where a value belongs.
    assertMalformed("word.json", "{\n  \"chainId\" : consortium\n}", "line 2, column 15", "Unrecognized token 'consortium'",
        "was expecting");
    // A raw line break inside a string.
    assertMalformed("break.json", "{\n  \"chainId\" : \"a\nb\"\n}", "line 2", "a control character, code 10");
    // Two objects.
    assertMalformed("two.json", "{}\n{}", "line 2, column 1", "an object after the end of the genesis object");

    Path empty = dir.resolve("empty.json");
    Files.writeString(empty, " \n");
    assertThatThrownBy(() -> Genesis.fromJson(empty)).isInstanceOf(ConfigurationException.class)
        .hasMessage("genesis file " + empty + " is empty: expected a JSON object, { ... }");
    Path array = dir.resolve("array.json");
    Files.writeString(array, "[ {} ]");
    assertThatThrownBy(() -> Genesis.fromJson(array)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("genesis file " + array + " is not a JSON object: it starts with an array at line 1, column 1");
    Path latin1 = dir.resolve("latin1.json");
    Files.write(latin1, "{\"chainId\" : \"caf\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> Genesis.fromJson(latin1)).isInstanceOf(ConfigurationException.class)
        .hasMessage("genesis file " + latin1 + " is not UTF-8 text: save it as UTF-8");
  }

  /** Reading {@code text} from a file fails naming the file, where and what, and nothing of the JSON library. */
  private void assertMalformed(String name, String text, String... parts) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    assertThatThrownBy(() -> Genesis.fromJson(file)).isInstanceOf(ConfigurationException.class)
        .satisfies(e -> assertThat(e.getMessage()).startsWith("genesis file " + file + ": malformed JSON at line ").contains(parts)
            .doesNotContain("Source", "REDACTED", "StreamReadFeature", "(code ", "marker", "com.fasterxml"));
  }
}
