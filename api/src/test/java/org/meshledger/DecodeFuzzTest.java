package org.meshledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.CommitCertificate;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Limits;
import org.meshledger.chain.MerkleProof;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.chain.TransactionKind;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;

/**
 * Hostile bytes against every decoder: random inputs and mutations of valid encodings. Decoding must end in a
 * value or a {@link DecodeException}, nothing else; a value it accepts must be canonical (it encodes back to
 * the same bytes); and it must never allocate in proportion to a length the input merely claims.
 *
 * <p>Replay a failure with {@code -Dmeshledger.seed=<seed>}; raise the work with
 * {@code -Dmeshledger.fuzzIterations=<n>} (default 100,000 decodes, a few seconds).
 */
class DecodeFuzzTest {
  private static final long SEED = Long.getLong("meshledger.seed", new Random().nextLong());
  private static final int ITERATIONS = Integer.getInteger("meshledger.fuzzIterations", 100_000);

  /**
   * The allocation allowed for decoding n input bytes: ALLOC_PER_BYTE * n + ALLOC_CONSTANT.
   *
   * <p>Why this bound: every byte decoded ends up at most a few times in memory: copied into a fixed field
   * (key, hash, signature: array header + bytes, plus its record), copied again when a record's constructor
   * clones it, copied once more as a transaction's body (kept to hash it), UTF-8 strings decoded through a
   * char buffer (2 bytes a char) into a String; lists allocate one reference per element, and elements
   * are at least 32 bytes of input. Small objects per field (records, Amount, OptionalLong) are what make
   * the per-byte factor above 4 for the smallest transactions (about 129 bytes with 20 small objects).
   * The constant covers the exception (message and stack trace), a UTF-8 decoder, the digest output of
   * ids and block hashes, the header's 256-byte re-encoding and the measurement itself. A decoder that
   * trusted a claimed length (up to 64 KiB for a DATA value, 2^31 for a count) would exceed it at once.
   */
  static final int ALLOC_PER_BYTE = 16;
  static final int ALLOC_CONSTANT = 16 * 1024;

  private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private record Decoder(String name, Function<byte[], Object> decode, Function<Object, byte[]> encode) {}

  private static final List<Decoder> DECODERS = List.of(
      new Decoder("Transaction", Transaction::decode, v -> ((Transaction) v).encode()),
      new Decoder("Block", Block::decode, v -> ((Block) v).encode()),
      new Decoder("BlockHeader", BlockHeader::decode, v -> ((BlockHeader) v).encode()),
      new Decoder("CommitCertificate", CommitCertificate::decode, v -> ((CommitCertificate) v).encode()),
      new Decoder("MerkleProof", MerkleProof::decode, v -> ((MerkleProof) v).encode()));

  /** Valid encodings per decoder, the material that mutations start from. */
  private static final List<List<byte[]>> CORPUS = new ArrayList<>();

