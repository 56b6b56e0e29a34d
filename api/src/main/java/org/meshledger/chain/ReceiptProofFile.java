package org.meshledger.chain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.meshledger.MeshledgerException;
import org.meshledger.codec.DecodeException;

/**
 * The receipt proof file: JSON that names its format and version, and per proof the receipt's position and
 * outcome in words beside the canonical encodings (lowercase hex) of the transaction, its Merkle proof, the block
 * header and the certificate. The encodings are what is checked; the words are for a person reading the file and
 * must agree with them. Described in {@code docs/ledger.md}.
 */
final class ReceiptProofFile {
  static final String FORMAT = "meshledger-receipt-proofs";
  static final int FILE_VERSION = 1;
  /** A file above this size is refused before it is read: 64 MiB holds about 25,000 typical proofs. */
  static final long MAX_FILE_BYTES = 64L * 1024 * 1024;
  /** More proofs than this are refused, whatever the file's size. */
  static final int MAX_PROOFS = 100_000;

  private static final int MAX_HEADER_BYTES = 1024;
  private static final int MAX_CERTIFICATE_BYTES = 64 + Limits.MAX_VALIDATORS * (NodeId.BYTES + Signature.BYTES);
  private static final int MAX_MERKLE_PROOF_BYTES = 16 + 64 * Hash.BYTES;
  private static final List<String> ENTRY_FIELDS = List.of("height", "index", "blockHash", "transactionId", "outcome", "reason",
      "transaction", "merkleProof", "header", "certificate");
  private static final HexFormat HEX = HexFormat.of();

  private ReceiptProofFile() {}

