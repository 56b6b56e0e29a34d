package org.meshledger.chain;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.OptionalLong;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;
import org.meshledger.genesis.Role;

/** What a transaction carries; one record per {@link TransactionKind}. */
public sealed interface Payload permits Payload.DataWrite, Payload.Transfer, Payload.ChallengeResponse, Payload.ServiceRegistration,
    Payload.ServiceExit {

  TransactionKind kind();

  /** Writes the kind-specific fields (the kind code itself is written by the transaction). */
  void writeTo(CanonicalWriter w);

  static Payload readFrom(TransactionKind kind, CanonicalReader r) {
    return switch (kind) {
      case DATA -> DataWrite.readFrom(r);
      case TRANSFER -> Transfer.readFrom(r);
      case CHALLENGE_RESPONSE -> ChallengeResponse.readFrom(r);
      case SERVICE_REGISTRATION -> ServiceRegistration.readFrom(r);
      case SERVICE_EXIT -> ServiceExit.INSTANCE;
    };
  }

  /**
   * Writes {@code value} under {@code key}. Each write of a key gets the next version, starting at 1. With
   * an expected version the write applies only if the key's current version equals it (0: the key must not
   * exist yet); otherwise it is rejected as stale, never silently lost.
   *
   * @param key 1 to 256 UTF-8 bytes
   * @param value up to 64 KiB (copied in and out)
   * @param expectedVersion the version the writer read, or empty for an unconditional write
   */
  record DataWrite(String key, byte[] value, OptionalLong expectedVersion) implements Payload {
    public DataWrite {
      Limits.checkUtf8(key, 1, Limits.MAX_DATA_KEY_BYTES, "data key");
      Objects.requireNonNull(value, "value");
      if (value.length > Limits.MAX_DATA_VALUE_BYTES) {
        throw new IllegalArgumentException("data value is " + value.length + " bytes; the maximum is " + Limits.MAX_DATA_VALUE_BYTES);
      }
      value = value.clone();
      Objects.requireNonNull(expectedVersion, "expectedVersion (use OptionalLong.empty() for an unconditional write)");
      if (expectedVersion.isPresent() && expectedVersion.getAsLong() < 0) {
        throw new IllegalArgumentException("expected version cannot be negative: " + expectedVersion.getAsLong());
      }
    }

    /** An unconditional write. */
    public static DataWrite of(String key, byte[] value) {
      return new DataWrite(key, value, OptionalLong.empty());
    }

    /** A write that applies only if the key is at {@code expectedVersion} (0: absent). */
    public static DataWrite ifVersion(String key, byte[] value, long expectedVersion) {
      return new DataWrite(key, value, OptionalLong.of(expectedVersion));
    }

    @Override
    public TransactionKind kind() {
      return TransactionKind.DATA;
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public void writeTo(CanonicalWriter w) {
      w.string(key).bytes(value).bool(expectedVersion.isPresent());
      if (expectedVersion.isPresent()) {
        w.i64(expectedVersion.getAsLong());
      }
    }

    static DataWrite readFrom(CanonicalReader r) {
      String key = r.string(Limits.MAX_DATA_KEY_BYTES, "data key");
      if (key.isEmpty()) {
        throw new DecodeException("data key is empty");
      }
      byte[] value = r.bytes(Limits.MAX_DATA_VALUE_BYTES, "data value");
      OptionalLong expected = r.bool("data has-expected-version") ? OptionalLong.of(r.nonNegative("data expected version")) : OptionalLong.empty();
      return new DataWrite(key, value, expected);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof DataWrite d && key.equals(d.key) && Arrays.equals(value, d.value) && expectedVersion.equals(d.expectedVersion);
    }

    @Override
    public int hashCode() {
      return Objects.hash(key, Arrays.hashCode(value), expectedVersion);
    }

    @Override
    public String toString() {
      return "DataWrite[key=" + key + ", value=" + value.length + " bytes, expectedVersion=" + expectedVersion + "]";
    }
  }

  /**
   * Moves {@code amount} from the sender to {@code to}.
   *
   * @param amount at least 1 unit
   */
  record Transfer(AccountId to, Amount amount) implements Payload {
    public Transfer {
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(amount, "amount");
      if (amount.isZero()) {
        throw new IllegalArgumentException("a transfer must move at least 1 unit");
      }
    }

    @Override
    public TransactionKind kind() {
      return TransactionKind.TRANSFER;
    }

    @Override
    public void writeTo(CanonicalWriter w) {
      to.writeTo(w);
      w.i64(amount.units());
    }

    static Transfer readFrom(CanonicalReader r) {
      AccountId to = AccountId.readFrom(r, "transfer recipient");
      long units = r.nonNegative("transfer amount");
      if (units == 0) {
        throw new DecodeException("transfer amount is zero");
      }
      return new Transfer(to, Amount.of(units));
    }
  }

  /**
   * A service node's answer to the challenge of an epoch: {@code proof} shows it holds the chain (its
   * construction is the incentive rules' business). The transaction's signature authenticates the node.
   *
   * @param epoch the epoch answered, at least 0
   * @param challenge the challenge of that epoch
   * @param proof up to 1 KiB (copied in and out)
   */
  record ChallengeResponse(long epoch, Hash challenge, byte[] proof) implements Payload {
    public ChallengeResponse {
      if (epoch < 0) {
        throw new IllegalArgumentException("epoch cannot be negative: " + epoch);
      }
      Objects.requireNonNull(challenge, "challenge");
      Objects.requireNonNull(proof, "proof");
      if (proof.length > Limits.MAX_PROOF_BYTES) {
        throw new IllegalArgumentException("proof is " + proof.length + " bytes; the maximum is " + Limits.MAX_PROOF_BYTES);
      }
      proof = proof.clone();
    }

    @Override
    public TransactionKind kind() {
      return TransactionKind.CHALLENGE_RESPONSE;
    }

    @Override
    public byte[] proof() {
      return proof.clone();
    }

    @Override
    public void writeTo(CanonicalWriter w) {
      w.i64(epoch);
      challenge.writeTo(w);
      w.bytes(proof);
    }

    static ChallengeResponse readFrom(CanonicalReader r) {
      long epoch = r.nonNegative("challenge epoch");
      Hash challenge = Hash.readFrom(r, "challenge");
      byte[] proof = r.bytes(Limits.MAX_PROOF_BYTES, "challenge proof");
      return new ChallengeResponse(epoch, challenge, proof);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ChallengeResponse c && epoch == c.epoch && challenge.equals(c.challenge) && Arrays.equals(proof, c.proof);
    }

    @Override
    public int hashCode() {
      return Objects.hash(epoch, challenge, Arrays.hashCode(proof));
    }

    @Override
    public String toString() {
      return "ChallengeResponse[epoch=" + epoch + ", challenge=" + challenge + ", proof=" + HexFormat.of().formatHex(proof) + "]";
    }
  }

  /**
   * Registers the sender as a service node of {@code tier}: the tier's bond (see
   * {@link org.meshledger.IncentivePolicy.ServiceRules}) moves from its balance into escrow, and from the next
   * challenge window on it answers challenges and earns from its tier's pool. Fails (fee kept) if the sender is
   * registered already or its balance cannot lock the bond.
   *
   * @param tier {@link Role#SECURE_NODE} or {@link Role#SUPER_NODE}
   */
  record ServiceRegistration(Role tier) implements Payload {
    public ServiceRegistration {
      Objects.requireNonNull(tier, "tier");
      if (tier != Role.SECURE_NODE && tier != Role.SUPER_NODE) {
        throw new IllegalArgumentException("a service node registers as secure-node or super-node, not " + tier.jsonName());
      }
    }

    @Override
    public TransactionKind kind() {
      return TransactionKind.SERVICE_REGISTRATION;
    }

    @Override
    public void writeTo(CanonicalWriter w) {
      w.u8(tier == Role.SECURE_NODE ? 1 : 2);
    }

    static ServiceRegistration readFrom(CanonicalReader r) {
      int code = r.u8("service tier");
      return switch (code) {
        case 1 -> new ServiceRegistration(Role.SECURE_NODE);
        case 2 -> new ServiceRegistration(Role.SUPER_NODE);
        default -> throw new DecodeException("service tier " + code + " is neither 1 (secure-node) nor 2 (super-node)");
      };
    }
  }

  /**
   * Starts the sender's exit from the service nodes: it stops earning at once, and its bond returns to it after
   * the policy's unbonding delay. Fails (fee kept) if the sender is not a registered service node or is leaving.
   */
  record ServiceExit() implements Payload {
    /** The one value: an exit carries no fields. */
    public static final ServiceExit INSTANCE = new ServiceExit();

    @Override
    public TransactionKind kind() {
      return TransactionKind.SERVICE_EXIT;
    }

    @Override
    public void writeTo(CanonicalWriter w) {
      // no fields
    }
  }
}
