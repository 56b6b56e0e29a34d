package org.meshledger;

import java.util.Objects;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Limits;
import org.meshledger.codec.CanonicalWriter;

/**
 * An ephemeral message spread through the network on a named topic and never stored on the ledger: the
 * unit that spreading protocols carry. Its id is the SHA-256 of its canonical encoding (topic, then body),
 * so two nodes that publish the same bytes on the same topic publish the same message, and a relay can tell
 * duplicates apart by id alone.
 *
 * @param id the SHA-256 of {@code topic} and {@code body}; checked on construction
 * @param topic 1 to {@value #MAX_TOPIC_BYTES} UTF-8 bytes
 * @param body up to {@value #MAX_BODY_BYTES} bytes (copied in and out)
 */
public record Gossip(Hash id, String topic, byte[] body) {
  /** The longest topic name, in UTF-8 bytes. */
  public static final int MAX_TOPIC_BYTES = 128;
  /** The largest body: one maximal transaction fits. */
  public static final int MAX_BODY_BYTES = Limits.MAX_TRANSACTION_BYTES;

  public Gossip {
    Objects.requireNonNull(id, "id");
    Limits.checkUtf8(topic, 1, MAX_TOPIC_BYTES, "gossip topic");
    Objects.requireNonNull(body, "body");
    if (body.length > MAX_BODY_BYTES) {
      throw new IllegalArgumentException("gossip body is " + body.length + " bytes; the maximum is " + MAX_BODY_BYTES);
    }
    body = body.clone();
    Hash expected = idOf(topic, body);
    if (!expected.equals(id)) {
      throw new IllegalArgumentException("gossip id " + id + " is not the hash of its topic and body (" + expected + ")");
    }
  }

  /** The message carrying {@code body} on {@code topic}, with its id computed. */
  public static Gossip of(String topic, byte[] body) {
    Limits.checkUtf8(topic, 1, MAX_TOPIC_BYTES, "gossip topic");
    Objects.requireNonNull(body, "body");
    return new Gossip(idOf(topic, body), topic, body);
  }

  /** The id a message with this topic and body has. */
  public static Hash idOf(String topic, byte[] body) {
    return Hash.sha256(new CanonicalWriter(body.length + topic.length() + 16).string(topic).bytes(body).toByteArray());
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The body's length in bytes, without copying it. */
  public int size() {
    return body.length;
  }

  /**
   * The topic's length in UTF-8 bytes, as {@code topic().getBytes(UTF_8).length} but without encoding it: every
   * frame's {@code encodedSize} asks, several times per frame in a simulation.
   */
  public int topicSize() {
    int n = 0;
    for (int i = 0, len = topic.length(); i < len; i++) {
      char c = topic.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(topic.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n++; // an unpaired surrogate: the encoder writes '?' for it
      } else {
        n += 3;
      }
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Gossip g && id.equals(g.id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "Gossip[id=" + id + ", topic=" + topic + ", body=" + body.length + " bytes]";
  }
}
