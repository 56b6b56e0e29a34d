package org.meshledger.impl.incentives;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Block;
import org.meshledger.chain.Hash;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.crypto.SignatureDomain;

/**
 * The service nodes' challenges, as pure functions every node computes alike (rules in
 * {@code docs/incentives.md}).
 *
 * <p>An epoch of {@code epochLength} blocks is cut into windows of {@code challengeInterval} blocks. The challenge
 * of the window that starts at block {@code s} is SHA-256 over the challenge domain, the chain id, the epoch, the
 * window and the hash of block {@code s - 1} (the genesis hash for the first window): nobody knows it before block
 * {@code s - 1} is final. It picks a target block {@code t} in {@code [1, s - 1]} (the genesis for the first
 * window). A node's proof is SHA-256 over the domain, the chain id, epoch, window, its account and the
 * <em>material</em> of block {@code t}: SHA-256 of the block's header and every transaction's encoding. Headers
 * alone do not give the material, so a proof shows the node holds the chain's blocks; the account in it binds the
 * proof to the node, and the transaction's signature authenticates it. An answer counts if a block of the window
 * carries it.
 */
public final class Challenges {
  private Challenges() {}

  /**
   * One window's challenge.
   *
   * @param epoch the epoch
   * @param window the window within the epoch, from 0
   * @param challenge the challenge
   * @param target the height of the block the proof is over (0: the genesis)
   */
  public record Window(long epoch, long window, Hash challenge, long target) {
    public Window {
      Objects.requireNonNull(challenge, "challenge");
    }

    void writeTo(CanonicalWriter w) {
      w.i64(epoch).i64(window);
      challenge.writeTo(w);
      w.i64(target);
    }

    static Window readFrom(CanonicalReader r) {
      long epoch = r.nonNegative("challenge epoch");
      long window = r.nonNegative("challenge window");
      Hash challenge = Hash.readFrom(r, "challenge");
      return new Window(epoch, window, challenge, r.nonNegative("challenge target"));
    }

    /** This window counted over the whole chain: what {@link ServiceNode#lastAnswered()} records. */
    public long index(IncentivePolicy.ServiceRules rules) {
      return epoch * rules.windowsPerEpoch() + window;
    }
  }

  /** Whether the block at {@code height} is the first of a window. */
  public static boolean startsWindow(IncentivePolicy.ServiceRules rules, long height) {
    return (height - 1) % rules.challengeInterval() == 0;
  }

  /** Whether the block at {@code height} is the last of an epoch. */
  public static boolean endsEpoch(IncentivePolicy.ServiceRules rules, long height) {
    return height % rules.epochLength() == 0;
  }

  /**
   * The challenge of the window that starts at block {@code start}.
   *
   * @param anchor the hash of block {@code start - 1}, or the genesis hash for {@code start == 1}
   */
  public static Window window(String chainId, IncentivePolicy.ServiceRules rules, long start, Hash anchor) {
    if (!startsWindow(rules, start)) {
      throw new IllegalArgumentException("block " + start + " does not start a challenge window of " + rules.challengeInterval() + " blocks");
    }
    long epoch = rules.epochOf(start);
    long window = rules.windowOf(start);
    CanonicalWriter w = new CanonicalWriter(96);
    w.string(SignatureDomain.CHALLENGE.tag()).string(chainId).i64(epoch).i64(window);
    anchor.writeTo(w);
    Hash challenge = Hash.sha256(w.toByteArray());
    long previous = start - 1;
    long target = previous == 0 ? 0 : 1 + Long.remainderUnsigned(ByteBuffer.wrap(challenge.bytes()).getLong(), previous);
    return new Window(epoch, window, challenge, target);
  }

  /** The material of a block: SHA-256 of its header and each transaction's encoding, in order. */
  public static Hash material(Block block) {
    byte[][] parts = new byte[block.transactions().size() + 1][];
    parts[0] = block.header().encode();
    for (int i = 0; i < block.transactions().size(); i++) {
      parts[i + 1] = block.transactions().get(i).encode();
    }
    return Hash.sha256(parts);
  }

  /** The proof {@code account} gives for {@code window}, {@code material} being its target block's (the genesis hash for target 0). */
  public static byte[] proof(String chainId, Window window, AccountId account, Hash material) {
    CanonicalWriter w = new CanonicalWriter(160);
    w.string(SignatureDomain.CHALLENGE.tag()).string(chainId).i64(window.epoch()).i64(window.window());
    window.challenge().writeTo(w);
    account.writeTo(w);
    material.writeTo(w);
    return Hash.sha256(w.toByteArray()).bytes();
  }
}
