package org.meshledger.impl.store;

import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.StoreContext;
import org.meshledger.spi.contract.BlockStoreContract;

/** The in-memory store, found by its name through the SPI, passes the store contract (but for persistence). */
class InMemoryBlockStoreTest extends BlockStoreContract {
  @Override
  protected BlockStore open(StoreContext context) {
    return BlockStores.open("memory", context);
  }

  @Override
  protected boolean persistent() {
    return false;
  }
}
