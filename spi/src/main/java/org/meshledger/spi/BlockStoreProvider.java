package org.meshledger.spi;

/**
 * Makes {@link BlockStore}s of one kind. Registered with {@link java.util.ServiceLoader} ({@code provides} in
 * a module descriptor, or {@code META-INF/services} on the class path) and chosen by {@link #name()}.
 */
public interface BlockStoreProvider {

  /** The short name a host uses to choose this store, such as {@code "h2"}; unique among providers. */
  String name();

  /**
   * Opens (creating if needed) the store for {@code context}. Blocks while files are opened and checked.
   *
   * @throws org.meshledger.StorageException if the files are corrupt, belong to another chain, or cannot be
   *     opened; the message names the file and the problem
   */
  BlockStore open(StoreContext context);
}
