package org.meshledger.samples.supplychain;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;

/**
 * A shipment's state as the ledger stores it: the value of its DATA entry {@code shipment/<id>}, a small JSON
 * object such as {@code {"holder":"carrier","status":"picked up","location":"Lyon depot"}}. The holder is a member's
 * name in the genesis; {@link CustodyRule} decides who may write the next one.
 *
 * @param holder the member that holds the shipment after this write
 * @param status what happened, in words
 * @param location where the shipment is
 */
public record Shipment(String holder, String status, String location) {
  /** The key prefix of every shipment entry. */
  public static final String PREFIX = "shipment/";
  private static final int MAX_FIELD_CHARS = 200;

  public Shipment {
    check(holder, "holder");
    check(status, "status");
    check(location, "location");
  }

  private static void check(String value, String field) {
    Objects.requireNonNull(value, field);
    if (value.isEmpty() || value.length() > MAX_FIELD_CHARS) {
      throw new IllegalArgumentException("a shipment's " + field + " has 1 to " + MAX_FIELD_CHARS + " characters, got " + value.length());
    }
  }

  /** The ledger key of shipment {@code id}. */
  public static String key(int id) {
    return PREFIX + id;
  }

  /** The value written to the ledger: compact JSON in UTF-8, fields in a fixed order. */
  public byte[] toBytes() {
    return new JsonObject().put("holder", holder).put("status", status).put("location", location).encode().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a value written by {@link #toBytes()}. Deterministic, so every node's {@link CustodyRule} reads the same
   * shipment from the same bytes.
   *
   * @throws IllegalArgumentException saying what is wrong, for anything that is not such a shipment
   */
  public static Shipment fromBytes(byte[] value) {
    JsonObject json;
    try {
      json = new JsonObject(new String(value, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) { // not JSON, or JSON but not an object
      throw new IllegalArgumentException("not a JSON object");
    }
    if (!Set.of("holder", "status", "location").containsAll(json.fieldNames()) || json.size() != 3) {
      throw new IllegalArgumentException("a shipment has exactly the fields holder, status and location, got " + json.fieldNames());
    }
    return new Shipment(string(json, "holder"), string(json, "status"), string(json, "location"));
  }

  private static String string(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("the field " + field + " must be a string");
    }
    return s;
  }
}
