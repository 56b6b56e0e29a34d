/**
 * The Meshledger SPI: contracts for swapping parts of a node. Implementations are found through
 * {@link java.util.ServiceLoader} by name; the defaults live in the implementation module.
 */
module org.meshledger.spi {
  requires transitive org.meshledger;

  exports org.meshledger.spi;

  uses org.meshledger.spi.BlockStoreProvider;
  uses org.meshledger.spi.SpreadingProtocolProvider;
  uses org.meshledger.spi.RewardRule;
}
