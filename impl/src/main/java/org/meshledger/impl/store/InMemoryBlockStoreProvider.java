package org.meshledger.impl.store;

import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStoreProvider;
import org.meshledger.spi.StoreContext;

/** Provides {@link InMemoryBlockStore}s under the name {@value #NAME}: nothing is written to disk. */
public final class InMemoryBlockStoreProvider implements BlockStoreProvider {
  public static final String NAME = "memory";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public BlockStore open(StoreContext context) {
    return new InMemoryBlockStore(context);
  }
}
