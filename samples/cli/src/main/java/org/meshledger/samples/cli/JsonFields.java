package org.meshledger.samples.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.meshledger.ConfigurationException;

/** Typed reads of a JSON file's fields whose every error names the file and the field's path. */
final class JsonFields {
  private final String source;

  JsonFields(String source) {
    this.source = source;
  }

  ConfigurationException error(String field, String problem) {
    return new ConfigurationException(source + ": field '" + field + "' " + problem);
  }

  /** Unknown fields are errors: a misspelt optional field would otherwise be ignored and its default used. */
  void only(JsonObject json, String prefix, Set<String> known) {
    for (String k : json.fieldNames()) {
      if (!known.contains(k)) {
        throw error(prefix + k, "is not a known field; known here: " + new TreeSet<>(known));
      }
    }
  }

  String string(JsonObject json, String key, String at) {
    Object v = json.getValue(key);
    if (v == null) {
      throw error(at, json.containsKey(key) ? "is null; it must be a string" : "is missing");
    }
    if (!(v instanceof String s)) {
      throw error(at, "must be a string, got " + v);
    }
    if (s.isBlank()) {
      throw error(at, "is blank");
    }
    return s;
  }

  JsonObject object(Object v, String at) {
    if (v == null) {
      throw error(at, "is missing");
    }
    if (!(v instanceof JsonObject o)) {
      throw error(at, "must be an object, got " + v);
    }
    return o;
  }

  JsonArray array(JsonObject json, String key, String at) {
    Object v = json.getValue(key);
    if (!(v instanceof JsonArray a)) {
      throw error(at, v == null ? "is missing" : "must be an array, got " + v);
    }
    return a;
  }

  long longIn(JsonObject json, String key, String at, long min, long max) {
    Object v = json.getValue(key);
    if (!(v instanceof Integer || v instanceof Long)) {
      throw error(at, v == null ? "is missing" : "must be a whole number, got " + v);
    }
    long n = ((Number) v).longValue();
    if (n < min || n > max) {
      throw error(at, "must be " + min + " to " + max + ", got " + n);
    }
    return n;
  }

  int port(JsonObject json, String key, String at) {
    return (int) longIn(json, key, at, 0, 65_535);
  }

  /** Runs {@code check}; an {@link IllegalArgumentException} it throws becomes an error naming {@code at}. */
  <T> T check(String at, Supplier<T> check) {
    try {
      return check.get();
    } catch (IllegalArgumentException e) {
      throw error(at, "is invalid: " + e.getMessage());
    }
  }
}
