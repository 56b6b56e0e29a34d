package org.meshledger.samples.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.Transaction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The canonical encoding and the Merkle tree: encode and decode of a transaction, a header, a whole block. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(3)
public class CodecBenchmark {
  private Transaction transaction;
  private byte[] transactionBytes;
  private BlockHeader header;
  private byte[] headerBytes;
  private Block block;
  private byte[] blockBytes;
  private List<Hash> ids;

  @Setup
  public void setUp() {
    List<Transaction> txs = Fixtures.transactions(1_000, 0, Fixtures.VALIDATORS);
    transaction = txs.get(0);
    transactionBytes = transaction.encode();
    block = Fixtures.block(1, Hash.ZERO, txs);
    blockBytes = block.encode();
    header = block.header();
    headerBytes = header.encode();
    ids = txs.stream().map(Transaction::id).toList();
  }

  @Benchmark
  public byte[] encodeTransaction() {
    return transaction.encode();
  }

  /** Decoding includes hashing the body for the id, as a received transaction needs it. */
  @Benchmark
  public Hash decodeTransaction() {
    return Transaction.decode(transactionBytes).id();
  }

  @Benchmark
  public byte[] encodeHeader() {
    return header.encode();
  }

  @Benchmark
  public Hash decodeHeaderAndHash() {
    return BlockHeader.decode(headerBytes).hash();
  }

  /** A block of 1,000 transactions (about 330 KB). */
  @Benchmark
  public Block decodeBlockOf1000() {
    return Block.decode(blockBytes);
  }

  @Benchmark
  public byte[] encodeBlockOf1000() {
    return block.encode();
  }

  /** The Merkle root of 1,000 transaction ids. */
  @Benchmark
  public Hash merkleRootOf1000() {
    return MerkleTree.root(ids);
  }
}
