package org.meshledger.impl.store;

import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStores;
import org.meshledger.spi.StoreContext;
import org.meshledger.spi.contract.BlockStoreContract;

/** The H2 store, found by its name through the SPI as a host finds it, passes the store contract. */
class H2BlockStoreTest extends BlockStoreContract {
  @Override
  protected BlockStore open(StoreContext context) {
    return BlockStores.open(BlockStores.DEFAULT, context);
  }
}
