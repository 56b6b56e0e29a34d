package org.meshledger.spi;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.AccountState;
import org.meshledger.chain.Block;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.DataEntry;
import org.meshledger.chain.Hash;
import org.meshledger.chain.LocatedTransaction;
import org.meshledger.chain.TransactionResult;

/**
 * Where a node keeps its chain and the state the chain produced.
 *
 * <p><b>Blocking and threads.</b> Every method may block (on a disk or a network); a node never calls one on its
 * event loop, so a slow store delays what waits for it, not consensus's timers and messages. A node appends
 * ({@link #append}, {@link #appendAll}) from one writer thread of its own, in order; it reads on Vert.x worker
 * threads: {@link #account}, {@link #current} and {@link #record} to fill its in-memory view of the committed
 * state before a block executes or a submit is admitted, the blocks, headers and digests it resumes from, the
 * blocks block sync serves, and every read of the host's ledger. Reads may come from several threads at once
 * and concurrently with an append, and see either all of a block or none of it.
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
   * Appends the next block with what executing it changed, atomically and durably: when this returns, the
   * block survives a crash; if it throws, the store is unchanged.
   *
   * <p>The store checks that {@code changes} belongs to {@code block}: each write is the DATA payload (key,
   * value, sender, id) of the transaction at its index in this block, at this block's height, and the
   * versions of each key continue without a gap from the key's current version; each rejected result names
   * a transaction of this block and no write comes from a rejected transaction. It does not verify
   * signatures or certificates (the node did before deciding to append).
   *
   * @throws org.meshledger.StorageException if the block is not at {@code height() + 1}, if its previous hash
   *     is not the hash of the block at {@code height()} (for the first block: the genesis hash), if its
   *     chain id is another chain's, if {@code changes} does not belong to it, or if the disk fails; the
   *     store is unchanged then
   * @throws NullPointerException if an argument is null
   */
  void append(Block block, StateChanges changes);

  /**
   * Appends consecutive blocks, each with its changes, as {@link #append} would one after another, but durable
   * as a group: when this returns, all of them survive a crash; if it throws, the store is unchanged. A node
   * calls it when blocks queue up faster than single appends reach the disk (catching up), so a store can
   * sync once per group instead of once per block. The default appends one by one.
   *
   * @throws org.meshledger.StorageException as {@link #append} does, for the first block that does not fit;
   *     the default leaves the blocks before it appended
   * @throws IllegalArgumentException if the lists differ in size
   */
  default void appendAll(java.util.List<org.meshledger.chain.Block> blocks, java.util.List<StateChanges> changes) {
    if (blocks.size() != changes.size()) {
      throw new IllegalArgumentException(blocks.size() + " blocks but " + changes.size() + " state changes");
    }
    for (int i = 0; i < blocks.size(); i++) {
      append(blocks.get(i), changes.get(i));
    }
  }

  /** The height of the last block, 0 while the store is empty. */
  long height();

  /**
   * The block at {@code height}, if the store has it (empty above {@link #height()}).
   *
   * @throws IllegalArgumentException if {@code height} is below 1
   */
  Optional<Block> block(long height);

  /** The block whose header hashes to {@code hash}, if the store has it. */
  Optional<Block> block(Hash hash);

  /**
   * The header at {@code height} alone (cheaper than the block), if the store has it.
   *
   * @throws IllegalArgumentException if {@code height} is below 1
   */
  Optional<BlockHeader> header(long height);

  /**
   * The committed transaction with id {@code id}, with its height, index and block hash. Should a chain hold
   * the same transaction more than once (a faulty proposer can put a transaction in a block where it is invalid,
   * ahead of its sender's earlier nonce or after it applied, and it has no effect there), this is the place where
   * it took effect, of which there is at most one (its nonce); if it took effect nowhere, its first place.
   */
  Optional<LocatedTransaction> transaction(Hash id);

  /**
   * The latest committed write of {@code key}: its current value and version.
   *
   * @throws IllegalArgumentException if {@code key} is empty
   */
  Optional<DataEntry> current(String key);

  /**
   * Committed writes of {@code key} with a version above {@code afterVersion}, oldest first, at most
   * {@code limit} of them. Page through a long history by passing the last version seen; versions have no
   * gaps, so a page shorter than {@code limit} is the last one.
   *
   * @throws IllegalArgumentException if {@code key} is empty, {@code afterVersion} is negative or
   *     {@code limit} is below 1
   */
  List<DataEntry> history(String key, long afterVersion, int limit);

  /**
   * The results of the transactions of block {@code height} that were not accepted, by index (as appended
   * in {@link StateChanges#rejected()}); empty if all were accepted or the store has no such block.
   *
   * @throws IllegalArgumentException if {@code height} is below 1
   */
  SortedMap<Integer, TransactionResult> rejected(long height);

  /**
   * The state digest after block {@code height}, as appended in {@link StateChanges#stateDigest()}; empty if
   * none was appended with it or the store has no such block. A node resumes execution from it.
   *
   * @throws IllegalArgumentException if {@code height} is below 1
   */
  Optional<Hash> stateDigest(long height);

  /** The state of {@code account}: {@link AccountState#EMPTY} if no block touched it. */
  AccountState account(AccountId account);

  /** The most records one {@link #records(String, String, int)} call returns: 256, so at most 16 MiB of values. */
  int MAX_RECORDS_PAGE = 256;

  /**
   * The value of the ledger's record {@code key} after the last appended block (see
   * {@link StateChanges#records()}): empty if no block set it, or the last block that named it removed it
   * (an empty value). The array is the caller's: changing it changes nothing in the store. A store keeps the
   * latest value only, with the block that set it: after a crash, the value of the last block the store
   * reopens with.
   *
   * @throws IllegalArgumentException if {@code key} is not a record key ({@link StateChanges#checkRecordKey}:
   *     1 to 256 UTF-8 bytes)
   * @throws NullPointerException if {@code key} is null
   */
  Optional<byte[]> record(String key);

  /**
   * The records whose key starts with {@code prefix} and sorts after {@code afterKey}, in
   * {@link StateChanges#RECORD_KEY_ORDER}, at most {@code limit} of them, as of one block (never part of one).
   * For tools and reads, not for a node's execution. Page through many by passing the last key of a page as
   * the next {@code afterKey}; a page shorter than {@code limit} is the last. The map and its arrays are the
   * caller's.
   *
   * @param prefix what the keys start with; empty for every record
   * @param afterKey the page starts after this key; empty to start at the first key
   * @param limit at most this many records, 1 to {@link #MAX_RECORDS_PAGE}
   * @throws IllegalArgumentException if {@code limit} is out of range, or {@code prefix} or {@code afterKey} is
   *     neither empty nor a record key ({@link StateChanges#checkRecordKey})
   * @throws NullPointerException if {@code prefix} or {@code afterKey} is null
   */
  SortedMap<String, byte[]> records(String prefix, String afterKey, int limit);

  /** The first page of records under {@code prefix}: {@code records(prefix, "", limit)}. */
  default SortedMap<String, byte[]> records(String prefix, int limit) {
    return records(prefix, "", limit);
  }

  /** Releases files and memory. Further calls fail with {@link IllegalStateException}. Idempotent. */
  @Override
  void close();
}
