package org.meshledger.spi;

import java.nio.file.Path;
import java.util.Objects;
import org.meshledger.chain.Hash;
import org.meshledger.chain.Limits;

/**
 * What a store is opened for: where its files go and which chain it holds. A store that finds files of
 * another chain (another genesis hash) in {@code directory} refuses to open them.
 *
 * @param directory the node's data directory; a store keeps its files under it (an in-memory store ignores it)
 * @param chainId the chain's id
 * @param genesisHash the hash of the chain's genesis: the store's identity check
 */
public record StoreContext(Path directory, String chainId, Hash genesisHash) {
  public StoreContext {
    Objects.requireNonNull(directory, "directory");
    Limits.checkChainId(chainId);
    Objects.requireNonNull(genesisHash, "genesisHash");
  }
}
