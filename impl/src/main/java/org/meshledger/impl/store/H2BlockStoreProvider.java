package org.meshledger.impl.store;

import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStoreProvider;
import org.meshledger.spi.StoreContext;

/** Provides {@link H2BlockStore}s under the name {@value #NAME}, the default: one file under the data directory. */
public final class H2BlockStoreProvider implements BlockStoreProvider {
  public static final String NAME = "h2";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public BlockStore open(StoreContext context) {
    return H2BlockStore.open(context);
  }
}