  @BeforeAll
  static void corpus() {
    List<byte[]> txs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      txs.add(Fixtures.data(i).encode());
      txs.add(Fixtures.transfer(i).encode());
      txs.add(Fixtures.challenge(i).encode());
    }
    txs.add(Transaction.of("c", Fixtures.account(1), 0, Amount.ZERO, Payload.DataWrite.of("\u00e9\u20ac", new byte[0]), Fixtures.signature(1)).encode());
    List<byte[]> blocks = new ArrayList<>();
    List<byte[]> headers = new ArrayList<>();
    List<byte[]> certs = new ArrayList<>();
    for (int[] shape : new int[][] {{0, 1}, {1, 1}, {3, 4}, {6, 4}}) {
      Block b = Fixtures.unsignedBlock(Fixtures.mixed(shape[0]), shape[1]);
      blocks.add(b.encode());
      headers.add(b.header().encode());
      certs.add(b.certificate().encode());
    }
    List<byte[]> proofs = new ArrayList<>();
    List<Hash> ids = Fixtures.ids(13, new Random(1));
    for (int i : new int[] {0, 5, 12}) {
      proofs.add(MerkleTree.proof(ids, i).encode());
    }
    proofs.add(MerkleTree.proof(ids.subList(0, 1), 0).encode());
    CORPUS.addAll(List.of(txs, blocks, headers, certs, proofs));
  }

  @Test
  void hostileInputsEndInAValueOrADecodeExceptionWithinTheAllocationBound() {
    Random random = new Random(SEED);
    long maxAllocated = 0;
    int accepted = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      int d = random.nextInt(DECODERS.size());
      byte[] input = random.nextInt(10) == 0 ? randomBytes(random) : mutate(random, d);
      Decoder decoder = DECODERS.get(random.nextInt(8) == 0 ? random.nextInt(DECODERS.size()) : d);
      long bound = (long) ALLOC_PER_BYTE * input.length + ALLOC_CONSTANT;
      long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
      Object value = decodeOrFail(decoder, input, i);
      long allocated = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
      if (allocated > bound) {
        // The first pass through a code path loads and links classes on this thread; a second decode of the
        // same input allocates only what decoding itself needs.
        before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
        decodeOrFail(decoder, input, i);
        allocated = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        if (allocated > bound) {
          fail(decoder.name() + " allocated " + allocated + " bytes for " + input.length + " input bytes on input " + i + " (seed " + SEED + "): "
              + HexFormat.of().formatHex(input));
        }
      }
      maxAllocated = Math.max(maxAllocated, allocated - (long) ALLOC_PER_BYTE * input.length);
      if (value != null) {
        accepted++;
        assertThat(HexFormat.of().formatHex(decoder.encode().apply(value))).as("%s accepted a non-canonical encoding on input %d (seed %d)", decoder.name(), i, SEED)
            .isEqualTo(HexFormat.of().formatHex(input));
      }
    }
    // guard against a fuzzer that only produces garbage: some mutations (e.g. of signatures) stay valid
    assertThat(accepted).as("inputs accepted (seed %d)", SEED).isGreaterThan(ITERATIONS / 100);
    System.out.printf("DecodeFuzzTest: %d inputs, %d accepted, worst allocation beyond %d B/input byte: %d B (seed %d)%n",
        ITERATIONS, accepted, ALLOC_PER_BYTE, maxAllocated, SEED);
  }

  private static Object decodeOrFail(Decoder decoder, byte[] input, int i) {
    try {
      return decoder.decode().apply(input);
    } catch (DecodeException expected) {
      return null; // the one failure decoding may report
    } catch (Throwable t) {
      throw new AssertionError(decoder.name() + " threw " + t + " on input " + i + " (seed " + SEED + "): " + HexFormat.of().formatHex(input), t);
    }
  }

  private static byte[] randomBytes(Random random) {
    byte[] b = new byte[random.nextInt(random.nextBoolean() ? 16 : 600)];
    random.nextBytes(b);
    if (b.length > 0 && random.nextBoolean()) {
      b[0] = 1; // a valid version byte gets past the first check more often
    }
    return b;
  }

  private static byte[] mutate(Random random, int decoder) {
    List<byte[]> seeds = CORPUS.get(decoder);
    byte[] b = seeds.get(random.nextInt(seeds.size())).clone();
    int rounds = 1 + (random.nextInt(4) == 0 ? random.nextInt(4) : 0);
    for (int r = 0; r < rounds && b.length > 0; r++) {
      int at = random.nextInt(b.length);
      switch (random.nextInt(8)) {
        case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> { // insert a byte
          byte[] out = new byte[b.length + 1];
          System.arraycopy(b, 0, out, 0, at);
          out[at] = (byte) random.nextInt(256);
          System.arraycopy(b, at, out, at + 1, b.length - at);
          b = out;
        }
        case 2 -> { // delete a byte
          byte[] out = new byte[b.length - 1];
          System.arraycopy(b, 0, out, 0, at);
          System.arraycopy(b, at + 1, out, at, b.length - at - 1);
          b = out;
        }
        case 3 -> b = Arrays.copyOf(b, at); // truncate
        case 4, 5 -> { // a 4-byte field (length, count, int) set to a hostile value
          int[] hostile = {0x7fffffff, 0xffffffff, 0x80000000, 0x00010000, 0x00010001, Limits.MAX_BLOCK_TRANSACTIONS, 1025, 0};
          int v = hostile[random.nextInt(hostile.length)];
          int pos = Math.min(at, Math.max(0, b.length - 4));
          for (int k = 0; k < 4 && pos + k < b.length; k++) {
            b[pos + k] = (byte) (v >>> (24 - 8 * k));
          }
        }
        case 6 -> { // splice: our prefix, another valid encoding's suffix
          List<byte[]> all = CORPUS.get(random.nextInt(CORPUS.size()));
          byte[] other = all.get(random.nextInt(all.size()));
          int from = random.nextInt(other.length);
          byte[] out = Arrays.copyOf(b, at + other.length - from);
          System.arraycopy(other, from, out, at, other.length - from);
          b = out;
        }
        default -> { // overwrite a run with random bytes
          int len = Math.min(b.length - at, 1 + random.nextInt(8));
          for (int k = 0; k < len; k++) {
            b[at + k] = (byte) random.nextInt(256);
          }
        }
      }
    }
    return b;
  }

  /** Decodes {@code input}, expecting a DecodeException naming {@code problem}, and returns the bytes allocated meanwhile. */
  private static long allocationOfFailedDecode(Function<byte[], Object> decoder, byte[] input, String problem) {
    try {
      decoder.apply(input); // the first run loads classes on this thread; measure the second
    } catch (DecodeException e) {
      // expected
    }
    long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    try {
      decoder.apply(input);
    } catch (DecodeException e) {
      long allocated = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
      assertThat(e.getMessage()).contains(problem);
      return allocated;
    }
    throw new AssertionError("decoding did not fail: " + HexFormat.of().formatHex(input));
  }

  @Test
  void hugeLengthsAndCountsFailFastWithoutAllocating() {
    for (int huge : new int[] {0x7fffffff, 0xffffffff}) {
      String shown = Integer.toUnsignedString(huge);
      // a block claiming 2^31-1 (or 2^32-1) transactions after a valid header
      Block block = Fixtures.unsignedBlock(List.of(), 1);
      CanonicalWriter w = new CanonicalWriter().u8(Block.VERSION);
      block.header().writeTo(w);
      byte[] blockBytes = w.i32(huge).toByteArray();
      assertThat(allocationOfFailedDecode(Block::decode, blockBytes, "block transactions: count " + shown + " exceeds the maximum"))
          .isLessThan(ALLOC_CONSTANT);

      // a certificate claiming that many signatures
      byte[] cert = new CanonicalWriter().u8(CommitCertificate.VERSION).i64(1).i32(0).fixed(new byte[32]).i32(huge).toByteArray();
      assertThat(allocationOfFailedDecode(CommitCertificate::decode, cert, "certificate signatures: count " + shown)).isLessThan(ALLOC_CONSTANT);

      // a Merkle proof claiming that many siblings
      byte[] proof = new CanonicalWriter().u8(MerkleProof.VERSION).i32(0).i32(1).i32(huge).toByteArray();
      assertThat(allocationOfFailedDecode(MerkleProof::decode, proof, "merkle proof siblings: count " + shown)).isLessThan(ALLOC_CONSTANT);

      // a transaction whose chain id, and one whose DATA value, claims that many bytes
      byte[] chain = new CanonicalWriter().u8(Transaction.VERSION).i32(huge).toByteArray();
      assertThat(allocationOfFailedDecode(Transaction::decode, chain, "transaction chain id: length " + shown)).isLessThan(ALLOC_CONSTANT);
      byte[] valuePrefix = dataTransactionUpToValueLength();
      byte[] value = new CanonicalWriter().fixed(valuePrefix).i32(huge).toByteArray();
      assertThat(allocationOfFailedDecode(Transaction::decode, value, "data value: length " + shown)).isLessThan(ALLOC_CONSTANT);
    }
    // a count within the maximum but beyond what the remaining bytes could hold fails before allocating the list
    byte[] cert = new CanonicalWriter().u8(CommitCertificate.VERSION).i64(1).i32(0).fixed(new byte[32]).i32(1000).toByteArray();
    assertThat(allocationOfFailedDecode(CommitCertificate::decode, cert, "count 1000 cannot fit in the 0 bytes left")).isLessThan(ALLOC_CONSTANT);
    // a DATA value length within 64 KiB but beyond the input fails before copying
    byte[] value = new CanonicalWriter().fixed(dataTransactionUpToValueLength()).i32(Limits.MAX_DATA_VALUE_BYTES).toByteArray();
    assertThat(allocationOfFailedDecode(Transaction::decode, value, "data value: needs 65536 bytes")).isLessThan(ALLOC_CONSTANT);
  }

  /** The encoding of a DATA transaction up to (not including) its value's length prefix. */
  private static byte[] dataTransactionUpToValueLength() {
    CanonicalWriter w = new CanonicalWriter().u8(Transaction.VERSION).string("c").u8(TransactionKind.DATA.code());
    Fixtures.account(1).writeTo(w);
    return w.i64(0).i64(0).string("k").toByteArray();
  }

  @Test
  void trailingBytesAndUnknownVersionsFail() {
    for (int d = 0; d < DECODERS.size(); d++) {
      Decoder decoder = DECODERS.get(d);
      byte[] valid = CORPUS.get(d).get(0);
      assertThat(decoder.encode().apply(decoder.decode().apply(valid))).isEqualTo(valid);
      byte[] trailing = Arrays.copyOf(valid, valid.length + 1);
      assertThatThrownBy(() -> decoder.decode().apply(trailing)).as(decoder.name()).isInstanceOf(DecodeException.class).hasMessageContaining("trailing");
      byte[] version = valid.clone();
      version[0] = (byte) (valid[0] + 1);
      assertThatThrownBy(() -> decoder.decode().apply(version)).as(decoder.name()).isInstanceOf(DecodeException.class)
          .hasMessageContaining("unsupported version " + (valid[0] + 1));
      assertThatThrownBy(() -> decoder.decode().apply(new byte[0])).as(decoder.name()).isInstanceOf(DecodeException.class);
    }
  }

  @Test
  void blocksAndHeadersOfVersion1WithoutAPreviousCommitAreRefusedNamingTheVersion() {
    Block block = Fixtures.unsignedBlock(Fixtures.mixed(1), 1);
    byte[] header = block.header().encode();
    header[0] = 1;
    assertThatThrownBy(() -> BlockHeader.decode(header)).isInstanceOf(DecodeException.class)
        .hasMessageContaining("block header: unsupported version 1 (this build reads 2)");
    byte[] encoded = block.encode();
    encoded[0] = 1;
    assertThatThrownBy(() -> Block.decode(encoded)).isInstanceOf(DecodeException.class)
        .hasMessageContaining("block: unsupported version 1 (this build reads 2)");
  }
}