  static void write(Path file, List<ReceiptProof> proofs) {
    Objects.requireNonNull(file, "file");
    List<ReceiptProof> all = List.copyOf(proofs);
    if (all.size() > MAX_PROOFS) {
      throw new IllegalArgumentException(all.size() + " proofs are more than a receipt proof file holds (" + MAX_PROOFS + "); split them");
    }
    JsonArray entries = new JsonArray();
    for (ReceiptProof p : all) {
      Receipt r = p.receipt();
      entries.add(new JsonObject()
          .put("height", r.height())
          .put("index", r.index())
          .put("blockHash", r.blockHash().toHex())
          .put("transactionId", r.transactionId().toHex())
          .put("outcome", r.result().outcome().name().toLowerCase(Locale.ROOT))
          .put("reason", r.result().reason())
          .put("transaction", HEX.formatHex(r.transaction().encode()))
          .put("merkleProof", HEX.formatHex(r.proof().encode()))
          .put("header", HEX.formatHex(p.header().encode()))
          .put("certificate", HEX.formatHex(p.certificate().encode())));
    }
    byte[] text = (new JsonObject().put("format", FORMAT).put("version", FILE_VERSION).put("proofs", entries).encodePrettily() + "\n")
        .getBytes(StandardCharsets.UTF_8);
    if (text.length > MAX_FILE_BYTES) {
      throw new IllegalArgumentException("these " + all.size() + " proofs take " + text.length + " bytes, more than a receipt proof file"
          + " holds (" + MAX_FILE_BYTES + "); split them");
    }
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(text));
        ch.force(true); // on disk before it takes the file's name
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new MeshledgerException("cannot write receipt proof file " + file + ": " + e, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the temporary file stays behind; the target is untouched or complete either way
        }
      }
    }
  }

  static List<ReceiptProof> read(Path file) {
    Objects.requireNonNull(file, "file");
    String source = "receipt proof file " + file;
    String text;
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new DecodeException(source + " is " + size + " bytes; the limit is " + MAX_FILE_BYTES);
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new MeshledgerException(source + " does not exist", e);
    } catch (CharacterCodingException e) {
      throw new DecodeException(source + " is not UTF-8 text");
    } catch (IOException e) {
      throw new MeshledgerException("cannot read " + source + ": " + e, e);
    }
    return parse(text, source);
  }

  static List<ReceiptProof> parse(String text, String source) {
    checkSyntax(text, source);
    JsonObject json = new JsonObject(text);
    only(json, source, "", Set.of("format", "version", "proofs"));
    if (!FORMAT.equals(json.getValue("format"))) {
      throw error(source, "format", "must be \"" + FORMAT + "\"");
    }
    if (!Integer.valueOf(FILE_VERSION).equals(json.getValue("version"))) {
      throw error(source, "version", "must be " + FILE_VERSION + " (this build reads version " + FILE_VERSION + "), got "
          + json.getValue("version"));
    }
    Object proofsValue = json.getValue("proofs");
    if (!(proofsValue instanceof JsonArray array)) {
      throw error(source, "proofs", proofsValue == null ? "is missing" : "must be an array");
    }
    if (array.size() > MAX_PROOFS) {
      throw error(source, "proofs", "holds " + array.size() + " entries; the limit is " + MAX_PROOFS);
    }
    List<ReceiptProof> proofs = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      proofs.add(entry(array.getValue(i), source, "proofs[" + i + "]"));
    }
    return List.copyOf(proofs);
  }

  private static ReceiptProof entry(Object value, String source, String at) {
    if (!(value instanceof JsonObject e)) {
      throw error(source, at, "must be an object");
    }
    only(e, source, at + ".", Set.copyOf(ENTRY_FIELDS));
    long height = number(e, "height", source, at);
    long index = number(e, "index", source, at);
    if (index > Integer.MAX_VALUE) {
      throw error(source, at + ".index", "must be at most " + Integer.MAX_VALUE + ", got " + index);
    }
    Hash blockHash = decode(e, "blockHash", 2 * Hash.BYTES, source, at, b -> new Hash(b));
    Hash transactionId = decode(e, "transactionId", 2 * Hash.BYTES, source, at, b -> new Hash(b));
    TransactionResult.Outcome outcome = outcome(e, source, at);
    String reason = string(e, "reason", TransactionResult.MAX_REASON_CHARS, source, at);
    TransactionResult result = check(source, at + ".reason", () -> new TransactionResult(outcome, reason));
    Transaction tx = decode(e, "transaction", 2 * Limits.MAX_TRANSACTION_BYTES, source, at, Transaction::decode);
    if (!tx.id().equals(transactionId)) {
      throw error(source, at + ".transactionId", "is " + transactionId + " but the transaction's id is " + tx.id());
    }
    MerkleProof merkle = decode(e, "merkleProof", 2 * MAX_MERKLE_PROOF_BYTES, source, at, MerkleProof::decode);
    BlockHeader header = decode(e, "header", 2 * MAX_HEADER_BYTES, source, at, BlockHeader::decode);
    CommitCertificate certificate = decode(e, "certificate", 2 * MAX_CERTIFICATE_BYTES, source, at, CommitCertificate::decode);
    Receipt receipt = check(source, at, () -> new Receipt(tx, height, (int) index, blockHash, result, merkle));
    return new ReceiptProof(receipt, header, certificate);
  }

  private static long number(JsonObject e, String name, String source, String at) {
    Object v = e.getValue(name);
    if (!(v instanceof Integer || v instanceof Long)) {
      throw error(source, at + "." + name, v == null ? "is missing" : "must be a whole number, got " + v);
    }
    long n = ((Number) v).longValue();
    if (n < 0) {
      throw error(source, at + "." + name, "cannot be negative, got " + n);
    }
    return n;
  }

  private static String string(JsonObject e, String name, int maxChars, String source, String at) {
    Object v = e.getValue(name);
    if (!(v instanceof String s)) {
      throw error(source, at + "." + name, v == null ? "is missing" : "must be a string");
    }
    if (s.length() > maxChars) {
      throw error(source, at + "." + name, "is " + s.length() + " characters; the limit is " + maxChars);
    }
    return s;
  }

  private static TransactionResult.Outcome outcome(JsonObject e, String source, String at) {
    String s = string(e, "outcome", 16, source, at);
    for (TransactionResult.Outcome o : TransactionResult.Outcome.values()) {
      if (o.name().toLowerCase(Locale.ROOT).equals(s)) {
        return o;
      }
    }
    throw error(source, at + ".outcome", "must be \"accepted\", \"failed\" or \"invalid\", got \"" + s + "\"");
  }

  /** A hex field, its length checked before it is decoded, then its canonical encoding decoded. */
  private static <T> T decode(JsonObject e, String name, int maxHexChars, String source, String at, Function<byte[], T> decoder) {
    String field = at + "." + name;
    String hex = string(e, name, maxHexChars, source, at);
    if (hex.length() % 2 != 0) {
      throw error(source, field, "has an odd number of hex digits (" + hex.length() + ")");
    }
    byte[] bytes;
    try {
      bytes = HEX.parseHex(hex);
    } catch (IllegalArgumentException ex) {
      throw error(source, field, "is not lowercase or uppercase hexadecimal: " + ex.getMessage());
    }
    return check(source, field, () -> decoder.apply(bytes));
  }

  private static <T> T check(String source, String field, java.util.function.Supplier<T> make) {
    try {
      return make.get();
    } catch (DecodeException | IllegalArgumentException ex) {
      throw error(source, field, ex.getMessage());
    }
  }

  private static void only(JsonObject o, String source, String prefix, Set<String> known) {
    for (String name : o.fieldNames()) {
      if (!known.contains(name)) {
        throw error(source, prefix + name, "is not a field of this format");
      }
    }
    for (String name : known) {
      if (!o.containsKey(name)) {
        throw error(source, prefix + name, "is missing");
      }
    }
  }

  private static DecodeException error(String source, String field, String problem) {
    return new DecodeException(source + ": field '" + field + "' " + problem);
  }

  /**
   * One pass of a streaming parser before the tree is built: malformed JSON is reported with its line and column,
   * a key given twice in one object is refused (parsers disagree on which one wins), and the text must be exactly
   * one object.
   */
  private static void checkSyntax(String text, String source) {
    JsonFactory factory = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    try (JsonParser p = factory.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new DecodeException(source + (first == null ? " is empty" : " does not start with '{'") + ": a receipt proof file is one"
            + " JSON object");
      }
      p.skipChildren();
      if (p.nextToken() != null) {
        throw new DecodeException(source + ": malformed JSON at line " + p.currentTokenLocation().getLineNr() + ", column "
            + p.currentTokenLocation().getColumnNr() + ": more after the end of the object");
      }
    } catch (JsonParseException e) {
      String m = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
      throw new DecodeException(source + ": malformed JSON at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ": " + m.replaceAll("\\s*\\(code \\d+\\)", ""));
    } catch (IOException e) {
      throw new DecodeException(source + ": cannot be read as JSON: " + e.getMessage());
    }
  }
}
