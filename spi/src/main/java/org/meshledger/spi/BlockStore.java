package org.meshledger.spi;

import java.util.List;
import java.util.Optional;
import org.meshledger.AccountId;
import org.meshledger.AccountState;
import org.meshledger.Block;
import org.meshledger.BlockHeader;
import org.meshledger.DataEntry;
import org.meshledger.Hash;
import org.meshledger.LocatedTransaction;

/**
 * Where a node keeps its chain and the state the chain produced.
 *
 * <p><b>Blocking.</b> Every method may block on disk; the node calls them off the event loop. A store is used
 * by one writer at a time; reads may come from other threads concurrently with an append and see either all
 * of a block or none of it.
 *
 * <p><b>Crash safety.</b> {@link #append} is atomic: after a crash at any moment (power loss, {@code kill -9})
 * the store reopens holding a gap-free prefix of the blocks appended, each complete with its certificate and
 * state changes. A block whose {@code append} returned is durable.
 *
 * <p><b>Errors.</b> Failures are {@link org.meshledger.StorageException}s whose message names the problem; a
 * store never returns a partial or corrupt block. Methods taking a height or key fail fast with
 * {@link IllegalArgumentException} on values no chain can hold (height below 1, empty key).
 */
public interface BlockStore extends AutoCloseable {

  /**
   * Appends the next block with what executing it changed, atomically and durably.
   *
   * @throws org.meshledger.StorageException if the block is not at {@code height() + 1}, if its previous hash
   *     is not the hash of the block at {@code height()} (for the first block: the genesis hash), or if its
   *     chain id is another chain's; the store is unchanged then
   */
  void append(Block block, StateChanges changes);

  /** The height of the last block, 0 while the store is empty. */
  long height();

  /** The block at {@code height}, if the store has it. */
  Optional<Block> block(long height);

  /** The block whose header hashes to {@code hash}, if the store has it. */
  Optional<Block> block(Hash hash);

  /** The header at {@code height} alone (cheaper than the block), if the store has it. */
  Optional<BlockHeader> header(long height);

  /** The committed transaction with id {@code id}, with its height, index and block hash. */
  Optional<LocatedTransaction> transaction(Hash id);

  /** The latest committed write of {@code key}: its current value and version. */
  Optional<DataEntry> current(String key);

  /**
   * Committed writes of {@code key} with a version above {@code afterVersion}, oldest first, at most
   * {@code limit} of them. Page through a long history by passing the last version seen.
   */
  List<DataEntry> history(String key, long afterVersion, int limit);

  /** The state of {@code account}: {@link AccountState#EMPTY} if no block touched it. */
  AccountState account(AccountId account);

  /** Releases files and memory. Further calls fail with {@link IllegalStateException}. Idempotent. */
  @Override
  void close();
}
