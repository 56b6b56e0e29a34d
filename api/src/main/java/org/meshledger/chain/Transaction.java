package org.meshledger.chain;

import java.util.Arrays;
import java.util.Objects;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;
import org.meshledger.crypto.KeyPair;
import org.meshledger.crypto.SignatureDomain;

/**
 * A signed instruction to the ledger: a {@link Payload} from {@code sender}, with the sender's next
 * {@code nonce} (replay protection and order) and a {@code fee}.
 *
 * <p>The <em>body</em> is the canonical encoding of everything but the signature; the {@linkplain #id() id}
 * is SHA-256 of the body, and the signature is over the body in the {@link SignatureDomain#TRANSACTION}
 * domain of the transaction's chain. The id therefore does not depend on the signature bytes.
 *
 * <p>An immutable value (equal when the encodings are equal). It is a class rather than a record because it
 * keeps its body and id, computed once at construction: ids are needed many times (Merkle trees, indexes,
 * mempool) and hashing them again each time would cost more than the rest of the value.
 */
public final class Transaction {
  /** The version byte that starts the encoding. */
  public static final int VERSION = 1;

  private final String chainId;
  private final AccountId sender;
  private final long nonce;
  private final Amount fee;
  private final Payload payload;
  private final Signature signature;
  private final byte[] body;
  private final Hash id;

  private Transaction(String chainId, AccountId sender, long nonce, Amount fee, Payload payload, Signature signature, byte[] body) {
    this.chainId = chainId;
    this.sender = sender;
    this.nonce = nonce;
    this.fee = fee;
    this.payload = payload;
    this.signature = signature;
    this.body = body;
    this.id = Hash.sha256(body);
  }

  /**
   * A transaction with the given signature, not checked: use {@link #verifySignature()} for that.
   *
   * @throws IllegalArgumentException naming the bad argument
   */
  public static Transaction of(String chainId, AccountId sender, long nonce, Amount fee, Payload payload, Signature signature) {
    byte[] body = body(chainId, sender, nonce, fee, payload);
    return new Transaction(chainId, sender, nonce, fee, payload, Objects.requireNonNull(signature, "signature"), body);
  }

  /** Builds and signs a transaction from the holder of {@code key}. */
  public static Transaction sign(String chainId, KeyPair key, long nonce, Amount fee, Payload payload) {
    AccountId sender = key.accountId();
    byte[] body = body(chainId, sender, nonce, fee, payload);
    Signature sig = key.sign(SignatureDomain.TRANSACTION, chainId, body);
    return new Transaction(chainId, sender, nonce, fee, payload, sig, body);
  }

  private static byte[] body(String chainId, AccountId sender, long nonce, Amount fee, Payload payload) {
    Limits.checkChainId(chainId);
    Objects.requireNonNull(sender, "sender");
    if (nonce < 0) {
      throw new IllegalArgumentException("nonce cannot be negative: " + nonce);
    }
    Objects.requireNonNull(fee, "fee");
    Objects.requireNonNull(payload, "payload");
    CanonicalWriter w = new CanonicalWriter(160);
    w.u8(VERSION).string(chainId).u8(payload.kind().code());
    sender.writeTo(w);
    w.i64(nonce).i64(fee.units());
    payload.writeTo(w);
    return w.toByteArray();
  }

  public String chainId() {
    return chainId;
  }

  public TransactionKind kind() {
    return payload.kind();
  }

  public AccountId sender() {
    return sender;
  }

  public long nonce() {
    return nonce;
  }

  public Amount fee() {
    return fee;
  }

  public Payload payload() {
    return payload;
  }

  public Signature signature() {
    return signature;
  }

  /** SHA-256 of the body. */
  public Hash id() {
    return id;
  }

  /** The canonical encoding of everything but the signature: what is signed and hashed. */
  public byte[] body() {
    return body.clone();
  }

  /** True if the signature is the sender's over the body, for this transaction's chain. */
  public boolean verifySignature() {
    return sender.verifies(SignatureDomain.TRANSACTION, chainId, body, signature);
  }

  /** Size of {@link #encode()} in bytes. */
  public int encodedSize() {
    return body.length + Signature.BYTES;
  }

  /** The canonical encoding: the body followed by the 64 signature bytes. */
  public byte[] encode() {
    CanonicalWriter w = new CanonicalWriter(encodedSize());
    writeTo(w);
    return w.toByteArray();
  }

  public void writeTo(CanonicalWriter w) {
    w.fixed(body);
    signature.writeTo(w);
  }

  /** Decodes exactly one transaction; trailing bytes fail. */
  public static Transaction decode(byte[] bytes) {
    CanonicalReader r = new CanonicalReader(bytes);
    Transaction tx = readFrom(r);
    r.end("transaction");
    return tx;
  }

  public static Transaction readFrom(CanonicalReader r) {
    int start = r.position();
    r.version(VERSION, "transaction");
    String chainId = r.string(Limits.MAX_CHAIN_ID_BYTES, "transaction chain id");
    try {
      Limits.checkChainId(chainId);
    } catch (IllegalArgumentException e) {
      throw new DecodeException(e.getMessage());
    }
    TransactionKind kind = TransactionKind.fromCode(r.u8("transaction kind"));
    AccountId sender = AccountId.readFrom(r, "transaction sender");
    long nonce = r.nonNegative("transaction nonce");
    Amount fee = Amount.of(r.nonNegative("transaction fee"));
    Payload payload = Payload.readFrom(kind, r);
    byte[] body = r.readSince(start);
    if (body.length + Signature.BYTES > Limits.MAX_TRANSACTION_BYTES) {
      throw new DecodeException("transaction of " + (body.length + Signature.BYTES) + " bytes exceeds " + Limits.MAX_TRANSACTION_BYTES);
    }
    Signature sig = Signature.readFrom(r, "transaction signature");
    return new Transaction(chainId, sender, nonce, fee, payload, sig, body);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Transaction t && Arrays.equals(body, t.body) && signature.equals(t.signature);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "Transaction[id=" + id + ", kind=" + kind() + ", sender=" + sender + ", nonce=" + nonce + ", fee=" + fee + ", " + payload + "]";
  }
}
